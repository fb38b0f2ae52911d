local function fannkuch(n)
  local perm, count = {}, {}
  for i = 0, n - 1 do perm[i] = i; count[i] = i end
  local max_flips, checksum, permutations, r = 0, 0, 0, n
  while true do
    while r ~= 1 do
      count[r - 1] = r
      r = r - 1
    end
    local flipped = {}
    for i = 0, n - 1 do flipped[i] = perm[i] end
    local flips = 0
    local k = flipped[0]
    while k ~= 0 do
      local i, j = 0, k
      while i < j do
        flipped[i], flipped[j] = flipped[j], flipped[i]
        i = i + 1
        j = j - 1
      end
      flips = flips + 1
      k = flipped[0]
    end
    if flips > max_flips then max_flips = flips end
    if permutations % 2 == 0 then checksum = checksum + flips else checksum = checksum - flips end
    permutations = permutations + 1
    while true do
      if r == n then return checksum, max_flips end
      local first = perm[0]
      for i = 0, r - 1 do perm[i] = perm[i + 1] end
      perm[r] = first
      count[r] = count[r] - 1
      if count[r] > 0 then break end
      r = r + 1
    end
  end
end
print(fannkuch(9))
