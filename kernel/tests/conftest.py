"""Installs the pq kernelspec into a temporary prefix for the tests (JUPYTER_PATH points there),
using the pq named by $PQ (default: the release build)."""
import os
import pathlib
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

PQ = os.environ.get("PQ", str(ROOT / ".build" / "release" / "pq"))
PREFIX = tempfile.mkdtemp(prefix="pq-kernel-")

from pq_kernel.install import main as install  # noqa: E402

install(["--prefix", PREFIX, "--pq", PQ])
os.environ["JUPYTER_PATH"] = os.path.join(PREFIX, "share", "jupyter")
