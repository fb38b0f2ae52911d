# The same work as caveats_10k.pq, the plainest way in Python: the CSV read into dictionaries,
# the column summed, the summary of the figures' fields (distinct periods and their span,
# sources and definitions with counts, estimates), the top ten ranked with their own summary,
# and a chart's bars with the summary of all.
import csv
from collections import Counter


def number(text):
    return float(text[:-1]) * {"K": 1e3, "M": 1e6}[text[-1]]


def summary(rows):
    lines = []
    periods = sorted({r["period"] for r in rows})
    if len(periods) > 1:
        lines.append(f"periods differ: {len(periods)} daily periods from {periods[0]} to {periods[-1]}")
    for field in ("definition", "source"):
        counts = Counter(r[field] for r in rows)
        if len(counts) > 1:
            lines.append(f"{field}s differ: " + ", ".join(f"{k} ({v} figures)" for k, v in counts.most_common()))
    statuses = Counter(r["status"] for r in rows if r["status"] != "reported")
    if statuses:
        lines.append(", ".join(f"{v} {k}" for k, v in statuses.items()))
    return lines, len(periods), len({r["source"] for r in rows})


with open("bench/results/data/daily.csv", newline="") as f:
    rows = list(csv.DictReader(f))
for r in rows:
    r["value"] = number(r["signups"])
total = sum(r["value"] for r in rows)
notes, periods, sources = summary(rows)
ranked = sorted(rows, key=lambda r: -r["value"])[:10]
ranked_notes = summary(ranked)[0]
largest = max(r["value"] for r in rows)
bars = [round(r["value"] / largest * 60) for r in rows]
chart_notes = summary(rows)[0]
print(len(rows), round(total / 1e3), periods, sources, len(notes), len(ranked_notes), len(chart_notes))
