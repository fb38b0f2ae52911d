"""`python -m pq_kernel -f CONNECTION_FILE` starts the kernel; `python -m pq_kernel install`
installs its kernelspec (see `install --help`)."""
import sys

if len(sys.argv) > 1 and sys.argv[1] == "install":
    from .install import main

    sys.exit(main(sys.argv[2:]))

from ipykernel.kernelapp import IPKernelApp

from .kernel import PQKernel

IPKernelApp.launch_instance(kernel_class=PQKernel)
