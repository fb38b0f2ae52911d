#!/usr/bin/env python3
"""Prints the length in pixels of each bar in a PNG rendering of a pq SVG chart: for every row
whose pixels include pq's bar colour (#2f6690, within a small tolerance), the widest run of that
colour, once per bar (consecutive rows of the same bar count once). Used by the tests to check
that bar lengths are proportional to the figures. Standard library only (zlib, struct)."""
import struct, sys, zlib

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, {}
    idat = b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), "expects 8-bit RGB or RGBA"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, index = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[index]; index += 1
        line = bytearray(raw[index:index + stride]); index += stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + left) & 255
            elif kind == 2: line[i] = (line[i] + up) & 255
            elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 255
        rows.append(line); previous = line
    return width, channels, rows

def bars(path, colour=(0x2F, 0x66, 0x90), tolerance=24):
    width, channels, rows = read_png(path)
    found, inside = [], False
    for line in rows:
        best = run = 0
        for x in range(width):
            r, g, b = line[x * channels:x * channels + 3]
            if abs(r - colour[0]) + abs(g - colour[1]) + abs(b - colour[2]) <= tolerance:
                run += 1; best = max(best, run)
            else:
                run = 0
        if best > 0 and not inside:
            found.append(best); inside = True
        elif best > 0:
            found[-1] = max(found[-1], best)
        else:
            inside = False
    return found

if __name__ == "__main__":
    print(" ".join(str(n) for n in bars(sys.argv[1])))
