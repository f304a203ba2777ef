"""The save lock: no writing through a planted link, owner-only, and never in the way."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import filelock
import pytest

from kit import MotivationSort
from kit.answers import AnswerStore

VALUE = {"cards": {"faster_myself": {"bucket": "watch", "frequency": "often"}}, "own": []}


def test_a_link_planted_at_the_lock_path_is_never_written_through(home, tmp_path):
    store = AnswerStore(home)
    home.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"a colleague's file\n")
    victim.chmod(0o644)
    lock = store.lock_path("motivations")
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.symlink_to(victim)
    store.save("motivations", VALUE)
    assert victim.read_bytes() == b"a colleague's file\n"
    assert victim.stat().st_mode & 0o777 == 0o644
    assert store.load("motivations").value == VALUE  # the answers are saved all the same


def test_a_dangling_link_at_the_lock_path_creates_nothing_outside(home, tmp_path):
    store = AnswerStore(home)
    home.mkdir()
    target = tmp_path / "not-yet-there"
    store.lock_path("allocation").symlink_to(target)
    store.save("allocation", {"total": 40})
    assert not target.exists()


def test_lock_files_are_owner_only(home):
    old = os.umask(0o022)
    try:
        AnswerStore(home).save("motivations", VALUE)
    finally:
        os.umask(old)
    lock = AnswerStore(home).lock_path("motivations")
    assert lock.exists()
    assert lock.stat().st_mode & 0o777 == 0o600


def test_where_locking_is_refused_answers_are_saved_without_and_it_is_said_once(home, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(filelock.BaseFileLock, "acquire", refuse)
    sort = MotivationSort()
    for bucket in ("watch", "healthy", "not_me"):
        sort._buckets[bucket].click()
    assert AnswerStore(home).load("motivations").value == sort.value
    said = [n for n in sort.notices if "without a lock" in n]
    assert len(said) == 1, sort.notices


def _read_only(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every new file or folder under ``home`` fail as on a read-only file system."""
    real_open, real_mkdir = os.open, os.mkdir

    def no_create(path, flags, *args, **kwargs):
        where = Path(os.fsdecode(path))
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and (
            str(where).startswith(str(home)) or "dir_fd" in kwargs
        ):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    def no_mkdir(path, *args, **kwargs):
        if str(path).startswith(str(home)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_create)
    monkeypatch.setattr(os, "mkdir", no_mkdir)


def test_a_read_only_folder_still_works_in_memory(home, monkeypatch):
    AnswerStore(home).save("motivations", VALUE)
    before = (home / "motivations.json").read_bytes()
    _read_only(home, monkeypatch)
    sort = MotivationSort()
    assert sort.value == VALUE
    sort._buckets["healthy"].click()
    assert "kept in this session only" in sort._notice.value
    assert (home / "motivations.json").read_bytes() == before


def test_a_lock_held_too_long_elsewhere_does_not_stop_the_save(home, monkeypatch):
    from kit import _folder

    store = AnswerStore(home)
    home.mkdir()
    monkeypatch.setattr(_folder, "LOCK_WAIT", 0.2)
    stuck = filelock.FileLock(store.lock_path("motivations"))  # a window that hangs
    with stuck:
        store.save("motivations", VALUE)
        store.save("motivations", VALUE)
    assert store.load("motivations").value == VALUE
    (said,) = store.take_notes()
    assert "without a lock" in said and "0.2 seconds" in said
