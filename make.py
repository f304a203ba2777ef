#!/usr/bin/env python3
"""Set up the kit in a local ``.venv`` and open the workshop or run every test.

    python3 make.py workshop    # set up, then open the workshop in JupyterLab
    python3 make.py test        # set up, then run every test

Needs only Python 3.11+. The first run installs the kit and its dependencies into ``.venv``
(a few minutes); later runs reuse it and reinstall only when ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _run(*cmd: str | os.PathLike) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def ensure_venv(extras: str) -> None:
    """Create ``.venv`` and install the kit (with ``extras``) when anything changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever Python a user has
        sys.exit(f"The kit needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        _run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + target.encode())
    stamp = VENV / ".workshop-kit-installed"
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        print(
            "Installing the kit and its dependencies (first run takes a few minutes) ...",
            flush=True,
        )
        _run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", target)
        stamp.write_text(digest.hexdigest())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("workshop", "test"):
        print(__doc__)
        return 2
    task, rest = argv[0], argv[1:]
    if task == "workshop":
        ensure_venv("")
        return subprocess.call([str(PYTHON), "-m", "kit", "open", *rest], cwd=ROOT)
    ensure_venv("test,hub")
    return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
