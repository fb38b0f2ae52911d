# The same work as rank_200k.pq: the CSV read as in csv_load.py, ranked (competition ranking),
# and the top two compared.
import csv

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def number(text):
    if text.startswith("$"):
        text = text[1:]
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text[:-1]) * SCALE[text[-1]]


rows = []
with open("bench/results/data/wide.csv", newline="") as f:
    for row in csv.DictReader(f):
        record = {"name": row["name"]}
        for key in ("mau", "web_visits", "revenue", "news_share"):
            record[key] = {"value": number(row[key]), "source": row["source"], "period": row["period"]}
        rows.append(record)
ranked = sorted(rows, key=lambda r: -r["mau"]["value"])
rank, previous = 0, None
for index, row in enumerate(ranked):
    if row["mau"]["value"] != previous:
        rank, previous = index + 1, row["mau"]["value"]
    row["rank"] = rank
difference = ranked[0]["mau"]["value"] - ranked[1]["mau"]["value"]
print(len(ranked), ranked[0]["name"], ranked[1]["name"], round(difference / 1e6))
