import math


def a(i, j):
    return 1 / ((i + j) * (i + j + 1) / 2 + i + 1)


def times(v, n):
    out = []
    for i in range(n):
        s = 0
        for j in range(n):
            s += a(i, j) * v[j]
        out.append(s)
    return out


def times_transposed(v, n):
    out = []
    for i in range(n):
        s = 0
        for j in range(n):
            s += a(j, i) * v[j]
        out.append(s)
    return out


def times_both(v, n):
    return times_transposed(times(v, n), n)


n = 250
u = [1] * n
for i in range(10):
    v = times_both(u, n)
    u = times_both(v, n)
vbv = vv = 0
for i in range(n):
    vbv += u[i] * v[i]
    vv += v[i] * v[i]
print(f"{math.sqrt(vbv / vv):.9f}")
