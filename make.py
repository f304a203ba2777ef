#!/usr/bin/env python3
"""Set up the kit in a local ``.venv`` and open the workshop or run every test.

    python3 make.py workshop    # set up, then open the workshop in JupyterLab
    python3 make.py test        # set up, then run every test

Needs only Python 3.11+. The first run of each command installs what it needs into
``.venv`` (a few minutes, with the Python package index: ``test`` needs more packages than
``workshop``); after that both work offline, and reinstall only when ``pyproject.toml``
changes. Ctrl+C stops either one.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import venv
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP_NAME = ".workshop-kit-installed"
#: The extras each command needs; a venv with more extras serves every command.
COMMANDS = {"workshop": frozenset(), "test": frozenset({"test", "hub"})}


class SetupError(Exception):
    """The set-up could not finish; the message says why and what to do."""


def _call(cmd: list[str | os.PathLike]) -> int:
    """Run ``cmd`` and return its exit code; on Ctrl+C let it stop, then re-raise.

    The child gets exactly one SIGINT per Ctrl+C: from the terminal when it shares the
    terminal's foreground process group (the usual case), else forwarded from here. Either
    way this waits for the child to finish its own shutdown (JupyterLab stops its kernels and
    removes its runtime files) instead of abandoning it.
    """
    print("+", " ".join(str(c) for c in cmd), flush=True)
    proc = subprocess.Popen([str(c) for c in cmd], cwd=ROOT)
    interrupted = False
    while True:
        try:
            code = proc.wait()
            break
        except KeyboardInterrupt:
            interrupted = True
            _forward_interrupt(proc)
    if interrupted:
        raise KeyboardInterrupt
    return code


def _forward_interrupt(proc: subprocess.Popen) -> None:
    if proc.poll() is not None or os.name == "nt":  # Windows delivers Ctrl+C to the console
        return
    try:
        terminal_told_it = os.tcgetpgrp(sys.stdin.fileno()) == os.getpgid(proc.pid)
    except (OSError, ValueError, AttributeError):  # no terminal: nobody else told it
        terminal_told_it = False
    if not terminal_told_it:
        proc.send_signal(signal.SIGINT)


def _digest(*parts: bytes) -> str:
    return hashlib.sha256(b"".join(parts)).hexdigest()


def installed(venv_dir: Path | None = None) -> tuple[str, frozenset[str]] | None:
    """Return (digest of the ``pyproject.toml`` installed, extras installed), or ``None``.

    Reads the stamp that :func:`ensure_venv` writes after a successful install. The stamp of
    earlier versions of this script (one digest of pyproject.toml and the pip target) is
    still understood, so an existing ``.venv`` is not reinstalled.
    """
    stamp = (venv_dir or VENV) / STAMP_NAME
    try:
        text = stamp.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    try:
        data = json.loads(text)
        return str(data["pyproject"]), frozenset(map(str, data["extras"]))
    except (ValueError, KeyError, TypeError):
        pass
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    # The stamp of the earlier make.py: a digest of pyproject.toml and the pip target.
    for target, extras in ((".", frozenset()), (".[test]", frozenset({"test"}))):
        if text == _digest(pyproject, target.encode()):
            return _digest(pyproject), extras
    return None


def _install(extras: frozenset[str]) -> None:
    target = f".[{','.join(sorted(extras))}]" if extras else "."
    code = _call([PYTHON, "-m", "pip", "install", "--quiet", "--editable", target])
    if code != 0:
        raise SetupError(
            f"Installing the kit failed (pip exited with {code}; its message is above). The "
            "first run needs the internet; run the same command again once you are online."
        )


def ensure_venv(extras: Iterable[str] = ()) -> None:
    """Create ``.venv`` and install the kit with ``extras``, unless it is there already.

    A venv whose stamp records the current ``pyproject.toml`` and at least these extras is
    used as it is (no pip, no network). An install keeps the extras already installed, so
    switching between ``workshop`` and ``test`` never reinstalls back and forth.

    Raises
    ------
    SetupError
        When this Python is too old, or pip fails (e.g. offline on the first run).
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever Python a user has
        raise SetupError(f"The kit needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        if _call([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"]) != 0:
            print("Could not upgrade pip; going on with the one Python brought.", flush=True)
    digest = _digest((ROOT / "pyproject.toml").read_bytes())
    wanted = frozenset(extras)
    have = installed()
    if have is not None and have[0] == digest and have[1] >= wanted:
        return
    keep = have[1] if have is not None else frozenset()
    print("Installing the kit and its dependencies (first run takes a few minutes) ...", flush=True)
    _install(wanted | keep)
    (VENV / STAMP_NAME).write_text(
        json.dumps({"pyproject": digest, "extras": sorted(wanted | keep)}) + "\n", encoding="utf-8"
    )


def main(argv: list[str]) -> int:
    """Run ``workshop`` or ``test`` (the rest of ``argv`` goes to that command)."""
    if not argv or argv[0] not in COMMANDS:
        if argv:
            print(f"make.py: unknown command {argv[0]!r}.", file=sys.stderr)
        print(__doc__, file=sys.stderr)
        return 2
    task, rest = argv[0], argv[1:]
    try:
        ensure_venv(COMMANDS[task])
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return 1
    if task == "workshop":
        return _call([PYTHON, "-m", "kit", "open", *rest])
    return _call([PYTHON, "-m", "pytest", *rest])


def run(argv: list[str]) -> int:
    """:func:`main` as the command line runs it: Ctrl+C ends in one line, exit code 130."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
