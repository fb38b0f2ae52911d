seed = 42
rows = []
for i in range(200_000):
    seed = (seed * 16807) % 2147483647
    rows.append({"name": f"n{i}", "v": seed})
ordered = sorted(rows, key=lambda r: r["v"])
print(ordered[0]["name"], ordered[100_000]["name"], ordered[199_999]["name"])
