"""The kernel a participant page runs in: IPython's kernel, started without its debugger.

A served page never attaches a debugger, yet ipykernel imports one (``debugpy``) whenever
it is installed, on every kernel start: about 0.17 s of the 0.5 s a page's kernel takes to
start on a two-core machine, paid again at every page opened by its address (the first, a
reload, a bookmark; Next steps on in the same kernel). This launcher hides ``debugpy.server``
from the import system, so ipykernel finds no debugger and starts without it; everything
else is the stock kernel. JupyterLab notebooks keep the stock kernel (and its debugger):
only the pages name this one (see :func:`kit.pages.participant.prelaunch`).

The kernel spec ``kit/pages/jupyter/kernels/workshop-pages`` runs
``python -m kit.pages.kernel -f {connection_file}``.
"""

from __future__ import annotations

import sys

__all__ = ["KERNEL_NAME", "main"]

#: The kernel spec's name (its folder in ``kit/pages/jupyter/kernels``).
KERNEL_NAME = "workshop-pages"


def main() -> None:
    """Start an IPython kernel whose debugger import fails fast (no debugpy loaded)."""
    sys.modules["debugpy.server"] = None  # type: ignore[assignment]  # import -> ImportError
    # here, not at the top: the kernel's modules load only in the kernel's own process
    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":
    main()
