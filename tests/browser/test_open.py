"""``workshop-kit open`` as a person uses it: one link to the welcome, Ctrl+C stops cleanly.

The command runs as in a terminal (its own process group, receiving the terminal's SIGINT).
It prints the welcome notebook's URL with a token; that URL answers; Ctrl+C ends it with
status 0, no traceback, and JupyterLab's runtime files removed (it shut down, not killed).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from servers import jupyter_env

pytestmark = pytest.mark.slow


def test_open_prints_the_welcome_url_and_ctrl_c_stops_cleanly(tmp_path):
    env = jupyter_env(tmp_path / "jupyter", tmp_path / "participant")
    env["BROWSER"] = "true"  # no browser to open here; the printed link is what counts
    process = subprocess.Popen(
        [sys.executable, "-m", "kit", "open", str(tmp_path / "workshop")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    lines = []
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            found = re.search(
                r"(http://127\.0\.0\.1:\d+/lab/tree/00-welcome\.ipynb\?token=\S+)", line
            )
            url = found and found.group(1)
        assert url, "".join(lines)
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab never answered"
                time.sleep(0.5)
        runtime = Path(env["JUPYTER_RUNTIME_DIR"])
        assert list(runtime.glob("jpserver-*")), "the running server left no runtime file?"
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C in the terminal does
        rest, _ = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Traceback" not in output
    left = [p.name for p in runtime.glob("jpserver-*")]
    assert left == [], f"runtime files left behind: {left}"
