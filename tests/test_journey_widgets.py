"""Welcome and synthesis helpers: set-up check, clear my answers, commitments."""

from __future__ import annotations

import json

import pytest

from kit import ClearAnswers, Commitments, check_setup
from kit.answers import AnswerStore, DemoStore


def test_setup_check_reports_ready_and_where_answers_go(home):
    report = check_setup()
    assert report.ok
    text = str(report)
    assert text.startswith("Everything is ready.")
    assert str(home) in text
    assert "&#10003; ready" in report._repr_html_()


def test_setup_check_says_what_to_do_when_the_folder_cannot_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("WORKSHOP_KIT_HOME", str(blocker / "answers"))
    report = check_setup()
    assert not report.ok
    assert "MISSING Where answers go" in str(report)
    assert "Set WORKSHOP_KIT_HOME" in str(report)


def test_clear_answers_asks_first_and_keeps_a_backup(store, home, content):
    store.save("motivations", {"cards": {}, "own": []})
    clear = ClearAnswers()
    clear._ask.click()
    assert clear._confirm.layout.display is None
    assert str(home) in clear._message.value
    clear._cancel.click()
    assert (home / "motivations.json").exists()
    clear._ask.click()
    clear._confirm.click()
    assert not (home / "motivations.json").exists()
    (backup,) = (home / "backups").iterdir()
    assert (backup / "motivations.json").exists()
    assert "nothing was deleted" in clear._message.value


def test_clear_answers_is_off_in_demo_mode():
    assert ClearAnswers(store=DemoStore())._ask.disabled


def test_commitments_save_as_typed_and_restore(home):
    box = Commitments()
    box._boxes["keep"].value = "One on-call shift a month <really>"
    box._boxes["calendar"].value = "   "
    assert box.value == {"keep": "One on-call shift a month <really>"}
    saved = json.loads((home / "commitments.json").read_text())
    assert saved["value"] == box.value
    again = Commitments()
    assert again._boxes["keep"].value == "One on-call shift a month <really>"
    again.value = {"stop": "Hand the migration to Priya"}
    assert again._boxes["keep"].value == ""
    assert again._boxes["stop"].value == "Hand the migration to Priya"


def test_commitments_refuse_unknown_kinds():
    with pytest.raises(ValueError, match="unknown commitment"):
        Commitments(store=None).value = {"maybe": "x"}


def test_commitments_unbound_write_nothing(home):
    Commitments(store=None)._boxes["stop"].value = "x"
    assert not AnswerStore(home).path("commitments").exists()


def test_exercise_widgets_do_no_file_io_themselves():
    """Widgets are views: reading and writing files is the store's job (kit.answers)."""
    import ast
    from pathlib import Path

    io_calls = {
        "open",
        "read_bytes",
        "read_text",
        "write_bytes",
        "write_text",
        "mkdir",
        "unlink",
        "rmtree",
        "replace",
        "rename",
        "touch",
    }
    folder = Path(__file__).resolve().parent.parent / "kit" / "widgets"
    found = []
    for source in sorted(folder.glob("*.py")):
        if source.name == "room.py":  # the room's widgets are checked with the room
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                owner = getattr(getattr(func, "value", None), "id", "")
                if owner == "dataclasses":  # dataclasses.replace makes a value, no file
                    continue
                if name in io_calls:
                    found.append(f"{source.name}:{node.lineno} {name}()")
    assert found == []


def test_an_exercise_page_loads_no_matplotlib_until_a_chart_is_drawn(tmp_path):
    """matplotlib costs a page about half a second of start-up: it waits for a chart."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kit import ArchetypeMatcher, JoinRoom, MotivationSort, ShareWithRoom,"
        " TimeAllocation\n"
        "MotivationSort(); TimeAllocation(); ArchetypeMatcher(); JoinRoom()\n"
        "ShareWithRoom('allocation')\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib loaded with the page'\n"
        "w = TimeAllocation(store=None); w._chart_button.click()\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    env = {
        **os.environ,
        "WORKSHOP_KIT_HOME": str(tmp_path / "home"),
        "WORKSHOP_KIT_ROOMS": str(tmp_path / "rooms"),
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_role_design_conversation_is_a_commitment_with_its_guide(home, content):
    """The optional fourth kind: saved like the others, its short guide folded under it."""
    from pathlib import Path

    from kit import commitments

    box = Commitments()
    assert list(box._boxes) == list(commitments.KINDS)
    assert "conversation" in commitments.OPTIONAL
    box._boxes["conversation"].value = "Ask Dana for a hybrid role by the 30th"
    assert box.value == {"conversation": "Ask Dana for a hybrid role by the 30th"}
    assert json.loads((home / "commitments.json").read_text())["value"] == box.value
    (guide,) = [c for c in box.children if "wk-commit-conversation-guide" in c._dom_classes]
    assert "<details" in guide.value
    for step in content.text("commit_conversation_guide").splitlines():
        assert step.replace("'", "&#x27;").replace('"', "&quot;") in guide.value
    # The facilitator guide's fuller section, which the notebook links to, is where it says.
    page, anchor = commitments.GUIDE.split("#")
    guide_file = Path(__file__).resolve().parent.parent / page
    headings = [
        line.lstrip("#").strip().lower().replace(" ", "-")
        for line in guide_file.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    assert anchor in headings
