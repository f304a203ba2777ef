"""The projector's view, its command and the debrief's files, driven from Python."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from test_projector import _share

from kit.cli import main
from kit.room import projector as logic
from kit.room.reader import room_picture
from kit.widgets.projector import CARDS_ON_SCREEN, Projector, projector_page, screen_picture


def _state(view: Projector) -> dict[str, str]:
    """The screen's state as the kernel knows it (the page applies numbered ones)."""
    return dict(re.findall(r"data-([\w-]+)='([^']*)'", view._status.value))


def _panel(view: Projector, exercise: str) -> dict[str, str]:
    """What one exercise's panel holds: its snapshot and how many people its picture holds."""
    return dict(re.findall(r"data-([\w-]+)='([^']*)'", view._panels[exercise].value))


def _has_picture(view: Projector, exercise: str) -> bool:
    return "<img src='data:image/png;base64," in view._panels[exercise].value


def test_a_ready_picture_is_on_the_page_hidden_until_revealed(code, rooms, content):
    _share(code, rooms, content, 5)
    view = Projector(code, content=content, auto=False)
    assert {k: v for k, v in _state(view).items() if k in ("picture", "revealed", "blank")} == {
        "picture": "motivations", "revealed": "no", "blank": "no",
    }  # fmt: skip
    panel = view._panels["motivations"].value
    assert _panel(view, "motivations")["pictured"] == "5" and _has_picture(view, "motivations")
    # The picture part is hidden by the HTML itself; only the template's stylesheet shows it.
    assert "<div class='wk-proj-shown' hidden>" in panel and "ready (5 people)" in panel
    view._reveal.click()
    assert view.value == {"picture": "motivations", "revealed": True, "blank": False}
    assert _state(view)["revealed"] == "yes" and view._reveal.description == "Hide (R)"
    assert view._panels["motivations"].value == panel  # a key redraws nothing
    view._pick["allocation"].click()  # another picture: hidden again, the room guesses first
    assert view.value == {"picture": "allocation", "revealed": False, "blank": False}
    assert view._pick["allocation"].button_style == "primary"
    view.step(1)
    assert view.value["picture"] == "archetypes"
    view.step(1)
    assert view.value["picture"] == "motivations"


def test_keys_pressed_on_the_page_are_not_sent_back_but_python_s_states_are(code, content):
    """The page applies a numbered state only: its own keys must not come back as one."""
    view = Projector(code, content=content, auto=False)
    seq = int(_state(view)["seq"])
    view._reveal.click()
    view._blank.click()
    assert int(_state(view)["seq"]) == seq  # the page changed the screen itself
    view.value = {"picture": "archetypes", "revealed": True, "blank": False}
    assert int(_state(view)["seq"]) == seq + 1 and _state(view)["picture"] == "archetypes"
    view.step(1)
    assert int(_state(view)["seq"]) == seq + 2


def test_the_blank_key_blanks_and_brings_back(code, content):
    view = Projector(code, content=content, auto=False)
    view._blank.click()
    assert "wk-proj-blank" in view._dom_classes and view.value["blank"]
    assert _state(view)["blank"] == "yes"
    view._blank.click()
    assert "wk-proj-blank" not in view._dom_classes


def test_below_the_threshold_it_says_how_many_and_holds_no_picture(code, rooms, content):
    _share(code, rooms, content, 4)
    view = Projector(code, content=content, auto=False)
    view._reveal.click()
    assert not _has_picture(view, "motivations") and _panel(view, "motivations")["pictured"] == "0"
    assert "4 of 5" in view._panels["motivations"].value
    assert "At least 4 people" in view._counts.value and "Card sort: 4 shared" in view._counts.value


def test_the_picture_moves_only_in_steps_of_the_threshold(code, rooms, content):
    _share(code, rooms, content, 5)
    view = Projector(code, content=content, auto=False)
    assert _panel(view, "motivations")["pictured"] == "5"
    _share(code, rooms, content, 4, seed=11)
    view.refresh()
    assert _panel(view, "motivations")["pictured"] == "5"  # four more: the same snapshot
    assert "Card sort: 9 shared" in view._counts.value  # the counts are live
    _share(code, rooms, content, 1, seed=12)
    view.refresh()
    assert _panel(view, "motivations")["pictured"] == "10"


def test_all_three_pictures_are_pushed_the_one_on_screen_first(code, rooms, content, monkeypatch):
    _share(code, rooms, content, 5)
    view = Projector(code, content=content, auto=False, rooms=rooms)
    view.value = {"picture": "archetypes", "revealed": False, "blank": False}
    view.HIDDEN_EVERY = 0  # every read updates every panel
    _share(code, rooms, content, 5, seed=21)
    order = []
    for ex, panel in view._panels.items():
        panel.observe(lambda _c, ex=ex: order.append(ex), names="value")
    view.refresh()
    assert order[0] == "archetypes" and sorted(order) == sorted(view._panels)
    assert all(_has_picture(view, ex) for ex in view._panels)


