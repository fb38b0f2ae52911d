local seed = 42
local rows = {}
for i = 0, 199999 do
  seed = (seed * 16807) % 2147483647
  rows[#rows + 1] = {name = "n" .. i, v = seed}
end
table.sort(rows, function(a, b) return a.v < b.v end)
print(rows[1].name, rows[100001].name, rows[200000].name)
