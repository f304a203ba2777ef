"""The room's pictures are drawn once: the projector, the deck's room slides, the debrief."""

from __future__ import annotations

import base64
import re

import nbformat

from kit._resources import notebooks_dir
from kit.charts import room as room_charts
from kit.decks.room_pictures import TAG, InsertRoomPictures, picture_cells, rehearsal_picture
from kit.room.demo import fill_demo
from kit.room.reader import room_picture
from kit.widgets.projector import Projector

_IMG = re.compile(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'")


def _pngs(html: str) -> list[bytes]:
    return [base64.b64decode(m) for m in _IMG.findall(html)]


def test_the_deck_shows_the_projector_s_bytes_for_the_same_snapshot(code, rooms, content):
    fill_demo(code, 7, content, rooms)
    view = Projector(code, content=content, rooms=rooms, auto=False)
    picture = room_picture(code, content, rooms)
    slides = {
        c.metadata["workshop_kit"]["room_picture"]: c for c in picture_cells(picture, content)
    }
    assert list(slides) == list(view._panels)
    for ex, panel in view._panels.items():
        (on_screen,) = _pngs(panel.value)
        (in_deck,) = _pngs(slides[ex].source)
        assert on_screen == in_deck and on_screen.startswith(b"\x89PNG")
        assert "Rehearsal" in slides[ex].source  # a synthetic room says so on every slide


def test_one_drawing_function_makes_every_room_picture(code, rooms, content, tmp_path, monkeypatch):
    from kit.render.debrief import write_debrief

    fill_demo(code, 6, content, rooms)
    drawn = []
    real = room_charts.room_png

    def counting(picture, content, **kwargs):
        drawn.append((type(picture).__name__, kwargs.get("rehearsal")))
        return real(picture, content, **kwargs)

    monkeypatch.setattr(room_charts, "room_png", counting)
    picture = room_picture(code, content, rooms)
    Projector(code, content=content, rooms=rooms, auto=False)  # the projector
    picture_cells(picture, content)  # the deck
    write_debrief(picture, content, tmp_path / "out")  # room export
    kinds = ["CardsPicture", "WeekPicture", "ShapesPicture"]
    assert drawn == [(k, True) for k in kinds] * 3  # 3 places x 3 pictures, all marked


def test_a_picture_not_ready_is_a_sentence_on_its_slide(code, rooms, content):
    fill_demo(code, 2, content, rooms)
    cells = picture_cells(room_picture(code, content, rooms), content)
    assert len(cells) == 3 and not any(_pngs(c.source) for c in cells)
    assert all("2 of 5 have shared" in c.source for c in cells)


def test_the_room_notebook_marks_where_the_pictures_go_and_they_replace_the_live_view(content):
    nb = nbformat.read(notebooks_dir() / "90-room.ipynb", as_version=4)
    (tagged,) = [c for c in nb.cells if TAG in c.metadata.get("tags", [])]
    assert "RoomView()" in tagged.source
    tagged.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "RoomView"})]
    picture = rehearsal_picture(content)
    assert all(p.picture is not None for p in picture.exercises.values())
    out, _ = InsertRoomPictures(picture=picture, content=content).preprocess(nb, {})
    at = out.cells.index(tagged)
    assert tagged.outputs == []
    added = out.cells[at + 1 : at + 4]
    assert [c.metadata["workshop_kit"]["room_picture"] for c in added] == [
        "motivations",
        "allocation",
        "archetypes",
    ]
    assert all(c.metadata["slideshow"]["slide_type"] == "slide" for c in added)


def test_slides_room_pictures_builds_the_room_slides_from_a_real_room(
    code, rooms, content, tmp_path, monkeypatch
):
    from kit.cli import main
    from kit.decks import room_pictures

    seen = {}

    def build_decks(out, **kwargs):
        seen.update(kwargs)
        return []

    monkeypatch.setattr("kit.decks.build_decks", build_decks)
    args = ["slides", "--out", str(tmp_path / "d"), "--room-pictures", code, "--rooms", str(rooms)]
    assert main(args) == 0
    assert seen["room_code"] == code and seen["rooms"] == str(rooms)
    fill_demo(code, 5, content, rooms)
    picture = room_pictures.room_pictures(content, code, rooms)
    assert picture.code == code and picture.exercises["motivations"].pictured == 5


def test_a_deck_of_a_room_that_is_not_open_says_so(code, rooms, content):
    import pytest

    from kit.decks.errors import DeckError
    from kit.decks.room_pictures import room_pictures

    other = "ABCDEF" if code != "ABCDEF" else "ABCDEG"
    with pytest.raises(DeckError, match=f"no open room {other}"):
        room_pictures(content, other, rooms)
