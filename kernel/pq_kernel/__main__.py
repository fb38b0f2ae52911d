"""`python -m pq_kernel -f CONNECTION_FILE` starts the kernel; `python -m pq_kernel install`
installs its kernelspec (see `install --help`)."""
import sys

try:
    import ipykernel  # noqa: F401
    import jupyter_client  # noqa: F401
except ImportError as missing:
    sys.exit(
        f"pq's Jupyter kernel needs Jupyter in this Python ({sys.executable}): {missing}.\n"
        "Install it (python3 -m pip install ipykernel jupyter-client), or give the Python that has it:\n"
        "  kernel/install-kernel /path/to/venv/bin/python"
    )

if len(sys.argv) > 1 and sys.argv[1] == "install":
    from .install import main

    sys.exit(main(sys.argv[2:]))

from ipykernel.kernelapp import IPKernelApp

from .kernel import PQKernel

IPKernelApp.launch_instance(kernel_class=PQKernel)
