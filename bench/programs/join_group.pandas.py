# The reference column: pandas read_csv twice, merge on a normalised name, and resample-free
# grouping by month and ISO week with vectorised date operations (no provenance: pandas has
# none).
import pandas as pd

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def numbers(column):
    text = column.str.lstrip("$")
    return text.str[:-1].astype(float) * text.str[-1].map(SCALE)


a = pd.read_csv("bench/results/data/wide.csv", dtype=str)
b = pd.read_csv("bench/results/data/wide.csv", dtype=str)
a["key"] = a["name"].str.strip().str.lower()
b["key"] = b["name"].str.strip().str.lower()
joined = a.merge(b.drop(columns=["name"]), on="key", suffixes=("", "_2"))
daily = pd.read_csv("bench/results/data/daily.csv", dtype=str)
daily = daily[daily["name"] == "Bluesky"]
days = pd.to_datetime(daily["period"])
values = numbers(daily["signups"])
months = values.groupby(days.dt.strftime("%Y-%m")).sum()
iso = days.dt.isocalendar()
weeks = values.groupby(iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)).sum()
mau = numbers(joined["mau"].head(1)).iloc[0]
print(len(joined), round(mau * 10 / 1e6), len(months), len(weeks), round(months.sort_index().iloc[0] / 1e3))
