-- Text work: 50,000 lines split into words, tested, rewritten, cut, sorted and joined.
local lines = {}
for i = 0, 49999 do
  lines[#lines + 1] = "Item " .. i .. " costs " .. (i % 97) .. " dollars and " .. (i % 13) .. " cents"
end
local words, long, starts, lower_case, sevens = 0, 0, 0, 0, 0
for _, line in ipairs(lines) do
  local parts = {}
  for w in string.gmatch(line, "%S+") do parts[#parts + 1] = w end
  words = words + #parts
  for _, p in ipairs(parts) do if #p > 4 then long = long + 1 end end
  if string.sub(line, 1, 6) == "Item 4" then starts = starts + 1 end
  if string.lower(line) == line then lower_case = lower_case + 1 end
  if string.find(string.sub(line, 6, 10), "7", 1, true) then sevens = sevens + 1 end
end
local fixed = {}
for i, l in ipairs(lines) do fixed[i] = (string.gsub(l, "dollars", "USD")) end
local ordered = {}
for i, l in ipairs(fixed) do ordered[i] = l end
table.sort(ordered)
print(words, long, starts, lower_case, sevens, ordered[1], #table.concat(fixed, "\n"))
