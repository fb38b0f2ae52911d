# The same work as csv_load.pq: csv.DictReader, pq's number notation converted in Python, and
# each figure kept with its source and period.
import csv

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def number(text):
    unit = None
    if text.startswith("$"):
        unit, text = "USD", text[1:]
    if text.endswith("%"):
        return float(text[:-1]) / 100, "percent"
    if text[-1] in SCALE:
        return float(text[:-1].replace(",", "")) * SCALE[text[-1]], unit
    return float(text.replace(",", "")), unit


rows = []
with open("bench/results/data/wide.csv", newline="") as f:
    for row in csv.DictReader(f):
        record = {"name": row["name"], "source": row["source"], "period": row["period"]}
        for key in ("mau", "web_visits", "revenue", "news_share"):
            value, unit = number(row[key])
            record[key] = {"value": value, "unit": unit, "source": row["source"], "period": row["period"]}
        rows.append(record)
print(len(rows), round(sum(r["mau"]["value"] for r in rows) / 1e6))
