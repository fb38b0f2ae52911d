from functools import reduce
xs = list(range(1_000_000))
ys = list(map(lambda v: v * 2, xs))
zs = list(filter(lambda v: v % 3 == 0, ys))
print(len(zs), reduce(lambda a, b: (a + b) % 1000003, zs, 0))
