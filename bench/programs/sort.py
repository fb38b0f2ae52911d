seed = 42
xs = []
for i in range(300_000):
    seed = (seed * 16807) % 2147483647
    xs.append(seed)
s = sorted(xs)
print(s[0], s[150_000], s[299_999])
