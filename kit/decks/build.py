"""Build the decks: run the notebooks, clean them up, add the room slides, write reveal.js HTML.

:func:`build_decks` executes every notebook once (:mod:`kit.decks.execute`), passes each
through the preprocessors (:mod:`kit.decks.preprocessors`), and exports a deck per notebook
and one combined workshop deck with the kit's nbconvert template
(``kit/templates/workshop_reveal``), which loads nothing from a CDN and starts the local
reveal.js copied beside the decks (:mod:`kit.decks.reveal`). What makes a deck work offline:

- no code cells, only their outputs; charts as embedded PNGs with their text summary;
- nothing that only makes sense at a laptop ('run the cell below', the set-up check);
- a static HTML snapshot wherever a widget was: the export's display priority leaves out the
  widget-view type, and a formatter in the kernel gives every widget a snapshot.

Progress is reported through a callback, so that the caller decides how to show it.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import SlidesExporter
from traitlets.config import Config

from kit._resources import notebooks_dir, templates_dir
from kit.content import load_content
from kit.decks.errors import DeckError
from kit.decks.execute import execute_all, kernel_env
from kit.decks.preprocessors import (
    CleanOutputs,
    InsertRoomSlides,
    LeaveOutOfDecks,
    count_slides,
    headings,
    slide_type,
)
from kit.decks.reveal import REVEAL_DIR, THEME, copy_reveal, reveal_source
from kit.decks.room_pictures import TAG as ROOM_PICTURES_TAG
from kit.decks.room_pictures import InsertRoomPictures, room_pictures
from kit.decks.room_slides import load_room
from kit.render.pdf import NO_CHROMIUM, PdfError, find_chromium, print_pdf

__all__ = [
    "COMBINED",
    "DISPLAY_PRIORITY",
    "Deck",
    "Progress",
    "build_decks",
    "notebook_paths",
]

TEMPLATE_NAME = "workshop_reveal"
#: The name of the combined deck (``workshop.slides.html``).
COMBINED = "workshop"
#: What an export shows of an output, best first. The widget-view type is left out on
#: purpose, so the static snapshot (``text/html``) shows instead of a blank widget area;
#: JavaScript is left out because a deck runs no kernel-made scripts.
DISPLAY_PRIORITY = (
    "text/html",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/plain",
)

#: A progress callback: ``progress(done, total, what)`` after each finished step.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Deck:
    """One built deck.

    Attributes
    ----------
    name
        The notebook's name without ``.ipynb``, or ``COMBINED``.
    html
        The deck file (``NAME.slides.html``).
    slides
        How many slides reveal.js should count (``Reveal.getTotalSlides()``).
    exercises
        How many exercise outputs (widget snapshots and charts) the deck shows.
    notebooks
        The notebooks it was made from.
    pdf
        The PDF, when one was printed.
    warnings
        Sentences about the deck worth reading (a room slide that lost its place).
    """

    name: str
    html: Path
    slides: int
    exercises: int
    notebooks: tuple[str, ...]
    pdf: Path | None = None
    warnings: tuple[str, ...] = ()


def notebook_paths(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the workshop notebooks in order (``00-...`` first), from ``folder`` or the kit."""
    if folder is None:
        folder = notebooks_dir()
    return sorted(Path(folder).glob("[0-9]*.ipynb"))


class _Steps:
    """Counts finished steps for the caller's progress callback."""

    def __init__(self, total: int, progress: Progress | None):
        self.total, self.done, self.progress = max(total, 1), 0, progress

    def __call__(self, what: str) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total, what)


def _exporter() -> SlidesExporter:
    config = Config()
    config.NbConvertBase.display_data_priority = list(DISPLAY_PRIORITY)
    config.SlidesExporter.extra_template_basedirs = [str(templates_dir())]
    config.SlidesExporter.template_name = TEMPLATE_NAME
    config.SlidesExporter.reveal_url_prefix = REVEAL_DIR
    config.SlidesExporter.reveal_theme = THEME
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.reveal_width = "1280"
    config.SlidesExporter.reveal_height = "720"
    config.SlidesExporter.exclude_input = True
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=config)


def _title(nb: Any, fallback: str) -> str:
    title = nb.metadata.get("title")
    if title:
        return str(title)
    for cell in nb.cells:
        heads = headings(cell)
        if heads:
            return heads[0]
    return fallback


