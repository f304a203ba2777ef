"""The room's pictures in the deck: the projector's pictures, as slides.

The facilitator's notebook (``90-room``) marks the cell that shows the live room with the
tag ``room-pictures``. A live widget cannot run in a deck, so :class:`InsertRoomPictures`
puts one slide per exercise after that cell instead, each showing exactly what the
projector shows for the same snapshot: the same PNG bytes
(:func:`kit.charts.room.screen_png`), its text summary as alt text and below, and the
rehearsal mark for a synthetic room. ``room export`` draws with the same function.

Which room: a real room's snapshots (``workshop-kit slides --room-pictures CODE``, after the
workshop), or, by default, a rehearsal room of synthetic people made in a throwaway folder
(:func:`rehearsal_picture`), so a deck made before the workshop shows what the debrief
slides will look like, marked as a rehearsal.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from typing import TYPE_CHECKING, Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Any as AnyTrait

from kit.decks.errors import DeckError
from kit.room.demo import fill_demo
from kit.room.pictures import picture_text, snapshot_text
from kit.room.projector import is_rehearsal, joined_text
from kit.room.reader import room_picture
from kit.room.store import create_room

if TYPE_CHECKING:
    from kit.content import Content
    from kit.room.pictures import ExercisePicture, RoomPicture

__all__ = ["TAG", "InsertRoomPictures", "picture_cells", "rehearsal_picture", "room_pictures"]

#: The cell tag that says where the room's pictures go.
TAG = "room-pictures"
#: The synthetic people of the default rehearsal room (enough for every picture).
REHEARSAL_PEOPLE = 12


def rehearsal_picture(
    content: Content, people: int = REHEARSAL_PEOPLE, seed: int = 1
) -> RoomPicture:
    """Return the picture of a rehearsal room of ``people`` synthetic participants.

    Made as ``room demo`` makes one, in a throwaway rooms folder, and read through the same
    snapshots as the projector; nothing is left behind.
    """
    with tempfile.TemporaryDirectory(prefix="workshop-kit-rehearsal-") as rooms:
        code = create_room(rooms)
        fill_demo(code, people, content, rooms, seed=seed)
        return room_picture(code, content, rooms)


def room_pictures(
    content: Content, code: str | None = None, rooms: str | os.PathLike[str] | None = None
) -> RoomPicture:
    """Return room ``code``'s picture (its snapshots), or a rehearsal room's without one."""
    if code is None:
        return rehearsal_picture(content)
    picture = room_picture(code, content, rooms)
    if not picture.open:
        raise DeckError(f"There is no open room {picture.code} for the deck's room pictures.")
    return picture


def _slide(part: ExercisePicture, picture: RoomPicture, content: Content) -> str:
    """One exercise's slide: heading, the projector's picture, its sentences (escaped)."""
    from kit.charts.room import screen_png  # at call time: matplotlib, only to draw

    t = content.text
    esc = html.escape
    rehearsal = is_rehearsal(picture)
    lines = [f"## {esc(t(f'room_view_heading_{part.exercise}'))}", ""]
    if rehearsal:
        lines.append(f"<p class='wk-rehearsal'><b>{esc(t('projector_rehearsal'))}</b></p>")
    summary = picture_text(part, content)
    if part.picture is None:
        lines.append(f"<p>{esc(summary)}</p>")
    else:
        data = base64.b64encode(screen_png(part, content, rehearsal=rehearsal)).decode("ascii")
        lines += [
            f"<img class='wk-room-picture' src='data:image/png;base64,{data}' "
            f"alt='{esc(summary)}' style='max-height:60vh'>",
            f"<p>{esc(summary)}</p>",
            f"<p><small>{esc(snapshot_text(part, content))} · "
            f"{esc(joined_text(picture, content))}</small></p>",
        ]
    return "\n".join(lines)


def picture_cells(picture: RoomPicture, content: Content) -> list[Any]:
    """Return one markdown slide per exercise of the room."""
    return [
        nbformat.v4.new_markdown_cell(
            _slide(part, picture, content),
            metadata={
                "slideshow": {"slide_type": "slide"},
                "workshop_kit": {"room_picture": part.exercise},
            },
        )
        for part in picture.exercises.values()
    ]


class InsertRoomPictures(Preprocessor):
    """Put the room's picture slides after each cell tagged ``room-pictures``.

    The tagged cell's own outputs (a live view, frozen empty) are dropped: the slides show
    the room instead. A notebook without the tag is left as it is.
    """

    picture = AnyTrait(help="The room's picture (kit.room.pictures.RoomPicture).")
    content = AnyTrait(help="The workshop content whose words the slides use.")

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            if TAG in cell.get("metadata", {}).get("tags", []):
                if cell.cell_type == "code":
                    cell.outputs = []
                cells.extend(picture_cells(self.picture, self.content))
        nb.cells = cells
        return nb, resources
