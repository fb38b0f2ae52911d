def gcd(a, b):
    x, y = a, b
    while y != 0:
        t = y
        y = x % y
        x = t
    return x


total = 0
for i in range(1, 300_001):
    total += gcd(i, 360_360)
print(total)
