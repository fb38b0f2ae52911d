local seed = 7
local counts = {}
local distinct = 0
for i = 1, 500000 do
  seed = (seed * 16807) % 2147483647
  local word = "w" .. (seed % 2000)
  if counts[word] == nil then distinct = distinct + 1 end
  counts[word] = (counts[word] or 0) + 1
end
print(distinct, counts.w7, counts.w1999)
