local s = 0
for i = 0, 9999999 do s = (s + i * 7) % 1000003 end
print(s)
