rows = []
for i in range(100_000):
    rows.append({"id": i, "score": i % 100, "seen": 0})
for p in range(10):
    for row in rows:
        row["score"] = (row["score"] * 3 + p) % 1000
        row["seen"] += 1
total = 0
for row in rows:
    total += row["score"] + row["seen"]
print(total)
