# Plain Python joins pieces: `report += …` at a module's top level copies the whole string each
# time (102 s here), and Python users know to append to a list and join.
parts = []
for i in range(200_000):
    parts.append(f"row {i}: {i % 7} of {i % 13}\n")
report = "".join(parts)
print(len(report), report.count("3 of 5"))
