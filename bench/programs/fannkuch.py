def fannkuch(n):
    perm = list(range(n))
    count = list(range(n))
    max_flips = checksum = permutations = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        flipped = perm[:]
        flips = 0
        k = flipped[0]
        while k != 0:
            i, j = 0, k
            while i < j:
                flipped[i], flipped[j] = flipped[j], flipped[i]
                i += 1
                j -= 1
            flips += 1
            k = flipped[0]
        max_flips = max(max_flips, flips)
        checksum += flips if permutations % 2 == 0 else -flips
        permutations += 1
        while True:
            if r == n:
                return checksum, max_flips
            first = perm[0]
            for i in range(r):
                perm[i] = perm[i + 1]
            perm[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


checksum, max_flips = fannkuch(9)
print(checksum, max_flips)
