local pi = 3.141592653589793
local solar = 4 * pi * pi
local days = 365.24
local bodies = {
  {x = 0, y = 0, z = 0, vx = 0, vy = 0, vz = 0, mass = solar},
  {x = 4.84143144246472090e+00, y = -1.16032004402742839e+00, z = -1.03622044471123109e-01,
    vx = 1.66007664274403694e-03 * days, vy = 7.69901118419740425e-03 * days,
    vz = -6.90460016972063023e-05 * days, mass = 9.54791938424326609e-04 * solar},
  {x = 8.34336671824457987e+00, y = 4.12479856412430479e+00, z = -4.03523417114321381e-01,
    vx = -2.76742510726862411e-03 * days, vy = 4.99852801234917238e-03 * days,
    vz = 2.30417297573763929e-05 * days, mass = 2.85885980666130812e-04 * solar},
  {x = 1.28943695621391310e+01, y = -1.51111514016986312e+01, z = -2.23307578892655734e-01,
    vx = 2.96460137564761618e-03 * days, vy = 2.37847173959480950e-03 * days,
    vz = -2.96589568540237556e-05 * days, mass = 4.36624404335156298e-05 * solar},
  {x = 1.53796971148509165e+01, y = -2.59193146099879641e+01, z = 1.79258772950371181e-01,
    vx = 2.68067772490389322e-03 * days, vy = 1.62824170038242295e-03 * days,
    vz = -9.51592254519715870e-05 * days, mass = 5.15138902046611451e-05 * solar},
}
local count = #bodies

local function offset_momentum()
  local px, py, pz = 0, 0, 0
  for _, b in ipairs(bodies) do
    px = px + b.vx * b.mass
    py = py + b.vy * b.mass
    pz = pz + b.vz * b.mass
  end
  bodies[1].vx = -px / solar
  bodies[1].vy = -py / solar
  bodies[1].vz = -pz / solar
end

local function energy()
  local e = 0
  for i = 1, count do
    local b = bodies[i]
    e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
    for j = i + 1, count do
      local c = bodies[j]
      local dx, dy, dz = b.x - c.x, b.y - c.y, b.z - c.z
      e = e - b.mass * c.mass / math.sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function advance(dt)
  for i = 1, count do
    local bi = bodies[i]
    for j = i + 1, count do
      local bj = bodies[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * math.sqrt(d2))
      local mi, mj = bi.mass * mag, bj.mass * mag
      bi.vx = bi.vx - dx * mj
      bi.vy = bi.vy - dy * mj
      bi.vz = bi.vz - dz * mj
      bj.vx = bj.vx + dx * mi
      bj.vy = bj.vy + dy * mi
      bj.vz = bj.vz + dz * mi
    end
  end
  for i = 1, count do
    local b = bodies[i]
    b.x = b.x + dt * b.vx
    b.y = b.y + dt * b.vy
    b.z = b.z + dt * b.vz
  end
end

offset_momentum()
print(string.format("%.9f", energy()))
for step = 1, 100000 do advance(0.01) end
print(string.format("%.9f", energy()))
