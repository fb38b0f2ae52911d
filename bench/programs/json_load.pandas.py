# The reference column: pandas read_json, then the notation converted with string operations.
import pandas as pd

SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
frame = pd.read_json("bench/results/data/records.json", dtype=False)
text = frame["mau"].str.lstrip("$")
frame["mau"] = text.str[:-1].astype(float) * text.str[-1].map(SCALE)
print(len(frame), round(frame["mau"].sum() / 1e6))
