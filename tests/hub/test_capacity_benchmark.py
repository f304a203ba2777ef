"""The capacity benchmark keeps working: its toy size (2 participants) runs on a real hub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_the_toy_capacity_run_logs_in_and_measures(hub_tools, tmp_path):
    out = tmp_path / "capacity.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "hub_capacity.py"), "--toy", "--json", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (result,) = json.loads(out.read_text())
    assert result["participants"] == 2 and not result["failures"]
    assert 0 < result["usable_p50_s"] <= result["usable_p95_s"] < 300
    assert result["cpu_s_per_participant"] > 0
    walk = result["pss_after_walk"]
    assert walk["per_participant_mib"] > 50  # a server and a kernel each, at the very least
    assert walk["kernels_per_participant"] >= 1
    assert "login -> usable first exercise" in done.stdout