def test_under_load_the_picture_on_screen_is_drawn_first_and_the_others_less_often(
    code, rooms, content
):
    _share(code, rooms, content, 5)
    view = Projector(code, content=content, auto=False, rooms=rooms)
    view.HIDDEN_EVERY = 3600
    _share(code, rooms, content, 5, seed=21)
    view.refresh()
    assert _panel(view, "motivations")["pictured"] == "10"  # on screen: every read
    assert _panel(view, "allocation")["pictured"] == "5"  # not on screen: later
    view._pick["allocation"].click()  # chosen: brought up to the last read at once
    assert _panel(view, "allocation")["pictured"] == "10"


def test_every_picture_of_a_synthetic_room_says_rehearsal(code, rooms, content):
    from kit.charts.room import room_png
    from kit.widgets.projector import screen_picture as screen

    _share(code, rooms, content, 5)
    view = Projector(code, content=content, auto=False)
    assert view._banner.value == ""
    _share(code, rooms, content, 5, seed=3, synthetic=True)
    view.refresh()
    assert "Rehearsal" in view._banner.value
    picture = room_picture(code, content)
    for ex, panel in view._panels.items():
        marked = room_png(screen(picture.exercises[ex].picture), content, rehearsal=True)
        assert base64.b64encode(marked).decode("ascii") in panel.value  # marked in the PNG


def test_a_qr_code_only_with_a_join_link(code, content):
    assert "<svg" not in Projector(code, content=content, auto=False)._top.value
    view = Projector(code, content=content, auto=False, join_url="https://hub.example.org/hub/")
    assert "<svg" in view._top.value and f"room={code}" in view._top.value
    with pytest.raises(ValueError, match="no phone"):
        Projector(code, content=content, auto=False, join_url="http://127.0.0.1:8000/")


def test_the_big_screen_shows_the_card_sort_s_top_cards(code, rooms, content):
    _share(code, rooms, content, 5, only="motivations")
    full = room_picture(code, content).exercises["motivations"].picture
    shown = screen_picture(full)
    assert len(shown.cards) == CARDS_ON_SCREEN < len(full.cards)
    watch = sorted((c.watch / c.people for c in full.cards if c.people), reverse=True)
    assert [c.watch / c.people for c in shown.cards] == watch[:CARDS_ON_SCREEN]


def test_the_page_shows_a_participant_why_not(code, rooms, content, tmp_path):
    logic.claim_room(code, rooms, tmp_path / "facilitator")
    page = projector_page(f"room={code}", home=tmp_path / "participant", content=content)
    assert not isinstance(page, Projector) and "only to the facilitator" in page.value
    assert content.text("projector_refused_not_yours", code=code) in page.value  # ui.yaml's
    mine = projector_page(f"room={code}", home=tmp_path / "facilitator", content=content)
    assert isinstance(mine, Projector) and mine.code == code
    mine.close()


# --------------------------------------------------------------------------- the command
def test_room_create_makes_this_folder_the_room_s_runner(rooms, home, capsys):
    assert main(["room", "create"]) == 0
    code = capsys.readouterr().out.strip()
    assert logic.runs_room(code, rooms, home)


def test_room_present_prints_the_local_link_and_becomes_the_server(code, home, monkeypatch, capsys):
    seen = {}
    monkeypatch.setattr("os.execve", lambda path, argv, env: seen.update(argv=argv, env=env))
    assert main(["room", "present", code, "--join-url", "https://hub.example.org/"]) == 0
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if x.strip().startswith("http://127.0.0.1:")]
    assert f"room={code}" in line and "token=" in line
    assert "voila" in seen["argv"] and "--Voila.ip=127.0.0.1" in seen["argv"]


def test_room_present_refuses_a_room_run_from_elsewhere_and_a_local_qr(code, tmp_path, capsys):
    assert main(["room", "present", code, "--join-url", "http://localhost:8888/"]) == 2
    assert "no phone" in capsys.readouterr().err
    logic.claim_room(code, None, tmp_path / "someone-else")
    assert main(["room", "present", code]) == 2
    assert "another participant folder" in capsys.readouterr().err


def test_room_present_copies_the_page_for_a_hub(code, tmp_path, capsys):
    assert main(["room", "present", code, "--copy-to", str(tmp_path / "mine")]) == 0
    assert (tmp_path / "mine" / "projector.ipynb").is_file()
    assert f"?room={code}" in capsys.readouterr().out


def test_room_export_writes_the_debrief_files_marked_as_a_rehearsal(code, rooms, content, tmp_path):
    from pypdf import PdfReader

    _share(code, rooms, content, 6, synthetic=True)
    assert main(["room", "export", code, "--out", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    stem = f"room-{code}-rehearsal"
    assert names == sorted(
        f"{stem}-{n}"
        for n in ("aggregates.csv", "cards.png", "week.png", "shapes.png", "debrief.pdf")
    )
    pdf = PdfReader(tmp_path / "out" / f"{stem}-debrief.pdf")
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "REHEARSAL" in text and code in text and "6 people shared their week" in text


def test_room_export_before_the_threshold_holds_no_numbers(code, rooms, content, tmp_path, capsys):
    _share(code, rooms, content, 2)
    assert main(["room", "export", code, "--out", str(tmp_path / "out")]) == 0
    assert "No picture is ready yet" in capsys.readouterr().err
    names = {p.suffix for p in Path(tmp_path / "out").iterdir()}
    assert names == {".csv", ".pdf"}
    rows = (tmp_path / "out" / f"room-{code}-aggregates.csv").read_text().splitlines()
    assert len(rows) == 1
