seed = 7
counts = {}
for i in range(500_000):
    seed = (seed * 16807) % 2147483647
    word = f"w{seed % 2000}"
    counts[word] = counts.get(word, 0) + 1
print(len(counts), counts["w7"], counts["w1999"])
