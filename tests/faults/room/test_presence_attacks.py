"""The exact 'joined' count, tried the way a curious colleague or a broken disk would.

Joining leaves one empty mark in the room (:mod:`kit.room.presence`). Each test plays an
attack on the count or on the mark's privacy, or a fault that must not break joining.
Before the marks, joining wrote nothing to the room and the projector could only say
"at least" the most shares of one exercise.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from kit.cli import main
from kit.room import presence
from kit.room import projector as room_projector
from kit.room import reader as room_reader
from kit.room import store as room_store


def _marks(rooms: Path, code: str) -> list[Path]:
    return sorted((rooms / code / presence.MARKS_DIR).iterdir())


def _joined(rooms: Path, code: str, content) -> tuple[int, bool]:
    return room_projector.joined_count(room_reader.room_picture(code, content, rooms))


def test_three_people_joining_are_counted_exactly_before_anyone_shares(
    tmp_path, rooms, code, content
):
    for i in range(3):
        room_store.join(code, tmp_path / f"p{i}", rooms)
    assert _joined(rooms, code, content) == (3, True)
    text = room_projector.joined_text(room_reader.room_picture(code, content, rooms), content)
    assert text == "3 people joined the room"


def test_the_mark_carries_nothing_and_no_time(tmp_path, rooms, code):
    room_store.join(code, tmp_path / "p", rooms)
    (mark,) = _marks(rooms, code)
    assert mark.read_bytes() == b""  # no name, no answer, no machine
    assert re.fullmatch(r"[0-9a-f]{32}", mark.name)
    assert int(mark.stat().st_mtime) == room_store.SHARE_MTIME  # not when they joined


def test_sharing_leaves_the_mark_untouched_so_its_times_tell_nothing_of_the_share(
    tmp_path, rooms, code, content
):
    member = room_store.join(code, tmp_path / "p", rooms)
    (mark,) = _marks(rooms, code)
    before = mark.stat()
    room_store.submit(member, "archetypes", _an_archetypes_share(content), rooms)
    after = mark.stat()
    assert (after.st_ino, after.st_ctime_ns, after.st_mtime_ns) == (
        before.st_ino,
        before.st_ctime_ns,
        before.st_mtime_ns,
    )


def test_the_mark_cannot_be_linked_to_the_same_person_s_shares(tmp_path, rooms, code, content):
    member = room_store.join(code, tmp_path / "p", rooms)
    tokens = {room_store.share_token(member, ex) for ex in room_store.EXERCISES}
    (mark,) = _marks(rooms, code)
    assert mark.name not in tokens
    # Someone else's secret gives other names for everything: nothing to match on.
    other = room_store.join(code, tmp_path / "q", rooms)
    assert presence.mark_token(other) != presence.mark_token(member)
    assert {m.name for m in _marks(rooms, code)} == {
        presence.mark_token(member),
        presence.mark_token(other),
    }


def test_joining_twice_and_from_two_windows_counts_once(tmp_path, rooms, code, content):
    home = tmp_path / "p"
    room_store.join(code, home, rooms)
    room_store.join(code.lower(), home, rooms)  # the second window types it again
    member = room_store.joined(home)
    room_store.submit(member, "motivations", {"cards": {"no_code_no_proof": "watch"}}, rooms)
    assert len(_marks(rooms, code)) == 1
    assert _joined(rooms, code, content) == (1, True)


def test_clearing_and_joining_again_counts_once(tmp_path, rooms, code, content):
    home = tmp_path / "p"
    room_store.join(code, home, rooms)
    assert room_store.withdraw_everything(home, rooms).ok
    (home / room_store.JOIN_FILE).unlink()  # the answers and the secret are cleared
    room_store.join(code, home, rooms)
    assert _joined(rooms, code, content) == (1, True)


def test_crafted_entries_in_the_marks_folder_are_not_counted(tmp_path, rooms, code, content):
    room_store.join(code, tmp_path / "p", rooms)
    marks = rooms / code / presence.MARKS_DIR
    (marks / ("a" * 32)).write_text("Dana was here")  # a mark with content
    (marks / ("b" * 32)).mkdir()  # a folder
    (marks / "not-a-token").write_bytes(b"")
    (marks / ("c" * 31)).write_bytes(b"")
    (marks / (".tmp" + "d" * 28)).write_bytes(b"")
    outside = tmp_path / "outside"
    outside.write_bytes(b"")
    (marks / ("e" * 32)).symlink_to(outside)  # a link
    if hasattr(os, "mkfifo"):
        os.mkfifo(marks / ("f" * 32))  # a pipe
    assert _joined(rooms, code, content) == (1, True)


def test_a_marks_folder_that_is_a_link_is_neither_counted_nor_written_through(
    tmp_path, rooms, code, content
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ("a" * 32)).write_bytes(b"")
    marks = rooms / code / presence.MARKS_DIR
    marks.rmdir()
    marks.symlink_to(elsewhere, target_is_directory=True)
    room_store.join(code, tmp_path / "p", rooms)  # joining still works
    assert room_store.joined(tmp_path / "p").code == code
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a" * 32]  # nothing written there
    assert _joined(rooms, code, content) == (0, True)


def test_a_mark_swapped_for_a_link_is_not_written_through(tmp_path, rooms, code):
    member = room_store.join(code, tmp_path / "p", rooms)
    (mark,) = _marks(rooms, code)
    mark.unlink()
    target = tmp_path / "target"
    target.write_bytes(b"keep me")
    mark.symlink_to(target)
    assert not presence.mark_present(member, rooms)
    assert target.read_bytes() == b"keep me"


def test_a_full_disk_does_not_break_joining_and_the_mark_comes_with_a_share(
    tmp_path, rooms, code, content, monkeypatch
):
    real_open = os.open

    def full(path, flags, *args, **kwargs):
        if presence.MARKS_DIR in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(presence.os, "open", full)
    member = room_store.join(code, tmp_path / "p", rooms)
    assert room_store.joined(tmp_path / "p") == member  # joined, in their own folder
    assert _marks(rooms, code) == []
    monkeypatch.undo()
    room_store.submit(member, "archetypes", _an_archetypes_share(content), rooms)
    assert _joined(rooms, code, content) == (1, True)


def test_a_read_only_room_does_not_break_joining(tmp_path, rooms, code, monkeypatch):
    real_open = os.open

    def refused(path, flags, *args, **kwargs):
        if presence.MARKS_DIR in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(presence.os, "open", refused)  # as a read-only rooms folder does
    assert room_store.join(code, tmp_path / "p", rooms).code == code
    assert _marks(rooms, code) == []


def test_fewer_marks_than_shares_is_said_as_at_least(tmp_path, rooms, code, content):
    """People who joined with an earlier kit left no mark: the count is a floor, said so."""
    for i in range(2):
        member = room_store.join(code, tmp_path / f"p{i}", rooms)
        room_store.submit(member, "motivations", {"cards": {"no_code_no_proof": "watch"}}, rooms)
    for mark in _marks(rooms, code):
        mark.unlink()
    assert _joined(rooms, code, content) == (2, False)
    picture = room_reader.room_picture(code, content, rooms)
    assert room_projector.joined_text(picture, content) == "At least 2 people in the room"


def test_room_show_says_how_many_joined(tmp_path, rooms, code, capsys):
    for i in range(4):
        room_store.join(code, tmp_path / f"p{i}", rooms)
    assert main(["room", "show", code]) == 0
    assert "4 people joined the room" in capsys.readouterr().out


def _an_archetypes_share(content) -> dict:
    from kit.answers import DemoStore

    return room_store.build_payload("archetypes", DemoStore().load("archetypes").value, content)


def test_the_marks_end_with_the_room_and_stay_out_of_its_archive(tmp_path, rooms, code):
    import zipfile

    from kit.room.archive import close_room

    room_store.join(code, tmp_path / "p", rooms)
    archive = close_room(code, rooms, archive_dir=tmp_path / "archive")
    with zipfile.ZipFile(archive) as zf:
        assert not [n for n in zf.namelist() if presence.MARKS_DIR in n]
