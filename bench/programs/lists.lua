local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local function filter(t, f) local r = {} for i = 1, #t do if f(t[i]) then r[#r + 1] = t[i] end end return r end
local function reduce(t, f, a) for i = 1, #t do a = f(a, t[i]) end return a end
local xs = {}
for i = 0, 999999 do xs[i + 1] = i end
local ys = map(xs, function(v) return v * 2 end)
local zs = filter(ys, function(v) return v % 3 == 0 end)
print(#zs, reduce(zs, function(a, b) return (a + b) % 1000003 end, 0))
