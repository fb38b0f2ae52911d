total = 0
for i in range(1_000_000):
    r = {"users": i + 1, "revenue": i * 3}
    total = total + r["revenue"] / r["users"]
print(round(total))
