local function make(k) return function(v) return v + k end end
local s = 0
for i = 0, 999999 do
  local f = make(i)
  s = (s + f(1)) % 1000003
end
print(s)
