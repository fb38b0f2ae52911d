import math

pi = 3.141592653589793
solar = 4 * pi * pi
days = 365.24
bodies = [
    {"x": 0, "y": 0, "z": 0, "vx": 0, "vy": 0, "vz": 0, "mass": solar},
    {"x": 4.84143144246472090e+00, "y": -1.16032004402742839e+00, "z": -1.03622044471123109e-01,
     "vx": 1.66007664274403694e-03 * days, "vy": 7.69901118419740425e-03 * days,
     "vz": -6.90460016972063023e-05 * days, "mass": 9.54791938424326609e-04 * solar},
    {"x": 8.34336671824457987e+00, "y": 4.12479856412430479e+00, "z": -4.03523417114321381e-01,
     "vx": -2.76742510726862411e-03 * days, "vy": 4.99852801234917238e-03 * days,
     "vz": 2.30417297573763929e-05 * days, "mass": 2.85885980666130812e-04 * solar},
    {"x": 1.28943695621391310e+01, "y": -1.51111514016986312e+01, "z": -2.23307578892655734e-01,
     "vx": 2.96460137564761618e-03 * days, "vy": 2.37847173959480950e-03 * days,
     "vz": -2.96589568540237556e-05 * days, "mass": 4.36624404335156298e-05 * solar},
    {"x": 1.53796971148509165e+01, "y": -2.59193146099879641e+01, "z": 1.79258772950371181e-01,
     "vx": 2.68067772490389322e-03 * days, "vy": 1.62824170038242295e-03 * days,
     "vz": -9.51592254519715870e-05 * days, "mass": 5.15138902046611451e-05 * solar},
]
count = len(bodies)


def offset_momentum():
    px = py = pz = 0
    for b in bodies:
        px += b["vx"] * b["mass"]
        py += b["vy"] * b["mass"]
        pz += b["vz"] * b["mass"]
    bodies[0]["vx"] = -px / solar
    bodies[0]["vy"] = -py / solar
    bodies[0]["vz"] = -pz / solar


def energy():
    e = 0
    for i in range(count):
        b = bodies[i]
        e += 0.5 * b["mass"] * (b["vx"] * b["vx"] + b["vy"] * b["vy"] + b["vz"] * b["vz"])
        for j in range(i + 1, count):
            c = bodies[j]
            dx, dy, dz = b["x"] - c["x"], b["y"] - c["y"], b["z"] - c["z"]
            e -= b["mass"] * c["mass"] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(dt):
    for i in range(count):
        bi = bodies[i]
        for j in range(i + 1, count):
            bj = bodies[j]
            dx, dy, dz = bi["x"] - bj["x"], bi["y"] - bj["y"], bi["z"] - bj["z"]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            mi, mj = bi["mass"] * mag, bj["mass"] * mag
            bi["vx"] -= dx * mj
            bi["vy"] -= dy * mj
            bi["vz"] -= dz * mj
            bj["vx"] += dx * mi
            bj["vy"] += dy * mi
            bj["vz"] += dz * mi
    for b in bodies:
        b["x"] += dt * b["vx"]
        b["y"] += dt * b["vy"]
        b["z"] += dt * b["vz"]


offset_momentum()
print(f"{energy():.9f}")
for step in range(100_000):
    advance(0.01)
print(f"{energy():.9f}")
