"""The workshop-kit command, run in-process."""

from __future__ import annotations

import os
import shutil

import pytest

from kit._resources import notebooks_dir
from kit.cli import main
from kit.content import packaged_content_dir


def test_check_accepts_a_valid_folder(tmp_path, capsys):
    folder = tmp_path / "content"
    shutil.copytree(packaged_content_dir(), folder)
    assert main(["check", str(folder)]) == 0
    assert "the content is valid" in capsys.readouterr().out


def test_check_lists_problems_without_a_traceback(tmp_path, capsys):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "themes.yaml").write_text("themes:\n  - id: ground_truth\n    label: ''\n")
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "themes.yaml, theme 'ground_truth': field 'label'" in err
    assert "field 'description': missing" in err
    assert f"workshop-kit check {folder}" in err


def test_open_makes_a_workspace_and_keeps_existing_copies(tmp_path, capsys):
    workspace = tmp_path / "ws"
    assert main(["open", str(workspace), "--no-browser-launch"]) == 0
    names = sorted(p.name for p in workspace.glob("*.ipynb"))
    assert names == sorted(p.name for p in notebooks_dir().glob("0*.ipynb"))
    assert main(["open", str(tmp_path / "fac"), "--facilitator", "--no-browser-launch"]) == 0
    assert (tmp_path / "fac" / "90-room.ipynb").exists()
    mine = workspace / names[0]
    mine.write_text("my edits")
    assert main(["open", str(workspace), "--no-browser-launch"]) == 0
    assert mine.read_text() == "my edits"
    assert "your copies were kept" in capsys.readouterr().out


def test_open_gives_participants_their_words_and_the_facilitator_the_notes(tmp_path):
    import json

    assert main(["open", str(tmp_path / "ws"), "--no-browser-launch"]) == 0
    assert main(["open", str(tmp_path / "fac"), "--facilitator", "--no-browser-launch"]) == 0
    for copy in sorted((tmp_path / "ws").glob("*.ipynb")):
        cells = json.loads(copy.read_text(encoding="utf-8"))["cells"]
        kinds = {c["metadata"].get("slideshow", {}).get("slide_type") for c in cells}
        text = "".join("".join(c["source"]) for c in cells)
        assert "notes" not in kinds and "Facilitator" not in text, copy.name
        assert "facilitator's key" not in text.lower(), copy.name
        packaged = json.loads((notebooks_dir() / copy.name).read_text(encoding="utf-8"))
        notes = [
            c
            for c in packaged["cells"]
            if c["metadata"].get("slideshow", {}).get("slide_type") == "notes"
        ]
        assert len(cells) == len(packaged["cells"]) - len(notes)  # notebook-only cells stay
    welcome = (tmp_path / "fac" / "00-welcome.ipynb").read_text(encoding="utf-8")
    assert "Facilitator" in welcome  # the facilitator's copy keeps the speaker notes


def test_version_and_usage(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert "workshop-kit" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


# ---------------------------------------------------------------- mistakes and stopping
def test_report_into_a_folder_writes_the_usual_name_inside_it(tmp_path, capsys):
    assert main(["report", "--demo", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "my-leadership-path.html").is_file()


def test_report_without_html_gets_it_added_and_said(tmp_path, capsys):
    assert main(["report", "--demo", "--out", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r.html").is_file() and not (tmp_path / "r").exists()
    assert "r.html" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_target_is_one_line_and_exit_1(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["report", "--demo", "--out", str(locked / "r.html")]) == 1
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "permission denied" in err and str(locked) in err


def test_an_unwritable_target_is_one_line_and_exit_1_even_as_root(tmp_path, capsys):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder should be")
    assert main(["report", "--demo", "--out", str(blocker / "r.html")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(blocker) in err and err.count("\n") == 1


def test_file_errors_become_one_sentence_naming_the_file(tmp_path, capsys, monkeypatch):
    from kit import cli

    def fail(args):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x.html"))

    parser = cli._parser()
    monkeypatch.setattr(cli, "_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["report"].set_defaults(run=fail)
    assert cli.main(["report", "--demo"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x.html" in err and "permission denied" in err


def test_bad_content_folder_is_one_message_in_every_command(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "content"
    bad.mkdir()
    (bad / "cards.yaml").write_text("cards: [{id: 1}]\n")
    monkeypatch.setenv("WORKSHOP_KIT_CONTENT", str(bad))
    assert main(["report", "--demo", "--out", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "cards.yaml" in err and "workshop-kit check" in err
    assert "WORKSHOP_KIT_CONTENT" in err


def test_ctrl_c_in_a_command_ends_quietly(capsys, monkeypatch):
    from kit import cli

    def interrupted(args):
        raise KeyboardInterrupt

    parser = cli._parser()
    monkeypatch.setattr(cli, "_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["report"].set_defaults(run=interrupted)
    assert cli.main(["report", "--demo"]) == 130
    assert capsys.readouterr().err.strip() == "Stopped."


def test_slides_use_the_content_folder_the_facilitator_set(tmp_path, monkeypatch, capsys):
    from kit import decks

    mine = tmp_path / "mine"
    shutil.copytree(packaged_content_dir(), mine)
    seen = {}

    def fake_build(out, **options):
        seen.update(options)
        return []

    monkeypatch.setattr(decks, "build_decks", fake_build)
    monkeypatch.setenv("WORKSHOP_KIT_CONTENT", str(mine))
    assert main(["slides", "--out", str(tmp_path / "decks")]) == 0
    assert seen["content"] == str(mine)
    other = tmp_path / "other"
    shutil.copytree(packaged_content_dir(), other)
    assert main(["slides", "--out", str(tmp_path / "decks"), "--content", str(other)]) == 0
    assert seen["content"] == str(other)  # --content wins over the environment


def test_slides_with_a_bad_content_folder_stop_before_any_work(tmp_path, monkeypatch, capsys):
    from kit import decks

    monkeypatch.setattr(decks, "build_decks", lambda *a, **k: pytest.fail("built anyway"))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "cards.yaml").write_text("cards: [{id: 1}]\n")
    monkeypatch.setenv("WORKSHOP_KIT_CONTENT", str(bad))
    assert main(["slides", "--out", str(tmp_path / "decks")]) == 1
    assert "cards.yaml" in capsys.readouterr().err
