"""The participant folder as a whole: its lock files, snapshots, and clearing it.

Public through :mod:`kit.answers` (``snapshot``, ``list_snapshots``, ``personal_files``,
``clear``). Saves of one exercise take turns on an owner-only lock file beside its answers;
:func:`clear` leaves a marker that a store opened before the reset checks before writing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import filelock

from kit import exercises
from kit._private_files import (
    make_private_folder,
    read_regular,
    remove_personal,
    write_private,
)

__all__ = [
    "LOCK_WAIT",
    "MAX_FILE_BYTES",
    "REPORT_FILE",
    "clear",
    "exercise_lock",
    "generation",
    "list_snapshots",
    "lock_path",
    "personal_files",
    "snapshot",
]

MAX_FILE_BYTES = 2_000_000
#: Seconds a save waits for another window's save before going ahead without the lock.
LOCK_WAIT = 10.0
#: The saved report's name in the participant folder.
REPORT_FILE = "my-leadership-path.html"
#: Written by :func:`clear`: a store opened before a reset never writes into the cleared folder.
_GENERATION = ".generation"


def generation(home: Path) -> str | None:
    """Return the marker :func:`clear` left in ``home`` (``None`` if it was never cleared)."""
    try:
        return read_regular(home / _GENERATION, 256).decode("ascii", "replace")
    except OSError:
        return None


def lock_path(home: Path, exercise: str) -> Path:
    """Return the lock file that saves of ``exercise`` take turns on."""
    return home / f".{exercise}.lock"


@contextlib.contextmanager
def exercise_lock(home: Path, exercise: str) -> Iterator[str | None]:
    """Hold the exercise's inter-process lock; yield ``None``, or why it could not be held.

    The lock file is owner-only and opened without following links (filelock >= 3.20.3,
    which fixed CVE-2025-68146 and CVE-2026-22701). Where the file system refuses locks, or
    another window holds it for longer than :data:`LOCK_WAIT`, the body runs without it.
    """
    lock = filelock.FileLock(lock_path(home, exercise), mode=0o600, timeout=LOCK_WAIT)
    try:
        lock.acquire()
    except filelock.Timeout:
        yield f"another window kept the lock for more than {LOCK_WAIT:g} seconds"
        return
    except OSError as exc:
        yield exc.strerror or str(exc)
        return
    try:
        yield None
    finally:
        lock.release()


def _exercise_files(home: Path) -> list[Path]:
    return [
        home / f"{name}.json"
        for name in exercises.names()
        if os.path.lexists(home / f"{name}.json")
    ]


def snapshot(home: str | os.PathLike[str], label: str | None = None) -> Path | None:
    """Keep a dated, owner-only copy of every answers file in ``home/snapshots/``.

    Returns the snapshot folder, or ``None`` when there are no answers to keep.

    Raises
    ------
    LinkRefusedError
        When ``snapshots`` (or an answers file) is a link: nothing is written through it.
    """
    home = Path(home)
    files = {f.name: read_regular(f, MAX_FILE_BYTES) for f in _exercise_files(home)}
    if not files:
        return None
    stem = time.strftime("%Y-%m-%d_%H%M%S") + (f"_{label}" if label else "")
    target = make_private_folder(home, "snapshots", stem)
    for name, data in files.items():
        write_private(home, f"snapshots/{target.name}/{name}", data)
    return target


def list_snapshots(home: str | os.PathLike[str]) -> list[Path]:
    """Return the snapshot folders in ``home``, oldest first (none through a link)."""
    folder = Path(home) / "snapshots"
    if folder.is_symlink() or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())


#: Everything else the kit writes in a participant folder, cleared along with the answers.
_PERSONAL = (REPORT_FILE, "my-leadership-path.pdf", "room.json", "snapshots")


def personal_files(home: str | os.PathLike[str]) -> list[Path]:
    """Return the answers, set-aside copies, reports, room token and snapshots in ``home``."""
    home = Path(home)
    found = _exercise_files(home)
    for name in exercises.names():  # copies set aside after damage or a second window
        found += sorted(home.glob(f"{name}.*-*.json"))
    found += [home / n for n in _PERSONAL if os.path.lexists(home / n)]
    return found


def clear(home: str | os.PathLike[str], *, backup: bool = True) -> Path | None:
    """Clear a participant folder for the next person.

    Moves the answers and everything else the kit wrote for this participant (set-aside
    copies, the saved report, the room token, snapshots) to a dated, owner-only folder
    under ``backups/``. With ``backup=False`` they are deleted instead, together with
    earlier backups, so that nothing of the previous person stays on a shared laptop. A
    link is moved or deleted itself, never what it points at. A marker left in the folder
    stops a kernel opened before the reset from writing the previous person's answers back.

    Returns the backup folder (``None`` when nothing was there or ``backup`` is false).
    """
    home = Path(home)
    if not home.is_dir():
        return None
    target = None
    if backup and personal_files(home):  # a linked backups/ is refused before any change
        target = make_private_folder(home, "backups", time.strftime("cleared-%Y-%m-%d_%H%M%S"))
    # The marker goes first, and the files are listed after it: a save that slips in
    # between is either listed here or refused by its store.
    write_private(home, _GENERATION, secrets.token_hex(8).encode("ascii"))
    files = personal_files(home)
    if not backup:
        for f in files:
            with exercise_lock(home, f.stem) if f.stem in exercises.names() else _no_lock():
                remove_personal(f)
        remove_personal(home / "backups")
        return None
    if not files:
        return None
    if target is None:
        target = make_private_folder(home, "backups", time.strftime("cleared-%Y-%m-%d_%H%M%S"))
    for f in files:
        with exercise_lock(home, f.stem) if f.stem in exercises.names() else _no_lock():
            os.replace(f, target / f.name)  # renames a link itself, never its target
    return target


@contextlib.contextmanager
def _no_lock() -> Iterator[None]:
    yield None
