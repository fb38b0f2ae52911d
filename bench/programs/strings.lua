local parts = {}
for i = 0, 199999 do parts[#parts + 1] = tostring(i % 97) end
local text = table.concat(parts, ",") .. ","
local count, at = 0, 1
while true do
  local s, e = string.find(text, "42,", at, true)
  if not s then break end
  count = count + 1
  at = e + 1
end
print(#text, count)
