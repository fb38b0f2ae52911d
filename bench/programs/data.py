# The work of compare(x, truth) and explain(ratio(x.mau, truth.mau)) in plain Python.
def fig(value, unit, publisher, period, definition, quote, estimate=False):
    return {"value": value, "unit": unit, "publisher": publisher, "period": period,
            "definition": definition, "quote": quote, "estimate": estimate}
Q = "In September Truth Social had 698,000 active monthly users on its mobile apps, while X had 70.4 million, according to data from Similarweb."
x = {"name": "X", "mau": fig(70.4e6, "users", "Similarweb", "September 2024", "monthly active users", Q),
     "web_visits": fig(1e9, "visits", "Similarweb", "September 2024", "web visits", "q"),
     "revenue": fig(2e9, "USD", "not named", "not stated", "advertising revenue", "q", True),
     "news_share": fig(0.59, "percent", "Pew Research", "not stated", "news", "q"),
     "suspended_accounts": fig(5.3e6, "accounts", "X", "first half of 2024", "suspended", "q")}
truth = {"name": "Truth Social", "mau": fig(698e3, "users", "Similarweb", "September 2024", "monthly active users", Q),
         "web_visits": fig(11.3e6, "visits", "Similarweb", "September 2024", "web visits", "q"),
         "revenue": fig(2.6e6, "USD", "not named", "January-September 2024", "revenue", "q"),
         "news_share": fig(0.57, "percent", "Pew Research", "not stated", "news", "q"),
         "suspended_accounts": None}
METRICS = ["mau", "web_visits", "revenue", "news_share", "suspended_accounts"]

def caveats(a, b):
    diffs = []
    if a["period"] == "not stated" or b["period"] == "not stated": diffs.append("periods cannot be compared")
    elif a["period"] != b["period"]: diffs.append("periods differ (%s vs %s)" % (a["period"], b["period"]))
    if a["definition"] != b["definition"]: diffs.append("definitions differ")
    if a["publisher"] != b["publisher"]: diffs.append("sources differ")
    if a["estimate"]: diffs.append("a is an estimate")
    if b["estimate"]: diffs.append("b is an estimate")
    # One caveat a difference, as pq lists them.
    return diffs

def compare(a, b):
    rows, notes = [], []
    for m in METRICS:
        fa, fb = a.get(m), b.get(m)
        if fa is None or fb is None:
            rows.append((m, None)); notes.append("%s: no figure" % m); continue
        vs = fa["value"] - fb["value"] if fa["unit"] == "percent" else fa["value"] / fb["value"]
        rows.append((m, vs)); notes.extend(caveats(fa, fb))
    return rows, notes

def explain(a, b):
    r = a["value"] / b["value"]
    lines = ["ratio(x.mau, truth.mau) = %.6g" % r, "inputs:"]
    for label, f in (("x.mau", a), ("truth.mau", b)):
        lines.append("  %s  %.3g %s  %s, %s: %s" % (label, f["value"], f["unit"], f["publisher"], f["period"], f["definition"]))
        lines.append("  \u201c%s\u201d" % f["quote"])
    lines.append("caveats: none" if not caveats(a, b) else "caveats:")
    return "\n".join(lines)

caveat_count, total, explained = 0, 0.0, 0
for i in range(100_000):
    rows, notes = compare(x, truth)
    caveat_count += len(notes)
    total += rows[0][1]
    explained += len(explain(x["mau"], truth["mau"]))
print(caveat_count, round(total), "true" if explained > 0 else "false")
