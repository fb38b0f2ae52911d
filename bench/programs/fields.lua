local rows = {}
for i = 0, 99999 do rows[#rows + 1] = {id = i, score = i % 100, seen = 0} end
for pass = 0, 9 do
  for i = 1, #rows do
    local row = rows[i]
    row.score = (row.score * 3 + pass) % 1000
    row.seen = row.seen + 1
  end
end
local total = 0
for _, row in ipairs(rows) do total = total + row.score + row.seen end
print(total)
