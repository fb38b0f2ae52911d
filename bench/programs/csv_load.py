# The plainest Python for the same job: csv.DictReader into a list of dicts, then the summed
# column's pq notation ("4360.7M") converted to a number. pq does more: every figure of every row
# is read with its unit and keeps its row's source and period (bench/README.md says so beside
# the figures).
import csv

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def number(text):
    text = text.lstrip("$")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    if text[-1] in SCALE:
        return float(text[:-1]) * SCALE[text[-1]]
    return float(text)


with open("bench/results/data/wide.csv", newline="") as f:
    rows = list(csv.DictReader(f))
print(len(rows), round(sum(number(r["mau"]) for r in rows) / 1e6))
