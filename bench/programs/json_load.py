# The same work as json_load.pq: json.load (in C), then pq's number notation converted and each
# figure kept with its record's source and period (as pq gives a record's provenance fields to
# its figures).
import json

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def number(text):
    if text.startswith("$"):
        text = text[1:]
    if text.endswith("%"):
        return float(text[:-1]) / 100
    if text[-1] in SCALE:
        return float(text[:-1]) * SCALE[text[-1]]
    return float(text)


with open("bench/results/data/records.json") as f:
    rows = json.load(f)
for row in rows:
    for key in ("mau", "web_visits", "revenue", "news_share"):
        row[key] = {"value": number(row[key]), "source": row["source"], "period": row["period"]}
print(len(rows), round(sum(r["mau"]["value"] for r in rows) / 1e6))
