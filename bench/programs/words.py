# Text work: 50,000 lines split into words, tested, rewritten, cut, sorted and joined.
lines = []
for i in range(50000):
    lines.append(f"Item {i} costs {i % 97} dollars and {i % 13} cents")
words = 0
long = 0
starts = 0
lower_case = 0
sevens = 0
for line in lines:
    parts = line.split()
    words += len(parts)
    for p in parts:
        if len(p) > 4:
            long += 1
    if line.startswith("Item 4"):
        starts += 1
    if line.lower() == line:
        lower_case += 1
    if "7" in line[5:10]:
        sevens += 1
fixed = [l.replace("dollars", "USD") for l in lines]
ordered = sorted(fixed)
print(words, long, starts, lower_case, sevens, ordered[0], len("\n".join(fixed)))
