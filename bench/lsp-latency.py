#!/usr/bin/env python3
"""Time from a full-text didChange to its publishDiagnostics, through the real `pq lsp`, on a
deterministic script of LINES lines (functions, loops, figures, a unit error near the end), or
with --lets on LINES lines of `let`s alone (the shape that once made analysis quadratic).
Usage: bench/lsp-latency.py [PQ_BINARY] [CHANGES] [LINES] [--lets]
(default .build/release/pq, 50 changes, 1,000 lines)
Prints the median, the 90th percentile and the largest, in milliseconds."""
import json
import subprocess
import sys
import time

arguments = [a for a in sys.argv[1:] if a != "--lets"]
only_lets = "--lets" in sys.argv
binary = arguments[0] if len(arguments) > 0 else ".build/release/pq"
changes = int(arguments[1]) if len(arguments) > 1 else 50
size = int(arguments[2]) if len(arguments) > 2 else 1000


def script(variant):
    if only_lets:
        lines = [f"let a{i} = {i} * {variant + 2}" for i in range(size - 1)]
        return "\n".join(lines + ["let wrong = x.revenue + x.mau"]) + "\n"
    lines = []
    for i in range(size // 5):
        lines += [
            f"fn f{i}(a, b) {{ a * {i + 1} + b }}",
            f"let v{i} = ratio(x.mau, truth.mau) + f{i}(1, {variant})",
            f"for k in range({i % 7}) {{ print(k, v{i}) }}",
            f"let s{i} = {{name: \"p{i}\", users: {i}M}}",
            f"# a comment on line {5 * i + 5}",
        ]
    lines[-1] = "let wrong = x.revenue + x.mau"
    return "\n".join(lines) + "\n"


server = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(message):
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        header += server.stdout.read(1)
    length = int(header.split(b":")[1].split(b"\r")[0])
    return json.loads(server.stdout.read(length))


uri = "file:///tmp/latency.pq"
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})
receive()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": {"textDocument": {"uri": uri, "languageId": "pq", "version": 1, "text": script(0)}}})
first = receive()
assert len(first["params"]["diagnostics"]) == 1, first
times = []
for version in range(2, changes + 2):
    text = script(version)
    start = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange",
          "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})
    reply = receive()
    times.append((time.perf_counter() - start) * 1000)
    assert reply["params"]["version"] == version and len(reply["params"]["diagnostics"]) == 1, reply
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
receive()
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(10)
times.sort()
shape = "lines of let" if only_lets else "lines"
print(f"didChange -> publishDiagnostics, {size:,} {shape}, {changes} changes: "
      f"median {times[len(times) // 2]:.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms, max {times[-1]:.1f} ms")
