# The longest Collatz chain below 100,000.
def steps(n):
    k = n
    c = 0
    while k != 1:
        if k % 2 == 0:
            k = k // 2
        else:
            k = 3 * k + 1
        c += 1
    return c
best = 0
arg = 0
for i in range(1, 100_000):
    s = steps(i)
    if s > best:
        best = s
        arg = i
print(arg, best)
