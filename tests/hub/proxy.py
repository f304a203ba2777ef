"""configurable-http-proxy, the hub's proxy, from the npm registry into ``.hub-node/``.

JupyterHub starts the proxy as a separate Node program. The hub tests install it on their
first run with the project's own command (``npm install --prefix .hub-node``, a pinned
major version) and reuse it offline afterwards. Without Node and npm they skip in one line,
except in CI (``CI=true``), where ``.ci/run`` installs Debian's ``nodejs`` and ``npm`` first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

__all__ = ["NODE_DIR", "PACKAGE", "ProxyMissing", "ensure_proxy", "proxy_bin_dir"]

ROOT = Path(__file__).resolve().parents[2]
#: Where the proxy is installed (git-ignored).
NODE_DIR = ROOT / ".hub-node"
#: The npm package, pinned to a major version known to work with JupyterHub 5 and 6.
PACKAGE = "configurable-http-proxy@5"
HINT = (
    "Node.js and npm not found: the hub tests need configurable-http-proxy from npm; "
    "run `apt-get install nodejs npm` (as root) to enable them."
)


class ProxyMissing(RuntimeError):
    """The proxy is not installed and cannot be installed here (no node or npm)."""


def proxy_bin_dir() -> Path:
    """Return the folder holding the ``configurable-http-proxy`` command."""
    return NODE_DIR / "node_modules" / ".bin"


def ensure_proxy(*, timeout: float = 600) -> Path:
    """Install configurable-http-proxy into ``.hub-node`` unless it is there; return its bin.

    Raises
    ------
    ProxyMissing
        When node or npm is missing (nothing can be installed), with a one-line reason.
    subprocess.CalledProcessError
        When npm runs and fails (for example, no registry can be reached on a first run).
    """
    command = proxy_bin_dir() / "configurable-http-proxy"
    if shutil.which("node") is None:
        raise ProxyMissing(HINT)
    if command.exists():
        return command.parent
    npm = shutil.which("npm")
    if npm is None:
        raise ProxyMissing(HINT)
    NODE_DIR.mkdir(exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(NODE_DIR), "--no-fund", "--no-audit", PACKAGE],
        check=True,
        timeout=timeout,
        env={**os.environ, "npm_config_update_notifier": "false"},
    )
    if not command.exists():
        raise ProxyMissing(f"npm installed {PACKAGE} but {command} is missing")
    return command.parent
