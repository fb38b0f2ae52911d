def make(depth):
    if depth == 0:
        return {"left": None, "right": None}
    return {"left": make(depth - 1), "right": make(depth - 1)}


def check(tree):
    if tree["left"] is None:
        return 1
    return 1 + check(tree["left"]) + check(tree["right"])


max_depth = 14
print("stretch", max_depth + 1, check(make(max_depth + 1)))
long_lived = make(max_depth)
depth = 4
while depth <= max_depth:
    iterations = 2 ** (max_depth - depth + 4)
    total = 0
    for i in range(iterations):
        total += check(make(depth))
    print(iterations, depth, total)
    depth += 2
print("long lived", max_depth, check(long_lived))
