def make(k):
    return lambda v: v + k
s = 0
for i in range(1_000_000):
    f = make(i)
    s = (s + f(1)) % 1000003
print(s)
