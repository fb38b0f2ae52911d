# The reference column: pandas read_csv, then the notation converted with vectorised string
# operations (no provenance objects: pandas has none).
import pandas as pd

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
frame = pd.read_csv("bench/results/data/wide.csv", dtype=str)
for key in ("mau", "web_visits", "revenue"):
    text = frame[key].str.lstrip("$")
    frame[key] = text.str[:-1].astype(float) * text.str[-1].map(SCALE)
frame["news_share"] = frame["news_share"].str[:-1].astype(float) / 100
print(len(frame), round(frame["mau"].sum() / 1e6))
