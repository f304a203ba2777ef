"""The participant's answers files: atomic saves, and every failure loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kit import answers
from kit.answers import AnswerStore, DemoStore, clear, list_snapshots, snapshot
from kit.cli import main

VALUE = {"cards": {"faster_myself": {"bucket": "watch", "frequency": "often"}}, "own": []}


def _listing(home: Path) -> list[str]:
    """The names in a participant folder, without the empty lock files and reset marker."""
    return sorted(
        p.name for p in home.iterdir() if not (p.name.endswith(".lock") or p.name == ".generation")
    )


def test_save_then_load_round_trips_with_a_schema_version(store, home):
    store.save("motivations", VALUE, {"cards": {"old": {"bucket": "healthy"}}})
    raw = json.loads((home / "motivations.json").read_text())
    assert raw["schema"] == answers.SCHEMA_VERSION and raw["exercise"] == "motivations"
    loaded = store.load("motivations")
    assert loaded.value == VALUE and loaded.kept == {"cards": {"old": {"bucket": "healthy"}}}
    assert loaded.notice is None and loaded.writable


def test_nothing_saved_yet_is_not_an_error(store):
    assert store.load("allocation") == answers.Loaded()


def test_unknown_exercise_is_refused(store):
    with pytest.raises(ValueError, match="unknown exercise"):
        store.path("diary")


@pytest.mark.parametrize(
    ("text", "label", "why"),
    [
        ('{"schema": 1, "exercise": "motivations", "value": {"ca', "unreadable", "damaged"),
        ("\xff\xfe not json", "unreadable", "damaged"),
        ('["a", "list"]', "unreadable", "not an answers file"),
        (
            '{"schema": 1, "exercise": "allocation", "value": {}}',
            "unreadable",
            "not an answers file for the card sort",
        ),
        (
            '{"schema": 99, "exercise": "motivations", "value": {}}',
            "from-newer-kit",
            "newer version of the kit",
        ),
    ],
    ids=["truncated", "binary", "not-a-dict", "other-exercise", "newer-version"],
)
def test_a_bad_file_is_set_aside_never_overwritten(store, home, text, label, why):
    home.mkdir()
    original = text.encode("utf-8", "surrogateescape")
    (home / "motivations.json").write_bytes(original)
    loaded = store.load("motivations")
    assert loaded.value is None and loaded.writable
    (aside,) = home.glob(f"motivations.{label}-*.json")
    assert aside.read_bytes() == original
    assert why in loaded.notice and aside.name in loaded.notice
    assert "nothing was deleted" in loaded.notice
    store.save("motivations", VALUE)  # the fresh start never touches the kept file
    assert aside.read_bytes() == original


def test_a_file_that_cannot_be_moved_aside_is_left_alone(store, home, monkeypatch):
    home.mkdir()
    (home / "motivations.json").write_text("{broken")

    def refuse(*_args):
        raise PermissionError("read-only")

    monkeypatch.setattr(answers.os, "replace", refuse)
    loaded = store.load("motivations")
    assert not loaded.writable and "leaves that file as it is" in loaded.notice
    assert (home / "motivations.json").read_text() == "{broken"


def test_a_file_without_permission_is_not_touched(store, home, monkeypatch):
    home.mkdir()
    (home / "allocation.json").write_text("{}")

    def no_permission(path, limit):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(answers, "read_regular", no_permission)
    loaded = store.load("allocation")
    assert not loaded.writable and "no permission" in loaded.notice


def test_a_crash_between_write_and_rename_leaves_the_old_file_whole(store, home, monkeypatch):
    store.save("motivations", VALUE)
    before = (home / "motivations.json").read_bytes()

    def crash(*_args):
        raise KeyboardInterrupt  # the process dies between write and rename

    monkeypatch.setattr(answers.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.save("motivations", {"cards": {}, "own": []})
    monkeypatch.undo()
    assert (home / "motivations.json").read_bytes() == before
    assert _listing(home) == ["motivations.json"]
    assert store.load("motivations").value == VALUE


def test_a_leftover_temporary_file_is_never_read(store, home):
    store.save("motivations", VALUE)
    (home / ".motivations.abc123.tmp").write_text('{"schema": 1, "value": {"half')
    assert store.load("motivations").value == VALUE


def test_a_folder_that_cannot_be_written_raises_for_the_widget_to_report(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        AnswerStore(blocker / "answers").save("motivations", VALUE)


def test_widget_keeps_working_in_memory_when_the_folder_cannot_be_written(tmp_path, monkeypatch):
    from kit import MotivationSort

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("WORKSHOP_KIT_HOME", str(blocker / "answers"))
    sort = MotivationSort()
    sort._buckets["watch"].click()
    assert len(sort.value["cards"]) == 1
    assert "kept in this session only" in sort._notice.value
    assert "cannot be written" in sort._notice.value


WRITER = textwrap.dedent("""
    import sys
    from kit.answers import AnswerStore
    store, exercise, n = AnswerStore(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    for i in range(n):
        store.save(exercise, {"i": i})
""")


def test_two_kernels_saving_different_exercises_at_once_lose_nothing(home):
    n = 300
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(home), ex, str(n)])
        for ex in ("motivations", "allocation")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = AnswerStore(home)
    assert store.load("motivations").value == {"i": n - 1}
    assert store.load("allocation").value == {"i": n - 1}
    assert not list(home.glob(".*.tmp"))


def test_demo_store_never_writes(home):
    demo = DemoStore()
    demo.save("motivations", VALUE)
    assert not home.exists()


def test_snapshot_and_clear_keep_dated_copies(store, home):
    assert snapshot(home) is None and clear(home) is None
    store.save("motivations", VALUE)
    store.save("commitments", {"keep": "on-call"})
    snap = snapshot(home, label="day1")
    assert snap.name.endswith("_day1") and list_snapshots(home) == [snap]
    assert AnswerStore(snap).load("motivations").value == VALUE
    (home / "my-leadership-path.html").write_text("<p>report</p>")
    backup = clear(home)
    assert not (home / "motivations.json").exists()
    # The next person on a shared laptop finds nothing of the previous one outside backups/.
    assert sorted(p.name for p in backup.iterdir()) == [
        "commitments.json",
        "motivations.json",
        "my-leadership-path.html",
        "snapshots",
    ]
    assert list_snapshots(home) == []
    assert _listing(home) == ["backups"]


def test_clear_without_backup_leaves_nothing_personal(store, home):
    store.save("motivations", VALUE)
    clear(home)  # an earlier cohort's backup
    store = AnswerStore(home)  # the next person's kernel
    store.save("allocation", {"total": 40})
    snapshot(home)
    (home / "allocation.unreadable-20260101-000000.json").write_text("{")
    assert clear(home, backup=False) is None
    assert _listing(home) == []


def test_cli_reset_asks_unless_told_and_keeps_a_backup(store, home, capsys, monkeypatch):
    store.save("motivations", VALUE)
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["reset", "--home", str(home)]) == 1
    assert "add --yes" in capsys.readouterr().err
    assert (home / "motivations.json").exists()
    assert main(["reset", "--home", str(home), "--yes"]) == 0
    assert "Backup:" in capsys.readouterr().out
    assert not (home / "motivations.json").exists()
    assert len(list((home / "backups").iterdir())) == 1


def test_cli_reset_with_a_terminal_needs_a_typed_yes(store, home, monkeypatch, capsys):
    store.save("motivations", VALUE)

    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr("builtins.input", lambda _prompt: "no")
    assert main(["reset", "--home", str(home)]) == 1
    assert (home / "motivations.json").exists()
    monkeypatch.setattr("builtins.input", lambda _prompt: "yes")
    assert main(["reset", "--home", str(home), "--no-backup"]) == 0
    assert not (home / "motivations.json").exists() and not (home / "backups").exists()


def test_cli_snapshot(store, home, capsys):
    assert main(["snapshot", "--home", str(home)]) == 0
    assert "no answers" in capsys.readouterr().out
    store.save("allocation", {"total": 40})
    assert main(["snapshot", "--home", str(home)]) == 0
    assert "Kept a dated copy" in capsys.readouterr().out
    assert os.listdir(home / "snapshots")


def test_save_keeps_another_sessions_version_aside(store, home):
    first, _ = store.save("motivations", VALUE, expected=None)
    other, _ = store.save("motivations", {"cards": {}, "own": []}, expected=first)
    # A stale session that still thinks the file holds `first` writes next.
    _, aside = store.save("motivations", VALUE, expected=first)
    assert aside is not None and aside.name.startswith("motivations.other-window-")
    assert aside.read_bytes() == other
    assert store.load("motivations").value == VALUE


def test_two_windows_of_one_exercise_never_overwrite_each_other_silently(home):
    from kit import MotivationSort

    left, right = MotivationSort(), MotivationSort()
    left._buckets["watch"].click()
    right._buckets["healthy"].click()
    (aside,) = home.glob("motivations.other-window-*.json")
    assert json.loads(aside.read_text())["value"] == left.value
    assert json.loads((home / "motivations.json").read_text())["value"] == right.value
    assert aside.name in right._notice.value
    right._buckets["not_me"].click()  # its own next save is not a conflict
    assert len(list(home.glob("motivations.other-window-*.json"))) == 1


def test_reset_clears_reports_and_snapshots_even_without_answers(home, capsys):
    home.mkdir()
    (home / "my-leadership-path.html").write_text("<p>mine</p>")
    (home / "room.json").write_text("{}")
    assert main(["reset", "--home", str(home), "--yes", "--no-backup"]) == 0
    assert _listing(home) == []


def test_answers_are_private_and_room_files_readable_by_others(tmp_path):
    from kit.answers import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "mine.json", b"{}")
        write_atomic(tmp_path / "share.json", b"{}", shared=True)
    finally:
        os.umask(old)
    assert (tmp_path / "mine.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "share.json").stat().st_mode & 0o777 == 0o644
