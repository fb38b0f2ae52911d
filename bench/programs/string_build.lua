local parts = {}
for i = 0, 199999 do
  parts[#parts + 1] = "row " .. i .. ": " .. (i % 7) .. " of " .. (i % 13) .. "\n"
end
local report = table.concat(parts)
local found = 0
for _ in report:gmatch("3 of 5") do found = found + 1 end
print(#report, found)
