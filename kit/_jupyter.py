"""Private Jupyter folders for runs that must not touch a person's own Jupyter set-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["PER_USER_FOLDERS", "private_jupyter_env"]

#: The per-user folders Jupyter, IPython and matplotlib write to.
PER_USER_FOLDERS = (
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "IPYTHONDIR",
    "MPLCONFIGDIR",
)


def private_jupyter_env(base: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return ``env`` (default: this process's) with every per-user folder inside ``base``.

    The folders are created. Kernels and servers started with the result write their
    connection files, cookie secrets, settings and caches there, and nowhere else.
    """
    out = dict(os.environ if env is None else env)
    for name in PER_USER_FOLDERS:
        folder = Path(base) / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        out[name] = str(folder)
    out["JUPYTER_PLATFORM_DIRS"] = "1"
    return out
