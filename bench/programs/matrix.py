# Matrices as lists of lists: two 200 x 200 matrices built row by row and multiplied.
n = 200
def matrix(n, seed):
    m = []
    for i in range(n):
        row = []
        for j in range(n):
            row.append((i * n + j + seed) % 17)
        m.append(row)
    return m
a = matrix(n, 1)
b = matrix(n, 2)
c = matrix(n, 0)
for i in range(n):
    for j in range(n):
        s = 0
        for k in range(n):
            s += a[i][k] * b[k][j]
        c[i][j] = s
total = 0
for row in c:
    for v in row:
        total += v
print(total)
