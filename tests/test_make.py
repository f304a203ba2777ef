"""``make.py``: the two commands share one venv, an unknown command is named, Ctrl+C is clean.

The set-up is driven through make.py's own functions with a fake venv and a fake pip, so no
test installs anything or needs the network.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def make(tmp_path, monkeypatch):
    """make.py as a module, pointed at a fake venv whose pip only records what it is asked."""
    spec = importlib.util.spec_from_file_location("make_under_test", ROOT / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    venv = tmp_path / ".venv"
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")  # exists: the venv is made
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "PYTHON", python)
    module.calls = []

    def fake_call(cmd):
        module.calls.append([str(c) for c in cmd])
        return 0

    monkeypatch.setattr(module, "_call", fake_call)
    return module


def _pip_installs(make) -> list[str]:
    return [c[-1] for c in make.calls if c[1:4] == ["-m", "pip", "install"]]


def test_switching_between_the_commands_installs_once(make):
    assert make.main(["test", "-q"]) == 0
    assert make.main(["workshop"]) == 0
    assert make.main(["test"]) == 0
    assert make.main(["workshop"]) == 0
    assert _pip_installs(make) == [".[hub,test]"]
    ran = [c[1:4] for c in make.calls if "pip" not in c]
    pytest, lab = ["-m", "pytest"], ["-m", "kit", "open"]
    assert ran == [[*pytest, "-q"], lab, pytest, lab]


def test_workshop_first_then_test_adds_the_test_extras_once(make):
    make.main(["workshop"])
    make.main(["test"])
    make.main(["workshop"])
    make.main(["test"])
    assert _pip_installs(make) == [".", ".[hub,test]"]
    assert make.installed(make.VENV)[1] == {"test", "hub"}


def test_a_changed_pyproject_reinstalls_and_keeps_the_extras(make):
    make.ensure_venv({"test"})
    stamp = make.VENV / make.STAMP_NAME
    stamp.write_text(json.dumps({"pyproject": "older", "extras": ["test"]}), encoding="utf-8")
    make.ensure_venv(())  # the workshop after a pull: reinstall, but keep what tests need
    assert _pip_installs(make) == [".[test]", ".[test]"]


def test_the_stamp_of_the_earlier_make_py_is_understood(make):
    import hashlib

    pyproject = (ROOT / "pyproject.toml").read_bytes()
    old = hashlib.sha256(pyproject + b".[test]").hexdigest()
    (make.VENV / make.STAMP_NAME).write_text(old, encoding="utf-8")
    make.ensure_venv(())
    make.ensure_venv({"test"})
    assert _pip_installs(make) == []


def test_an_offline_install_says_what_to_do_without_a_traceback(make, monkeypatch, capsys):
    monkeypatch.setattr(make, "_call", lambda cmd: 1)
    assert make.main(["workshop"]) == 1
    err = capsys.readouterr().err
    assert "Installing the kit failed" in err and "needs the internet" in err
    assert not (make.VENV / make.STAMP_NAME).exists()


@pytest.mark.parametrize("argv", [["bogus"], ["Workshop", "x"], []])
def test_an_unknown_command_is_named_then_the_usage(make, capsys, argv):
    assert make.main(argv) == 2
    err = capsys.readouterr().err
    if argv:
        assert f"unknown command {argv[0]!r}" in err
    assert "python3 make.py workshop" in err and "python3 make.py test" in err
    assert make.calls == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_ctrl_c_lets_the_child_stop_and_prints_no_traceback(tmp_path):
    """SIGINT to make.py alone reaches the child once; make.py waits, then says 'Stopped.'."""
    marker = tmp_path / "child-stopped"
    child = (
        "import signal, sys, time\n"
        "def stop(*_):\n"
        "    time.sleep(0.3)  # a clean shutdown takes a moment\n"
        f"    open({str(marker)!r}, 'a').write('stopped\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGINT, stop)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    driver = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('m', {str(ROOT / 'make.py')!r})\n"
        "m = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(m)\n"
        f"m.main = lambda argv: m._call([sys.executable, '-c', {child!r}])\n"
        "sys.exit(m.run([]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", driver],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in proc.stdout:  # make.py echoes the command first
        if line.startswith("ready"):
            break
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert marker.read_text() == "stopped\n"  # told once, and waited for
    assert "Traceback" not in err and "Stopped." in err
    assert proc.returncode == 130
