"""Fixtures for the hub tests: JupyterHub from PyPI, its proxy from npm, Debian's Chromium.

- ``hub_tools``: checks (once) that ``jupyterhub`` and ``jupyterhub_idle_culler`` import and
  that configurable-http-proxy is installed, installing it into ``.hub-node/`` with npm on
  the first run (:mod:`proxy`). Without them the hub tests skip in one line; with
  ``CI=true`` they fail instead, because CI must run them (``.ci/run`` installs Node).

The hub itself and the participants are in :mod:`hubrun` (shared with the capacity
benchmark).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess

import pytest
from proxy import ProxyMissing, ensure_proxy


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the hub tests must run here, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def hub_tools() -> None:
    """JupyterHub, the idle culler and configurable-http-proxy, or a one-line skip."""
    for module, extra in (("jupyterhub", "hub"), ("jupyterhub_idle_culler", "hub")):
        if importlib.util.find_spec(module) is None:
            _unavailable(f"{module} is not installed: install the kit with its [{extra}] extra")
    try:
        ensure_proxy()
    except ProxyMissing as exc:
        _unavailable(str(exc))
    except subprocess.CalledProcessError as exc:
        _unavailable(f"npm could not install configurable-http-proxy (exit {exc.returncode})")
