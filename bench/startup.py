#!/usr/bin/env python3
"""Start-up time of several commands, measured as alternating series so that a busy machine
slows them alike: each command NAME=CMD runs RUNS times (300 by default), interleaved, and the
median and 10th percentile of the wall time are printed. The harness's `startup` row rounds to
milliseconds; this is the finer measure.

    python3 bench/startup.py [--runs N] "pq=.build/release/pq -e 1" "lua=lua5.4 -e x=1"
"""
import statistics
import subprocess
import sys
import time


def main() -> None:
    arguments = sys.argv[1:]
    runs = 300
    if len(arguments) >= 2 and arguments[0] == "--runs":
        runs = int(arguments[1])
        arguments = arguments[2:]
    if not arguments:
        sys.exit(__doc__)
    commands = {name: command.split() for name, command in (a.split("=", 1) for a in arguments)}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    first = None
    for name, series in times.items():
        series.sort()
        median = statistics.median(series)
        first = first or median
        print(f"{name:10} median {median * 1000:6.2f} ms  p10 {series[len(series) // 10] * 1000:6.2f} ms"
              f"  ×{median / first:5.2f} of the first")


if __name__ == "__main__":
    main()
