"""The benchmark harness behind bench/run: checksums, alternating timed runs, a table of ratios."""
import math, os, platform, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "programs")
PQ = os.path.join(ROOT, ".build", "release", "pq")
# The fastest CPython on Debian is its own build; a python3 on PATH may be a pyenv shim.
PYTHON = next((p for p in ["/usr/bin/python3.11", "/usr/bin/python3"] if os.path.exists(p)), sys.executable)
LUA = "/usr/bin/lua5.4" if os.path.exists("/usr/bin/lua5.4") else "lua5.4"
NAMES = ["fib", "loop", "closures", "strings", "lists", "records", "sort", "data",
         # The programs people write first (issue 32): while loops, in-place updates, records,
         # strings, calls, each the plainest way in each language.
         "sieve", "gcd", "nbody", "binary_trees", "spectral_norm", "fannkuch", "string_build",
         "counting", "fields", "sort_key", "json_roundtrip", "matrix", "collatz", "primes", "words"]
# Loading and weighing the user's own data: pq against CPython doing the same work, and pandas
# as a reference column when a Python with pandas is found. No Lua peer.
DATA_NAMES = ["csv_load", "json_load", "rank_200k", "caveats_10k", "join_group"]
DATA_FILES = {"csv_load": "wide.csv", "json_load": "records.json", "rank_200k": "wide.csv", "caveats_10k": "daily.csv", "join_group": "wide.csv"}


def timed(name, cmds, runs, check=True):
    """Checks that every command prints the same checksum, then runs them `runs` times each,
    alternating; returns the median seconds and the peak memory (MiB) of each."""
    if check:
        outputs = {k: " ".join(measure(v)[1].split()) for k, v in cmds.items()}
        if len(set(outputs.values())) != 1:
            raise SystemExit(f"{name}: checksums differ: {outputs}")
    times = {k: [] for k in cmds}
    for _ in range(runs):
        for k, argv in cmds.items():
            times[k].append(measure(argv)[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    rss = {k: peak_rss(argv) / 1024 for k, argv in cmds.items()}
    return med, rss


def pandas_python():
    """A Python that has pandas: $PQ_BENCH_PANDAS_PYTHON, the CI's virtual environment, or none."""
    candidates = [os.environ.get("PQ_BENCH_PANDAS_PYTHON"), os.path.expanduser("~/.cache/pq-ci-venv/bin/python"),
                  os.path.expanduser("~/.cache/pq-venv/bin/python")]
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            if subprocess.run([candidate, "-c", "import pandas"], capture_output=True).returncode == 0:
                return candidate
    return None


def data_table(names, runs):
    """The data benchmarks: median time, peak memory, throughput in MB/s, ratios to CPython."""
    data_folder = os.path.join(ROOT, "bench", "results", "data")
    if not os.path.exists(os.path.join(data_folder, "daily.csv")):
        subprocess.run([PYTHON, os.path.join(ROOT, "bench", "data", "generate.py")], check=True)
    pandas = pandas_python()
    pandas_version = version([pandas, "-c", "import pandas; print('pandas', pandas.__version__)"]) if pandas else "not found"
    print(f"\ndata (200,000 rows; {pandas_version})\n")
    header = f"{'benchmark':<10} {'pq s':>7} {'py s':>7} {'pandas s':>8} {'pq/py':>6} {'pq MB/s':>8} {'py MB/s':>8} {'pq MiB':>7} {'py MiB':>7} {'pandas MiB':>10}"
    print(header)
    print("-" * len(header))
    ratios = []
    for name in names:
        path = os.path.join(PROGRAMS, name)
        cmds = {"pq": [PQ, path + ".pq"], "python": [PYTHON, path + ".py"]}
        if pandas and os.path.exists(path + ".pandas.py"):
            cmds["pandas"] = [pandas, path + ".pandas.py"]
        med, rss = timed(name, cmds, runs)
        megabytes = os.path.getsize(os.path.join(data_folder, DATA_FILES[name])) / 1e6
        ratio = med["pq"] / med["python"]
        ratios.append(ratio)
        pandas_s = f"{med['pandas']:8.3f}" if "pandas" in med else f"{'—':>8}"
        pandas_mib = f"{rss['pandas']:10.1f}" if "pandas" in rss else f"{'—':>10}"
        print(f"{name:<10} {med['pq']:7.3f} {med['python']:7.3f} {pandas_s} {ratio:6.2f} {megabytes / med['pq']:8.1f} {megabytes / med['python']:8.1f} {rss['pq']:7.1f} {rss['python']:7.1f} {pandas_mib}")
    return ratios


def commands(name):
    if name == "startup":
        return {"pq": [PQ, "-e", "1"], "lua": [LUA, "-e", ""], "python": [PYTHON, "-c", ""]}
    path = os.path.join(PROGRAMS, name)
    return {"pq": [PQ, path + ".pq"], "lua": [LUA, path + ".lua"], "python": [PYTHON, path + ".py"]}


def measure(argv):
    """Runs once; returns (seconds, peak RSS in KiB, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{argv} failed: {err.decode()}")
    return elapsed, out.decode()


def peak_rss(argv):
    """Peak resident memory in KiB, measured by /usr/bin/time (a fork of this harness would
    report the harness's own size)."""
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, capture_output=True, text=True)
    return int(result.stderr.strip().splitlines()[-1])


def version(argv):
    try:
        result = subprocess.run(argv, capture_output=True, text=True)
        return (result.stdout or result.stderr).strip().splitlines()[0]
    except OSError:
        return "?"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5
    names = [a for a in sys.argv[1:] if not a.isdigit()] or NAMES + ["startup"] + DATA_NAMES
    data_names = [n for n in names if n in DATA_NAMES]
    names = [n for n in names if n not in DATA_NAMES]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"pq: {version([PQ, '--version'])} (release) | Lua: {version([LUA, '-v'])} | CPython: {version([PYTHON, '--version'])} ({PYTHON})")
    print(f"median of {runs} runs each, alternating pq / Lua / CPython\n")
    header = f"{'benchmark':<10} {'pq s':>8} {'lua s':>8} {'py s':>8} {'pq/py':>7} {'pq/lua':>7} {'pq MiB':>7} {'lua MiB':>7} {'py MiB':>7}"
    print(header)
    print("-" * len(header))
    ratios_py, ratios_lua = [], []
    # json_roundtrip writes its file there in every language; a fresh clone has no such folder.
    os.makedirs(os.path.join(ROOT, "bench", "results", "data"), exist_ok=True)
    for name in names:
        cmds = commands(name)
        med, rss = timed(name, cmds, runs, check=name != "startup")
        rp, rl = med["pq"] / med["python"], med["pq"] / med["lua"]
        ratios_py.append(rp)
        ratios_lua.append(rl)
        print(f"{name:<10} {med['pq']:8.3f} {med['lua']:8.3f} {med['python']:8.3f} {rp:7.2f} {rl:7.2f} {rss['pq']:7.1f} {rss['lua']:7.1f} {rss['python']:7.1f}")
    geo = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs))
    if names:
        print("-" * len(header))
        print(f"{'geomean':<10} {'':>8} {'':>8} {'':>8} {geo(ratios_py):7.2f} {geo(ratios_lua):7.2f}")
    if data_names:
        data_table(data_names, runs)


if __name__ == "__main__":
    main()
