local function make(depth)
  if depth == 0 then return {} end
  return {left = make(depth - 1), right = make(depth - 1)}
end
local function check(tree)
  if tree.left == nil then return 1 end
  return 1 + check(tree.left) + check(tree.right)
end
local max_depth = 14
print("stretch", max_depth + 1, check(make(max_depth + 1)))
local long_lived = make(max_depth)
local depth = 4
while depth <= max_depth do
  local iterations = 2 ^ (max_depth - depth + 4) // 1
  local total = 0
  for i = 1, iterations do total = total + check(make(depth)) end
  print(math.tointeger(iterations), depth, total)
  depth = depth + 2
end
print("long lived", max_depth, check(long_lived))
