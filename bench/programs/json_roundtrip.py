import json

rows = []
for i in range(50_000):
    rows.append({"id": i, "name": f"item {i}", "price": (i % 997) / 4, "tags": [f"t{i % 5}", f"u{i % 3}"]})
with open("bench/results/data/roundtrip.json", "w") as f:
    json.dump(rows, f)
with open("bench/results/data/roundtrip.json") as f:
    back = json.load(f)
total = tagged = 0
for row in back:
    total += row["price"]
    if row["tags"][0] == "t3":
        tagged += 1
print(len(back), round(total * 4), tagged)
