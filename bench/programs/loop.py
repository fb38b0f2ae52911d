s = 0
for i in range(10_000_000):
    s = (s + i * 7) % 1000003
print(s)
