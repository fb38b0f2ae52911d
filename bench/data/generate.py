#!/usr/bin/env python3
"""Writes the data benchmarks' inputs, deterministically (a fixed LCG, no randomness), into
bench/results/data/: wide.csv (200,000 rows: name, four metric columns in pq notation, source,
period), records.json (the same rows as a JSON list of records) and daily.csv (10,000 daily
figures of one platform from 1998-01-01 on, three sources, two definitions, some estimates: a
long series whose caveats must be summed up). Usage: generate.py [ROWS]"""
import datetime
import json
import os
import sys

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "results", "data")
SOURCES = ["Similarweb", "Pew Research", "EMARKETER", "Sensor Tower", "company filing"]
PERIODS = ["2024-09", "2024-10", "2024-Q3", "2024", "H1 2024"]


def rows():
    state = 12345
    for i in range(ROWS):
        state = (state * 1103515245 + 12345) % 2147483648
        mau = (state % 99_000) / 10 + 0.1          # 0.1M … 9,900M users, one decimal
        visits = (state // 7) % 9_000 + 1            # 1M … 9,000M visits
        revenue = (state // 11) % 990 / 10 + 0.1     # $0.1B … $99B
        share = (state // 13) % 99 + 1               # 1% … 99%
        yield {
            "name": f"P{i:06d}",
            "mau": f"{mau:.1f}M",
            "web_visits": f"{visits}M",
            "revenue": f"${revenue:.1f}B",
            "news_share": f"{share}%",
            "source": SOURCES[i % len(SOURCES)],
            "period": PERIODS[(i // 5) % len(PERIODS)],
        }


def daily():
    start = datetime.date(1998, 1, 1)
    state = 777
    for i in range(10_000):
        state = (state * 1103515245 + 12345) % 2147483648
        yield {
            "name": "Bluesky",
            "period": (start + datetime.timedelta(days=i)).isoformat(),
            "signups": f"{state % 900 + 100}K",
            "source": ["Bluesky", "Similarweb", "Sensor Tower"][i % 3],
            "definition": ["new accounts a day", "new sign-ups a day"][(i // 1000) % 2],
            "status": "estimated" if i % 97 == 0 else "reported",
        }


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "daily.csv"), "w", newline="") as f:
        keys = ("name", "period", "signups", "source", "definition", "status")
        f.write(",".join(keys) + "\n")
        for r in daily():
            f.write(",".join(r[k] for k in keys) + "\n")
    data = list(rows())
    with open(os.path.join(OUT, "wide.csv"), "w", newline="") as f:
        f.write("name,mau,web_visits,revenue,news_share,source,period\n")
        for r in data:
            f.write(",".join(r[k] for k in ("name", "mau", "web_visits", "revenue", "news_share", "source", "period")) + "\n")
    with open(os.path.join(OUT, "records.json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
