# The primes below 300,000 by trial division.
count = 0
for n in range(2, 300000):
    prime = True
    d = 2
    while d * d <= n:
        if n % d == 0:
            prime = False
            break
        d += 1
    if prime:
        count += 1
print(count)
