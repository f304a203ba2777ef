"""A pytest plugin loaded for every run (pyproject: ``-p tests.sandbox``).

Whatever is collected (unit tests, notebooks through nbval, browser tests), nothing a test
run does touches the tester's real Jupyter, IPython, matplotlib or workshop folders: they all
point into one temporary sandbox before any kernel starts, and kernels inherit it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="workshop-kit-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    """Point every per-user folder at a sandbox before any kernel starts (nbval inherits)."""
    from kit._jupyter import private_jupyter_env

    os.environ.update(private_jupyter_env(_SANDBOX))
    # A run may ask for a participant folder or a profile on purpose (the demo rehearsal
    # run of the notebooks does); otherwise the notebooks start from an empty folder.
    os.environ["WORKSHOP_KIT_HOME"] = os.environ.get("WORKSHOP_KIT_TEST_HOME") or str(
        _SANDBOX / "participant"
    )
    os.environ["WORKSHOP_KIT_ROOMS"] = str(_SANDBOX / "rooms")
    profile = os.environ.get("WORKSHOP_KIT_TEST_PROFILE")
    if profile:
        os.environ["WORKSHOP_KIT_PROFILE"] = profile
    else:
        os.environ.pop("WORKSHOP_KIT_PROFILE", None)
    os.environ.pop("WORKSHOP_KIT_CONTENT", None)


#: Test files that take more than a few seconds, besides the browser tests and the notebooks.
SLOW_FILES = frozenset(
    {
        "test_archetypes_fairness.py",
        "test_journey_notebooks.py",
        "test_packaging.py",
        "test_room_concurrency.py",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow groups, so that `-m "not slow and not hub"` is a quick loop.

    Slow: every notebook run by nbval, every browser test and the files in
    :data:`SLOW_FILES`. The README's test command and CI run everything all the same.
    """
    for item in items:
        path = Path(str(item.path))
        if path.suffix == ".ipynb" or "browser" in path.parts or path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
