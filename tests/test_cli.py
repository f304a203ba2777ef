"""The workshop-kit command, run in-process."""

from __future__ import annotations

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


def test_version_and_usage(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert "workshop-kit" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
