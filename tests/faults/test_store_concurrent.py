"""Two windows saving the same exercise at once: every window's last answer stays on disk."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SAVES = 300

# What an exercise widget does on every change: save, telling the store what it last wrote.
WINDOW = textwrap.dedent("""
    import sys
    from kit.answers import AnswerStore
    home, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = AnswerStore(home)
    on_disk = store.load("motivations").raw
    for i in range(n):
        on_disk, _aside = store.save("motivations", {"who": who, "i": i}, expected=on_disk)
""")


def _values_on_disk(home: Path) -> list[dict]:
    found = []
    for path in [home / "motivations.json", *home.glob("motivations.*.json")]:
        found.append(json.loads(path.read_text(encoding="utf-8"))["value"])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("run", range(2))
def test_two_windows_saving_at_once_keep_both_last_answers(home, run):
    home.mkdir()
    windows = [
        subprocess.Popen([sys.executable, "-c", WINDOW, str(home), who, str(SAVES)])
        for who in ("left", "right")
    ]
    assert [w.wait(timeout=300) for w in windows] == [0, 0]
    on_disk = _values_on_disk(home)
    for who in ("left", "right"):
        assert {"who": who, "i": SAVES - 1} in on_disk, f"{who}'s last answer is lost"
    # Busy windows leave at most one kept-aside copy each (the newest), not hundreds.
    assert len(list(home.glob("motivations.other-window-*.json"))) <= 2
    assert not list(home.glob(".*.tmp"))
