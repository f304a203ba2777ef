"""Links in the participant folder are never followed when writing or deleting."""

from __future__ import annotations

from kit import YourPath
from kit.answers import AnswerStore, clear, snapshot
from kit.cli import main

VALUE = {"cards": {"faster_myself": {"bucket": "watch", "frequency": "often"}}, "own": []}


def test_save_my_report_never_writes_through_a_link(home, tmp_path):
    AnswerStore(home).save("motivations", VALUE)
    outside = tmp_path / "someone-elses.html"
    outside.write_text("theirs")
    (home / "my-leadership-path.html").symlink_to(outside)
    page = YourPath()
    assert page.save_report() is None
    assert outside.read_text() == "theirs"
    assert "link" in page._message.value


def test_snapshots_are_never_written_into_a_linked_folder(home, tmp_path, capsys):
    AnswerStore(home).save("motivations", VALUE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (home / "snapshots").symlink_to(elsewhere, target_is_directory=True)
    page = YourPath()
    assert page.keep_snapshot() is None
    assert "link" in page._message.value
    assert main(["snapshot", "--home", str(home)]) == 1
    assert "link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_snapshot_refuses_a_linked_folder(home, tmp_path):
    AnswerStore(home).save("motivations", VALUE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (home / "snapshots").symlink_to(elsewhere, target_is_directory=True)
    try:
        snapshot(home)
    except OSError as exc:
        assert "link" in str(exc)
    assert list(elsewhere.iterdir()) == []


def test_reset_without_backup_removes_a_linked_snapshots_folder_not_its_target(
    home, tmp_path, capsys
):
    AnswerStore(home).save("motivations", VALUE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep-me.txt").write_text("not the participant's")
    (home / "snapshots").symlink_to(elsewhere, target_is_directory=True)
    assert main(["reset", "--home", str(home), "--yes", "--no-backup"]) == 0
    assert (elsewhere / "keep-me.txt").read_text() == "not the participant's"
    assert not (home / "snapshots").exists() and not (home / "snapshots").is_symlink()
    assert not (home / "motivations.json").exists()


def test_reset_with_backup_moves_a_link_not_what_it_points_at(home, tmp_path):
    AnswerStore(home).save("motivations", VALUE)
    outside = tmp_path / "outside.html"
    outside.write_text("theirs")
    (home / "my-leadership-path.html").symlink_to(outside)
    backup = clear(home)
    assert outside.read_text() == "theirs"
    assert (backup / "motivations.json").is_file()


def test_a_linked_backups_folder_is_refused_not_filled(home, tmp_path, capsys):
    AnswerStore(home).save("motivations", VALUE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (home / "backups").symlink_to(elsewhere, target_is_directory=True)
    assert main(["reset", "--home", str(home), "--yes"]) == 1
    assert "link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
    assert (home / "motivations.json").is_file()  # nothing was moved or lost
    assert not (home / ".generation").exists()  # and open kernels may still save
    assert main(["reset", "--home", str(home), "--yes", "--no-backup"]) == 0
    assert list(elsewhere.iterdir()) == [] and not (home / "backups").is_symlink()
