"""nbconvert preprocessors that turn an executed notebook into what a room should see.

- :class:`LeaveOutOfDecks`: leaves out what only makes sense at a participant's laptop: the
  cells tagged ``deck-skip``, 'run the cell below' instructions and the set-up check (a
  table of Python package versions);
- :class:`CleanOutputs`: drops warnings, hides the throwaway participant folder, gives a
  widget with no snapshot a placeholder, and marks each exercise output (a widget's
  snapshot or a chart) so the deck template and the tests can find it;
- :class:`InsertRoomSlides`: puts the room's pair-work and timing slides
  (:mod:`kit.decks.room_slides`) after the slide they follow, with their speaker notes.

Also :func:`count_slides`, which mirrors how nbconvert's reveal export cuts cells into slides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import List, Unicode

from kit.decks.room_slides import RoomSlide
from kit.render.templating import render

__all__ = [
    "DECK_SKIP_TAG",
    "LAPTOP_ONLY_CALLS",
    "WIDGET_VIEW",
    "CleanOutputs",
    "InsertRoomSlides",
    "LeaveOutOfDecks",
    "count_slides",
    "headings",
    "laptop_only",
    "slide_type",
]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_PLACEHOLDER = (
    "<div class='wk-snapshot'><i>This part is interactive: open the notebook to use it.</i></div>"
)
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)

#: A cell with this tag never reaches a deck (the notebook's own way to say 'laptop only').
DECK_SKIP_TAG = "deck-skip"
#: Calls whose output belongs on a participant's laptop, not on a projector: the set-up
#: check shows a table of Python package versions.
LAPTOP_ONLY_CALLS = ("check_setup",)
_LAPTOP_CALL_RE = re.compile(r"\b(?:" + "|".join(LAPTOP_ONLY_CALLS) + r")\s*\(")
#: Words that only make sense in front of a notebook, never on a projected slide.
_RUN_INSTRUCTION_RE = re.compile(r"\brun\s+(?:the|this)\s+cells?\s+below\b", re.IGNORECASE)


def slide_type(cell: Any) -> str:
    """Return a cell's slideshow type (``slide``, ``subslide``, ``notes``, ..., ``-``)."""
    return (cell.get("metadata", {}).get("slideshow") or {}).get("slide_type", "-")


def headings(cell: Any) -> list[str]:
    """Return the Markdown headings of a cell, without their ``#``'s."""
    if cell.get("cell_type") != "markdown":
        return []
    return [h.strip() for h in _HEADING_RE.findall(cell.get("source", ""))]


def count_slides(cells: Iterable[Any]) -> int:
    """Return how many slides reveal.js shows for ``cells`` (slides plus sub-slides).

    Mirrors nbconvert's reveal preprocessor: the first cell that is neither ``notes`` nor
    ``skip`` starts a slide whatever its type, then every ``slide`` and ``subslide`` cell
    starts one.
    """
    count, started = 0, False
    for cell in cells:
        kind = slide_type(cell)
        if not started:
            if kind not in ("notes", "skip"):
                started, count = True, 1
        elif kind in ("slide", "subslide"):
            count += 1
    return count


def laptop_only(cell: Any) -> bool:
    """Whether a cell only makes sense at a participant's laptop (see :class:`LeaveOutOfDecks`)."""
    if DECK_SKIP_TAG in cell.get("metadata", {}).get("tags", []):
        return True
    source = cell.get("source", "")
    if cell.get("cell_type") == "markdown":
        return bool(_RUN_INSTRUCTION_RE.search(source))
    return cell.get("cell_type") == "code" and bool(_LAPTOP_CALL_RE.search(source))


class LeaveOutOfDecks(Preprocessor):
    """Leave out the cells that only make sense at a participant's laptop.

    That is a cell tagged ``deck-skip``, a markdown cell that says 'run the cell below', and
    a code cell that calls the set-up check (:data:`LAPTOP_ONLY_CALLS`). When a left-out
    cell started a slide, the next cell that stays takes over the start, so what followed
    never slips onto the slide before.
    """

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        kept, pending = [], None
        for cell in nb.cells:
            kind = slide_type(cell)
            if laptop_only(cell):
                if kind == "slide" or (kind == "subslide" and pending is None):
                    pending = kind
                continue
            if pending is not None and kind not in ("notes", "skip"):
                if kind in ("-", "fragment") or (kind == "subslide" and pending == "slide"):
                    cell.metadata.setdefault("slideshow", {})["slide_type"] = pending
                pending = None
            kept.append(cell)
        nb.cells = kept
        return nb, resources


