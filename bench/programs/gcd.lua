local function gcd(a, b)
  local x, y = a, b
  while y ~= 0 do
    local t = y
    y = x % y
    x = t
  end
  return x
end
local total = 0
for i = 1, 300000 do total = total + gcd(i, 360360) end
print(total)
