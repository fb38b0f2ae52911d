local function a(i, j) return 1 / ((i + j) * (i + j + 1) / 2 + i + 1) end
local function times(v, n)
  local out = {}
  for i = 0, n - 1 do
    local s = 0
    for j = 0, n - 1 do s = s + a(i, j) * v[j + 1] end
    out[i + 1] = s
  end
  return out
end
local function times_transposed(v, n)
  local out = {}
  for i = 0, n - 1 do
    local s = 0
    for j = 0, n - 1 do s = s + a(j, i) * v[j + 1] end
    out[i + 1] = s
  end
  return out
end
local function times_both(v, n) return times_transposed(times(v, n), n) end
local n = 250
local u = {}
for i = 1, n do u[i] = 1 end
local v
for i = 1, 10 do
  v = times_both(u, n)
  u = times_both(v, n)
end
local vbv, vv = 0, 0
for i = 1, n do
  vbv = vbv + u[i] * v[i]
  vv = vv + v[i] * v[i]
end
print(string.format("%.9f", math.sqrt(vbv / vv)))
