# The same work as join_group.pq, the plainest Python way: csv.DictReader, a dict by name for
# the join, and a dict of totals by month and by ISO week (date.isocalendar). pq does more:
# every figure keeps its source and period, and each bucket's sum carries its figures' caveats
# and says when the data covers only part of it (bench/README.md says so beside the figures).
import csv
import datetime

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def number(text):
    text = text.lstrip("$")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text[:-1]) * SCALE[text[-1]]


with open("bench/results/data/wide.csv", newline="") as f:
    a = list(csv.DictReader(f))
with open("bench/results/data/wide.csv", newline="") as f:
    b = list(csv.DictReader(f))
by_name = {}
for row in b:
    by_name.setdefault(row["name"].strip().lower(), []).append(row)
joined = []
for row in a:
    for other in by_name.get(row["name"].strip().lower(), []):
        merged = dict(row)
        for key, value in other.items():
            if key != "name":
                merged[key + "_2" if key in row else key] = value
        joined.append(merged)
months, weeks = {}, {}
with open("bench/results/data/daily.csv", newline="") as f:
    for row in csv.DictReader(f):
        if row["name"] != "Bluesky":
            continue
        day = datetime.date.fromisoformat(row["period"])
        value = number(row["signups"])
        month = day.strftime("%Y-%m")
        months[month] = months.get(month, 0) + value
        year, week, _ = day.isocalendar()
        key = f"{year}-W{week:02d}"
        weeks[key] = weeks.get(key, 0) + value
first_month = sorted(months)[0]
print(len(joined), round(number(joined[0]["mau"]) * 10 / 1e6), len(months), len(weeks), round(months[first_month] / 1e3))
