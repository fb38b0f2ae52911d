-- The longest Collatz chain below 100,000.
local function steps(n)
  local k = n
  local c = 0
  while k ~= 1 do
    if k % 2 == 0 then k = k // 2 else k = 3 * k + 1 end
    c = c + 1
  end
  return c
end
local best, arg = 0, 0
for i = 1, 99999 do
  local s = steps(i)
  if s > best then best = s; arg = i end
end
print(arg, best)
