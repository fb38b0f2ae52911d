local total = 0
for i = 0, 999999 do
  local r = {users = i + 1, revenue = i * 3}
  total = total + r.revenue / r.users
end
print(math.floor(total + 0.5))
