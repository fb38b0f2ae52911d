-- The work of compare(x, truth) and explain(ratio(x.mau, truth.mau)) in plain Lua.
local function fig(value, unit, publisher, period, definition, quote, estimate)
  return {value = value, unit = unit, publisher = publisher, period = period, definition = definition,
          quote = quote, estimate = estimate or false}
end
local Q = "In September Truth Social had 698,000 active monthly users on its mobile apps, while X had 70.4 million, according to data from Similarweb."
local x = {name = "X", mau = fig(70.4e6, "users", "Similarweb", "September 2024", "monthly active users", Q),
  web_visits = fig(1e9, "visits", "Similarweb", "September 2024", "web visits", "q"),
  revenue = fig(2e9, "USD", "not named", "not stated", "advertising revenue", "q", true),
  news_share = fig(0.59, "percent", "Pew Research", "not stated", "news", "q"),
  suspended_accounts = fig(5.3e6, "accounts", "X", "first half of 2024", "suspended", "q")}
local truth = {name = "Truth Social", mau = fig(698e3, "users", "Similarweb", "September 2024", "monthly active users", Q),
  web_visits = fig(11.3e6, "visits", "Similarweb", "September 2024", "web visits", "q"),
  revenue = fig(2.6e6, "USD", "not named", "January-September 2024", "revenue", "q"),
  news_share = fig(0.57, "percent", "Pew Research", "not stated", "news", "q")}
local METRICS = {"mau", "web_visits", "revenue", "news_share", "suspended_accounts"}

local function caveats(a, b)
  local diffs = {}
  if a.period == "not stated" or b.period == "not stated" then
    diffs[#diffs + 1] = "periods cannot be compared"
  elseif a.period ~= b.period then
    diffs[#diffs + 1] = string.format("periods differ (%s vs %s)", a.period, b.period)
  end
  if a.definition ~= b.definition then diffs[#diffs + 1] = "definitions differ" end
  if a.publisher ~= b.publisher then diffs[#diffs + 1] = "sources differ" end
  if a.estimate then diffs[#diffs + 1] = "a is an estimate" end
  if b.estimate then diffs[#diffs + 1] = "b is an estimate" end
  -- One caveat a difference, as pq lists them.
  return diffs
end

local function compare(a, b)
  local rows, notes = {}, {}
  for _, m in ipairs(METRICS) do
    local fa, fb = a[m], b[m]
    if fa == nil or fb == nil then
      rows[#rows + 1] = {m, nil}; notes[#notes + 1] = m .. ": no figure"
    else
      local vs
      if fa.unit == "percent" then vs = fa.value - fb.value else vs = fa.value / fb.value end
      rows[#rows + 1] = {m, vs}
      for _, c in ipairs(caveats(fa, fb)) do notes[#notes + 1] = c end
    end
  end
  return rows, notes
end

local function explain(a, b)
  local lines = {string.format("ratio(x.mau, truth.mau) = %.6g", a.value / b.value), "inputs:"}
  for _, pair in ipairs({{"x.mau", a}, {"truth.mau", b}}) do
    local f = pair[2]
    lines[#lines + 1] = string.format("  %s  %.3g %s  %s, %s: %s", pair[1], f.value, f.unit, f.publisher, f.period, f.definition)
    lines[#lines + 1] = "  \u{201C}" .. f.quote .. "\u{201D}"
  end
  lines[#lines + 1] = (#caveats(a, b) == 0) and "caveats: none" or "caveats:"
  return table.concat(lines, "\n")
end

local caveat_count, total, explained = 0, 0.0, 0
for i = 1, 100000 do
  local rows, notes = compare(x, truth)
  caveat_count = caveat_count + #notes
  total = total + rows[1][2]
  explained = explained + #explain(x.mau, truth.mau)
end
print(caveat_count, math.floor(total + 0.5), explained > 0)