class CleanOutputs(Preprocessor):
    """Keep what a room should see of each code cell's outputs; mark exercise outputs.

    Standard error goes (warnings belong in a log, not on a slide); the participant folder
    the notebooks ran in is named 'your answers folder'; a widget without a static snapshot
    gets a placeholder; a cell showing a widget or a chart gets
    ``metadata.workshop_kit.exercise`` (``widget`` or ``chart``).
    """

    home = Unicode("", help="The throwaway participant folder, never shown on a slide.").tag(
        config=True
    )

    def _hide(self, text: str) -> str:
        return text.replace(self.home, "your answers folder") if self.home else text

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        if cell.cell_type != "code":
            return cell, resources
        kept = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                continue
            if out.output_type == "stream":
                out.text = self._hide(out.text)
            data = out.get("data")
            if data is not None:
                if WIDGET_VIEW in data and "text/html" not in data:
                    data["text/html"] = _PLACEHOLDER
                for mime in ("text/html", "text/plain"):
                    if isinstance(data.get(mime), str):
                        data[mime] = self._hide(data[mime])
            kept.append(out)
        cell.outputs = kept
        datas = [o.get("data", {}) for o in kept]
        if any(WIDGET_VIEW in d for d in datas):
            cell.metadata["workshop_kit"] = {"exercise": "widget"}
        elif any("image/png" in d for d in datas):
            cell.metadata["workshop_kit"] = {"exercise": "chart"}
        return cell, resources


def _minutes(value: float) -> str:
    return f"{value:g} min"


def room_cells(slide: RoomSlide) -> list[Any]:
    """Return the markdown cells of one room slide: the slide and its speaker notes."""
    cells = [
        nbformat.v4.new_markdown_cell(
            render("decks/room_slide.html.j2", slide=slide, minutes=_minutes).strip(),
            metadata={"slideshow": {"slide_type": "slide"}, "workshop_kit": {"room": True}},
        )
    ]
    if slide.notes:
        # A folded YAML block (>-) turns each blank line into one line break.
        paragraphs = [p.strip() for p in slide.notes.splitlines() if p.strip()]
        cells.append(
            nbformat.v4.new_markdown_cell(
                render("decks/room_notes.html.j2", paragraphs=paragraphs).strip(),
                metadata={"slideshow": {"slide_type": "notes"}},
            )
        )
    return cells


class InsertRoomSlides(Preprocessor):
    """Put the room slides of one notebook in their places in its cells.

    A slide goes after the whole slide whose heading its ``after`` names (up to the next
    cell that starts a slide), or at the end. A heading that is not found is not an error
    (the notebook may have been edited): the slide goes at the end, and a sentence saying so
    is added to ``resources["workshop_kit"]["warnings"]``.
    """

    slides = List(help="The room slides (kit.decks.room_slides.RoomSlide), of every deck.")
    notebook = Unicode(help="The notebook's name without .ipynb: its slides are inserted.")

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        warnings = resources.setdefault("workshop_kit", {}).setdefault("warnings", [])
        cells = list(nb.cells)
        for slide in (s for s in self.slides if s.notebook == self.notebook):
            at = len(cells)
            if slide.after:
                found = next(
                    (i for i, c in enumerate(cells) if slide.after.strip() in headings(c)), None
                )
                if found is None:
                    warnings.append(
                        f"{self.notebook}: no slide has the heading {slide.after!r}; the room "
                        f"slide {slide.title!r} goes at the end of its deck."
                    )
                else:
                    at = next(
                        (
                            i
                            for i in range(found + 1, len(cells))
                            if slide_type(cells[i]) == "slide"
                        ),
                        len(cells),
                    )
            cells[at:at] = room_cells(slide)
        nb.cells = cells
        return nb, resources
