local cjson = require "cjson"
local rows = {}
for i = 0, 49999 do
  rows[#rows + 1] = {id = i, name = "item " .. i, price = (i % 997) / 4, tags = {"t" .. (i % 5), "u" .. (i % 3)}}
end
local out = io.open("bench/results/data/roundtrip.json", "w")
out:write(cjson.encode(rows))
out:close()
local input = io.open("bench/results/data/roundtrip.json")
local back = cjson.decode(input:read("a"))
input:close()
local total, tagged = 0, 0
for _, row in ipairs(back) do
  total = total + row.price
  if row.tags[1] == "t3" then tagged = tagged + 1 end
end
print(#back, math.tointeger(total * 4), tagged)