def _combined(parts: Sequence[tuple[str, Any]]) -> Any:
    """One notebook made of the cells of ``parts`` in order, each starting a new slide."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = copy.deepcopy(parts[0][1].metadata)
    first_heading = next((h for c in parts[0][1].cells for h in headings(c)), None)
    nb.metadata["title"] = first_heading or _title(parts[0][1], "Workshop")
    for stem, part in parts:
        first = True
        for cell in part.cells:
            cell = copy.deepcopy(cell)
            if "id" in cell:
                cell["id"] = f"{stem}-{cell['id']}"
            if first and slide_type(cell) not in ("notes", "skip"):
                cell.metadata.setdefault("slideshow", {})["slide_type"] = "slide"
                first = False
            nb.cells.append(cell)
    return nb


def _write_deck(
    exporter: SlidesExporter,
    nb: Any,
    name: str,
    out: Path,
    notebooks: tuple[str, ...],
    warnings: Sequence[str] = (),
) -> Deck:
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    target = out / f"{name}.slides.html"
    target.write_text(body, encoding="utf-8")
    exercises = sum(
        1
        for c in nb.cells
        if c.cell_type == "code"
        and c.outputs
        and c.metadata.get("workshop_kit", {}).get("exercise")
        and c.metadata.get("slideshow", {}).get("slide_type") != "skip"
    )
    return Deck(name, target, count_slides(nb.cells), exercises, notebooks, None, tuple(warnings))


def build_decks(
    out: str | os.PathLike[str] = "slides",
    *,
    notebooks: Sequence[str | os.PathLike[str]] | None = None,
    pdf: bool = False,
    content: str | os.PathLike[str] | None = None,
    room: str | os.PathLike[str] | None = None,
    combined: bool = True,
    jobs: int | None = None,
    progress: Progress | None = None,
    room_code: str | None = None,
    rooms: str | os.PathLike[str] | None = None,
) -> list[Deck]:
    """Build a deck per notebook and one combined workshop deck, in one call.

    Parameters
    ----------
    out
        The folder for the decks; ``reveal.js/`` is copied into it, so the folder can be
        moved or put on a USB stick as a whole.
    notebooks
        The notebooks, in order (default: every workshop notebook of the kit).
    pdf
        Also print every deck to ``NAME.slides.pdf`` with headless Chromium.
    content
        A facilitator's content folder for the notebooks to use (default: as the
        environment says, else the packaged content).
    room
        A room-slides file instead of the kit's own ``templates/room.yaml``.
    combined
        Also build the combined deck ``workshop.slides.html``.
    jobs
        How many kernels run at once (default: the number of CPUs, at most 4).
    progress
        Called as ``progress(done, total, what)`` after each finished step.
    room_code
        The room whose pictures the room slides show (the cells tagged ``room-pictures``,
        in the facilitator's notebook); ``None``: a rehearsal room, marked as one.
    rooms
        The rooms folder of ``room_code``; default as the room commands have it.

    Returns
    -------
    list[Deck]
        The decks, the combined one last.

    Raises
    ------
    DeckError
        When reveal.js, Chromium (with ``pdf``), the room file or a notebook fails; the
        message says which and what to do.
    """
    paths = [Path(p) for p in notebooks] if notebooks is not None else notebook_paths()
    if not paths:
        raise DeckError("There are no notebooks to build decks from.")
    for p in paths:
        if not p.is_file():
            raise DeckError(f"{p}: no such notebook.")
    reveal_source()  # fail early, before minutes of work, when reveal.js is missing
    chromium = find_chromium() if pdf else None
    if pdf and chromium is None:
        raise DeckError(NO_CHROMIUM)
    room_slides = load_room(room)
    content_dir = Path(content).expanduser().resolve() if content is not None else None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n_decks = len(paths) + (1 if combined and len(paths) > 1 else 0)
    step = _Steps(len(paths) + n_decks * (2 if pdf else 1) + 1, progress)
    jobs = jobs or min(os.cpu_count() or 1, 4)

    with tempfile.TemporaryDirectory(prefix="workshop-kit-slides-") as tmp:
        work = Path(tmp)
        home = work / "participant"
        executed = execute_all(paths, kernel_env(home, content_dir), work, jobs, step)
        clean, leave_out = CleanOutputs(home=str(home)), LeaveOutOfDecks()
        executed = [clean.preprocess(leave_out.preprocess(nb, {})[0], {})[0] for nb in executed]

    copy_reveal(out)
    step(f"copied reveal.js to {out / REVEAL_DIR}")
    exporter = _exporter()
    parts = []
    decks = []
    pictures = None
    for path, nb in zip(paths, executed, strict=True):
        if any(ROOM_PICTURES_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells):
            if pictures is None:  # the room is read (or a rehearsal made) once, if needed
                words = load_content(content_dir) if content_dir is not None else load_content()
                pictures = InsertRoomPictures(
                    picture=room_pictures(words, room_code, rooms), content=words
                )
            nb, _ = pictures.preprocess(nb, {})
        nb, resources = InsertRoomSlides(slides=list(room_slides), notebook=path.stem).preprocess(
            nb, {}
        )
        parts.append((path.stem, nb))
        warnings = resources["workshop_kit"]["warnings"]
        decks.append(_write_deck(exporter, nb, path.stem, out, (path.name,), warnings))
        step(f"wrote {decks[-1].html.name}")
    if n_decks > len(paths):
        # The workshop deck is the participants' journey; the facilitator's notebooks (9x)
        # keep their own decks.
        journey = [(stem, nb) for stem, nb in parts if not stem.startswith("9")] or parts
        whole = _combined(journey)
        names = tuple(f"{stem}.ipynb" for stem, _ in journey)
        decks.append(_write_deck(exporter, whole, COMBINED, out, names))
        step(f"wrote {decks[-1].html.name} ({decks[-1].slides} slides)")
    if pdf:
        printed = []
        for deck in decks:
            target = deck.html.with_suffix(".pdf")
            try:
                print_pdf(deck.html, target, query="wk-print", chromium=chromium)
            except PdfError as exc:
                raise DeckError(str(exc)) from exc
            printed.append(replace(deck, pdf=target))
            step(f"printed {target.name}")
        decks = printed
    return decks
