local seed = 42
local xs = {}
for i = 1, 300000 do
  seed = (seed * 16807) % 2147483647
  xs[i] = seed
end
table.sort(xs)
print(xs[1], xs[150001], xs[300000])
