"""The whole journey of notebooks, run again with the demo profile.

pytest's own nbval run (``notebooks/`` in ``testpaths``) takes the notebooks in order against
a fresh, empty participant folder; this test runs them once more as a facilitator's rehearsal
does, with every exercise filled from the demo profile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_every_notebook_runs_with_the_demo_profile(tmp_path):
    env = dict(
        os.environ,
        WORKSHOP_KIT_TEST_PROFILE="demo",
        WORKSHOP_KIT_TEST_HOME=str(tmp_path / "never-written"),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "--nbval-current-env",
            "-o",
            "testpaths=notebooks",
            str(ROOT / "notebooks"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    assert not (tmp_path / "never-written").exists()  # the demo profile saves nothing
