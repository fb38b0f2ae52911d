-- Matrices as lists of lists: two 200 x 200 matrices built row by row and multiplied.
local n = 200
local function matrix(n, seed)
  local m = {}
  for i = 0, n - 1 do
    local row = {}
    for j = 0, n - 1 do row[#row + 1] = (i * n + j + seed) % 17 end
    m[#m + 1] = row
  end
  return m
end
local a = matrix(n, 1)
local b = matrix(n, 2)
local c = matrix(n, 0)
for i = 1, n do
  for j = 1, n do
    local s = 0
    for k = 1, n do s = s + a[i][k] * b[k][j] end
    c[i][j] = s
  end
end
local total = 0
for _, row in ipairs(c) do for _, v in ipairs(row) do total = total + v end end
print(total)
