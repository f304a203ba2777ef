"""Writing files safely: atomic replacement and the names of copies kept aside.

Every part of the kit that writes a file a person cares about (answers, shares, reports,
snapshots) goes through :func:`write_atomic`, and every copy kept aside instead of being
overwritten is named by :func:`aside_name`, so that the rules live in one place.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

__all__ = ["aside_name", "stamp", "write_atomic"]


def stamp() -> str:
    """Return the local time as ``YYYYmmdd-HHMMSS``, the stamp in every kept-aside name."""
    return time.strftime("%Y%m%d-%H%M%S")


def aside_name(path: Path, label: str) -> Path:
    """Return a new, unused name beside ``path`` for a copy kept aside (``NAME.LABEL-STAMP``)."""
    aside = path.with_name(f"{path.stem}.{label}-{stamp()}{path.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.stem}.{label}-{stamp()}-{n}{path.suffix}")
    return aside


def write_atomic(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half.

    The bytes go to a temporary file in the same folder, which is flushed to disk and then
    renamed over ``path``. A crash leaves at most a hidden ``.*.tmp`` file, which no reader
    takes for the real one. The file is private to its owner (as answers should be) unless
    ``shared``: then it gets the usual permissions of a new file, so that others on a shared
    folder (a room on a network drive or a JupyterHub volume) can read it.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        if shared:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
