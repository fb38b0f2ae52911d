"""Installs the pq kernelspec: `python -m pq_kernel install [--user | --sys-prefix | --prefix P]
[--pq PATH]`. The kernel runs with this Python and finds pq on PATH, or at --pq."""
import argparse
import json
import os
import pathlib
import shutil
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m pq_kernel install", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for this user (the default)")
    where.add_argument("--sys-prefix", action="store_true", help="install into this Python's prefix (a virtual environment)")
    where.add_argument("--prefix", help="install under this prefix")
    parser.add_argument("--pq", help="the pq binary to run (default: pq on PATH when the kernel starts)")
    options = parser.parse_args(argv)
    package_folder = str(pathlib.Path(__file__).resolve().parent.parent)
    env = {"PYTHONPATH": package_folder}
    if options.pq:
        binary = shutil.which(options.pq) or options.pq
        if not os.access(binary, os.X_OK):
            parser.error(f"{options.pq} is not an executable")
        env["PQ"] = os.path.abspath(binary)
    spec = {
        "argv": [sys.executable, "-m", "pq_kernel", "-f", "{connection_file}"],
        "display_name": "pq",
        "language": "pq",
        "interrupt_mode": "signal",
        "env": env,
    }
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "kernel.json"), "w") as file:
            json.dump(spec, file, indent=2)
        prefix = sys.prefix if options.sys_prefix else options.prefix
        destination = KernelSpecManager().install_kernel_spec(
            folder, "pq", user=prefix is None, prefix=prefix
        )
    print(f"installed the pq kernel in {destination}")
    return 0
