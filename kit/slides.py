"""Slide decks from the workshop notebooks, for a room with no internet (design.md, decision 6).

``workshop-kit slides`` executes every notebook once, in its own kernel, under the demo
profile (``WORKSHOP_KIT_PROFILE=demo``) and a throwaway participant folder, then exports a
reveal.js deck per notebook and one combined workshop deck. What makes the decks work
offline (shared/notes/tested-recipes.md, "An offline deck that works"):

- a small nbconvert template (``kit/templates/workshop_reveal``) that loads no CDN and starts
  reveal.js with plain script tags, from a local copy put beside the decks; that copy comes
  from the ``sphinx-revealjs`` package, installed by the project's own set-up;
- no code cells, only their outputs; charts as embedded PNGs with their text summary;
- a static HTML snapshot wherever a widget was: the export's display priority leaves out the
  widget-view type, and a formatter in the kernel gives every widget a snapshot.

Each deck also carries the room's pair-work and timing slides (``kit/templates/room.yaml``),
and the speaker notes of the notebooks (press ``s`` in a deck). ``--pdf`` prints every deck
with headless Chromium, with the network shut off.

This module imports nothing heavy at import time: nbconvert and nbclient load when a deck is
built, so ``kit.handouts`` can share the PDF printer cheaply.
"""

from __future__ import annotations

import argparse
import copy
import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from kit._resources import notebooks_dir, templates_dir

__all__ = [
    "COMBINED",
    "DISPLAY_PRIORITY",
    "Deck",
    "Progress",
    "RoomSlide",
    "RoomStep",
    "SlidesError",
    "add_commands",
    "build_decks",
    "count_slides",
    "find_chromium",
    "load_room",
    "notebook_paths",
    "print_pdf",
    "reveal_source",
]

TEMPLATES = templates_dir()
TEMPLATE_NAME = "workshop_reveal"
ROOM_FILE = TEMPLATES / "room.yaml"
#: The folder beside the decks that holds the local reveal.js.
REVEAL_DIR = "reveal.js"
#: The name of the combined deck (``workshop.slides.html``).
COMBINED = "workshop"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
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
#: The reveal.js theme of the decks, and the fonts it loads (from beside the deck). Themes
#: such as 'simple' or 'beige' ask Google Fonts, so they would not work offline.
THEME = "white"
THEME_FONTS = ("source-sans-pro",)
ENV_REVEAL = "WORKSHOP_KIT_REVEAL"
ENV_CHROMIUM = "WORKSHOP_KIT_CHROMIUM"
CELL_TIMEOUT = 300  # seconds; the slowest cell draws a chart, far below this

# Run in each kernel before the notebook, then dropped from the deck: every widget, not only
# the exercise widgets, gets a static ``text/html`` snapshot (an exercise widget's own one
# wins), so no deck shows ``VBox(...)`` or a blank space where a widget was.
_KERNEL_SETUP = """
def _wk_deck_setup():
    from IPython import get_ipython

    def snapshot(widget):
        bundle = widget._repr_mimebundle_() or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        if "text/html" in bundle:
            return bundle["text/html"]
        from kit.widgets._snapshot import snapshot_html
        return snapshot_html(widget)

    get_ipython().display_formatter.formatters["text/html"].for_type_by_name(
        "ipywidgets.widgets.widget", "Widget", snapshot)


_wk_deck_setup()
del _wk_deck_setup
"""

_PLACEHOLDER = (
    "<div class='wk-snapshot'><i>This part is interactive: open the notebook to use it.</i></div>"
)


class SlidesError(RuntimeError):
    """A deck could not be built; the message says which notebook or file and why."""


# --------------------------------------------------------------------------- progress
class Progress:
    """A one-line-per-step text progress bar (no dependency; readable in CI logs).

    Parameters
    ----------
    total
        How many steps the whole job has.
    stream
        Where the lines go (default: standard error).
    width
        Characters in the bar.
    """

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 24):
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self._start = time.perf_counter()
        self._lock = threading.Lock()

    def step(self, what: str) -> None:
        """Count one finished step and print the bar with ``what`` was done."""
        with self._lock:
            self.done = min(self.done + 1, self.total)
            filled = round(self.width * self.done / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            elapsed = time.perf_counter() - self._start
            print(
                f"slides [{bar}] {self.done:>{len(str(self.total))}}/{self.total} "
                f"{elapsed:5.1f}s  {what}",
                file=self.stream,
                flush=True,
            )


# --------------------------------------------------------------------------- inputs
def notebook_paths(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the workshop notebooks in order (``00-...`` first), from ``folder`` or the kit."""
    if folder is None:
        folder = notebooks_dir()
    return sorted(Path(folder).glob("[0-9]*.ipynb"))


def reveal_source() -> Path:
    """Return the installed reveal.js folder (with ``dist/`` and ``plugin/notes/``).

    ``$WORKSHOP_KIT_REVEAL`` may name another copy (reveal.js 4 or 5, e.g. from npm);
    otherwise the copy inside the ``sphinx-revealjs`` package is used, found without
    importing Sphinx.

    Raises
    ------
    SlidesError
        When no usable copy is installed.
    """
    env = os.environ.get(ENV_REVEAL)
    if env:
        candidates = [Path(env).expanduser()]
    else:
        spec = importlib.util.find_spec("sphinx_revealjs")
        places = list(spec.submodule_search_locations or []) if spec else []
        candidates = [Path(p) / "_static" / "revealjs" for p in places]
    for folder in candidates:
        if (folder / "dist" / "reveal.js").is_file() and (
            folder / "plugin" / "notes" / "notes.js"
        ).is_file():
            return folder
    where = f"{ENV_REVEAL}={env}" if env else "the sphinx-revealjs package"
    raise SlidesError(
        f"No usable reveal.js found in {where} (it needs dist/reveal.js and "
        "plugin/notes/notes.js). The kit's set-up installs it: run "
        "'python3 make.py workshop' or 'pip install sphinx-revealjs'."
    )


def _copy_reveal(out: Path) -> Path:
    """Copy what the decks load beside them: reveal.js, its CSS, one theme, the notes plugin.

    Only the deck's theme is copied: other reveal.js themes ask Google Fonts for their type.
    """
    source, target = reveal_source(), out / REVEAL_DIR
    skip = shutil.ignore_patterns("*.map", "*.esm.js")
    (target / "dist" / "theme").mkdir(parents=True, exist_ok=True)
    for name in ("reveal.js", "reveal.css", "reset.css"):
        if (source / "dist" / name).is_file():
            shutil.copy2(source / "dist" / name, target / "dist" / name)
    theme = source / "dist" / "theme"
    shutil.copy2(theme / f"{THEME}.css", target / "dist" / "theme" / f"{THEME}.css")
    for font in THEME_FONTS:
        if (theme / "fonts" / font).is_dir():
            shutil.copytree(
                theme / "fonts" / font,
                target / "dist" / "theme" / "fonts" / font,
                dirs_exist_ok=True,
            )
    shutil.copytree(
        source / "plugin" / "notes", target / "plugin" / "notes", ignore=skip, dirs_exist_ok=True
    )
    if (source / "LICENSE").is_file():
        shutil.copy2(source / "LICENSE", target / "LICENSE")
    return target


# --------------------------------------------------------------------------- room slides
@dataclass(frozen=True)
class RoomStep:
    """One timed step of a room activity: how long, who with whom, what to do."""

    minutes: float
    who: str
    do: str


@dataclass(frozen=True)
class RoomSlide:
    """A pair-work or timing slide added to one notebook's deck.

    Attributes
    ----------
    notebook
        The notebook's file name without ``.ipynb``.
    title
        The slide's heading.
    after
        The heading of the slide it follows; ``None`` puts it at the end of the deck.
    steps
        The timed steps, in order.
    prompt
        A question or instruction shown under the steps, or ``None``.
    notes
        Speaker notes: what to say, and the prompts to give.
    """

    notebook: str
    title: str
    after: str | None
    steps: tuple[RoomStep, ...]
    prompt: str | None
    notes: str | None

    @property
    def minutes(self) -> float:
        """The minutes of all steps together."""
        return sum(s.minutes for s in self.steps)


def load_room(path: str | os.PathLike[str] | None = None) -> tuple[RoomSlide, ...]:
    """Read the room slides (pair work and timing) from ``path`` or the kit's own file.

    Raises
    ------
    SlidesError
        Naming the file, the notebook entry and the field that is wrong.
    """
    import yaml

    path = Path(path) if path is not None else ROOM_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SlidesError(f"{path}: cannot be read as YAML ({exc}).") from exc
    decks = data.get("decks") if isinstance(data, dict) else None
    if not isinstance(decks, dict):
        raise SlidesError(
            f"{path}: expected a mapping 'decks:' of notebook names to lists of slides."
        )
    problems, out = [], []
    for notebook, slides in decks.items():
        if not isinstance(slides, list):
            problems.append(f"{path}, deck '{notebook}': expected a list of slides.")
            continue
        for n, raw in enumerate(slides, start=1):
            where = f"{path}, deck '{notebook}', slide {n}"
            if not isinstance(raw, dict):
                problems.append(f"{where}: expected fields title, steps, ...")
                continue
            unknown = set(raw) - {"title", "after", "steps", "prompt", "notes"}
            if unknown:
                problems.append(
                    f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
                    "expected title, after, steps, prompt, notes."
                )
            title = raw.get("title")
            if not isinstance(title, str) or not title.strip():
                problems.append(f"{where}: field 'title' needs some text.")
                continue
            steps = []
            for m, step in enumerate(raw.get("steps") or [], start=1):
                ok = (
                    isinstance(step, dict)
                    and isinstance(step.get("minutes"), int | float)
                    and not isinstance(step.get("minutes"), bool)
                    and step["minutes"] > 0
                    and all(isinstance(step.get(k), str) and step[k].strip() for k in ("who", "do"))
                )
                if not ok:
                    problems.append(
                        f"{where}, step {m}: expected minutes (a number above "
                        "0), who and do (some text)."
                    )
                    continue
                steps.append(
                    RoomStep(float(step["minutes"]), step["who"].strip(), step["do"].strip())
                )
            texts = {k: raw.get(k) for k in ("after", "prompt", "notes")}
            for key, value in texts.items():
                if value is not None and not isinstance(value, str):
                    problems.append(f"{where}: field '{key}' should be text.")
                    texts[key] = None
            out.append(
                RoomSlide(
                    str(notebook),
                    title.strip(),
                    texts["after"],
                    tuple(steps),
                    texts["prompt"],
                    texts["notes"],
                )
            )
    if problems:
        raise SlidesError("\n".join(problems))
    return tuple(out)


def _minutes(value: float) -> str:
    return f"{value:g} min"


def _room_cells(slide: RoomSlide) -> list[dict]:
    """The markdown cells of one room slide: the slide and its speaker notes."""
    import nbformat

    esc = html.escape
    items = "".join(
        f"<li><span class='wk-minutes'>{esc(_minutes(s.minutes))}</span>"
        f"<span><span class='wk-who'>{esc(s.who)}</span>: {esc(s.do)}</span></li>"
        for s in slide.steps
    )
    parts = [f"<div class='wk-room'><h2>{esc(slide.title)}</h2>"]
    if items:
        parts.append(f"<ol>{items}</ol>")
    if slide.prompt:
        parts.append(f"<p class='wk-prompt'><b>{esc(slide.prompt)}</b></p>")
    if slide.steps:
        parts.append(f"<p class='wk-total'>{esc(_minutes(slide.minutes))} in all</p>")
    parts.append("</div>")
    cells = [
        nbformat.v4.new_markdown_cell(
            "".join(parts),
            metadata={"slideshow": {"slide_type": "slide"}, "workshop_kit": {"room": True}},
        )
    ]
    if slide.notes:
        # A folded YAML block (>-) turns each blank line into one line break.
        body = "".join(f"<p>{esc(p.strip())}</p>" for p in slide.notes.splitlines() if p.strip())
        cells.append(
            nbformat.v4.new_markdown_cell(body, metadata={"slideshow": {"slide_type": "notes"}})
        )
    return cells


_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def _slide_type(cell: Any) -> str:
    return (cell.get("metadata", {}).get("slideshow") or {}).get("slide_type", "-")


def _headings(cell: Any) -> list[str]:
    if cell.get("cell_type") != "markdown":
        return []
    return [h.strip() for h in _HEADING_RE.findall(cell.get("source", ""))]


def _insert_room(
    cells: list, slides: Sequence[RoomSlide], notebook: str, warn: Callable[[str], None]
) -> list:
    """Return ``cells`` with the room slides of ``notebook`` put in their places."""
    cells = list(cells)
    for slide in (s for s in slides if s.notebook == notebook):
        new = _room_cells(slide)
        at = len(cells)
        if slide.after:
            found = next(
                (i for i, c in enumerate(cells) if slide.after.strip() in _headings(c)), None
            )
            if found is None:
                warn(
                    f"{notebook}: no slide has the heading {slide.after!r}; the room slide "
                    f"{slide.title!r} goes at the end of its deck."
                )
            else:
                # After the whole slide: up to the next cell that starts a slide.
                at = next(
                    (i for i in range(found + 1, len(cells)) if _slide_type(cells[i]) == "slide"),
                    len(cells),
                )
        cells[at:at] = new
    return cells


# --------------------------------------------------------------------------- counting
def count_slides(cells: Iterable[Any]) -> int:
    """Return how many slides reveal.js shows for ``cells`` (slides plus sub-slides).

    Mirrors nbconvert's reveal preprocessor: the first cell that is neither ``notes`` nor
    ``skip`` starts a slide whatever its type, then every ``slide`` and ``subslide`` cell
    starts one.
    """
    count, started = 0, False
    for cell in cells:
        kind = _slide_type(cell)
        if not started:
            if kind not in ("notes", "skip"):
                started, count = True, 1
        elif kind in ("slide", "subslide"):
            count += 1
    return count


# --------------------------------------------------------------------------- execution
def _run(coro: Any) -> Any:
    """Run a coroutine to the end, also when called from a running event loop (a notebook)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _plain(text: str) -> str:
    """Text without terminal colour codes (tracebacks from the kernel carry them)."""
    return _ANSI.sub("", text)


def _kernel_env(home: Path, content: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "WORKSHOP_KIT_PROFILE": "demo",
            "WORKSHOP_KIT_HOME": str(home),
            "MPLBACKEND": "Agg",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    if content is not None:
        env["WORKSHOP_KIT_CONTENT"] = str(content)
    else:
        env.pop("WORKSHOP_KIT_CONTENT", None)
    return env


async def _execute_batch(
    batch: Sequence[tuple[Path, Any]], env: dict[str, str], work: Path, progress: Progress
) -> None:
    """Run the notebooks of ``batch`` one after another in one kernel, outputs in place.

    One kernel per batch, its namespace reset before each notebook, runs a notebook as a
    fresh kernel would while the imports (ipywidgets, matplotlib, the content) happen once.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    whole = nbformat.v4.new_notebook(metadata=copy.deepcopy(batch[0][1].metadata))
    whole.cells.append(nbformat.v4.new_code_cell(_KERNEL_SETUP))
    starts: dict[int, Path] = {}  # index of the reset cell -> the notebook it starts
    owner: list[Path | None] = [None]
    for path, nb in batch:
        starts[len(whole.cells)] = path
        whole.cells.append(nbformat.v4.new_code_cell("%reset -f"))
        owner.append(None)
        whole.cells.extend(nb.cells)  # the same cell objects: outputs land in ``nb``
        owner.extend([path] * len(nb.cells))
    order = [p for p, _ in batch]

    def finished(cell: Any, cell_index: int, execute_reply: Any) -> None:
        path = starts.get(cell_index)
        if path is not None and order.index(path) > 0:
            progress.step(f"ran {order[order.index(path) - 1].name}")

    client = NotebookClient(
        whole,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        store_widget_state=False,
        record_timing=False,
        on_cell_executed=finished,
        resources={"metadata": {"path": str(work)}},
    )
    log = work / f"kernel-{order[0].stem}.log"
    try:
        with log.open("wb") as err:
            await client.async_execute(env=env, stderr=err)
    except CellExecutionError as exc:
        at = next(
            (
                i
                for i, c in enumerate(whole.cells)
                if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)
            ),
            None,
        )
        path = owner[at] if at is not None else None
        if path is None:
            raise SlidesError(
                f"A notebook failed while building the decks:\n{_plain(str(exc))}"
            ) from exc
        number = at - owner.index(path) + 1
        raise SlidesError(
            f"{path.name} failed in cell {number} while building its deck (demo profile): "
            f"{exc.ename}: {_plain(str(exc.evalue))}\n\n{_plain(str(exc)).strip()}"
        ) from exc
    except (DeadKernelError, RuntimeError, TimeoutError) as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise SlidesError(
            f"The kernel running {', '.join(p.name for p in order)} failed ({exc}).\n{tail}"
        ) from exc
    progress.step(f"ran {order[-1].name}")


def _execute_all(
    paths: Sequence[Path], env: dict[str, str], work: Path, jobs: int, progress: Progress
) -> list[Any]:
    """Execute every notebook once, in ``jobs`` kernels side by side; return them in order."""
    import nbformat

    notebooks = [nbformat.read(p, as_version=4) for p in paths]
    pairs = list(zip(paths, notebooks, strict=True))
    jobs = max(1, min(jobs, len(pairs)))
    batches = [pairs[i::jobs] for i in range(jobs)]

    async def run() -> None:
        import asyncio

        await asyncio.gather(*(_execute_batch(b, env, work, progress) for b in batches))

    _run(run())
    return notebooks


def _clean_outputs(nb: Any, home: Path) -> Any:
    """Keep what a room should see; mark exercise outputs (a widget or a chart)."""
    secret = str(home)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr":
                continue  # warnings belong in a log, not on a slide
            if out.output_type == "stream":
                out.text = out.text.replace(secret, "your answers folder")
            data = out.get("data")
            if data is not None:
                if WIDGET_VIEW in data and "text/html" not in data:
                    data["text/html"] = _PLACEHOLDER
                for mime in ("text/html", "text/plain"):
                    if isinstance(data.get(mime), str):
                        data[mime] = data[mime].replace(secret, "your answers folder")
            kept.append(out)
        cell.outputs = kept
        datas = [o.get("data", {}) for o in kept]
        kind = (
            "widget"
            if any(WIDGET_VIEW in d for d in datas)
            else "chart"
            if any("image/png" in d for d in datas)
            else None
        )
        if kind:
            cell.metadata["workshop_kit"] = {"exercise": kind}
    return nb


# --------------------------------------------------------------------------- export
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
    """

    name: str
    html: Path
    slides: int
    exercises: int
    notebooks: tuple[str, ...]
    pdf: Path | None = None


def _exporter() -> Any:
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.NbConvertBase.display_data_priority = list(DISPLAY_PRIORITY)
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
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
        heads = _headings(cell)
        if heads:
            return heads[0]
    return fallback


def _combined(parts: Sequence[tuple[str, Any]]) -> Any:
    """One notebook made of the cells of ``parts`` in order, each starting a new slide."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = copy.deepcopy(parts[0][1].metadata)
    first_heading = next((h for c in parts[0][1].cells for h in _headings(c)), None)
    nb.metadata["title"] = first_heading or _title(parts[0][1], "Workshop")
    for stem, part in parts:
        first = True
        for cell in part.cells:
            cell = copy.deepcopy(cell)
            if "id" in cell:
                cell["id"] = f"{stem}-{cell['id']}"
            if first and _slide_type(cell) not in ("notes", "skip"):
                cell.metadata.setdefault("slideshow", {})["slide_type"] = "slide"
                first = False
            nb.cells.append(cell)
    return nb


def _write_deck(exporter: Any, nb: Any, name: str, out: Path, notebooks: tuple[str, ...]) -> Deck:
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
    return Deck(name, target, count_slides(nb.cells), exercises, notebooks)


def build_decks(
    out: str | os.PathLike[str] = "slides",
    *,
    notebooks: Sequence[str | os.PathLike[str]] | None = None,
    pdf: bool = False,
    content: str | os.PathLike[str] | None = None,
    room: str | os.PathLike[str] | None = None,
    combined: bool = True,
    jobs: int | None = None,
    stream: TextIO | None = None,
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
    stream
        Where the progress bar goes (default: standard error).

    Returns
    -------
    list[Deck]
        The decks, the combined one last.

    Raises
    ------
    SlidesError
        When reveal.js, Chromium (with ``pdf``) or a notebook fails; the message says
        which and what to do.
    """
    paths = [Path(p) for p in notebooks] if notebooks is not None else notebook_paths()
    if not paths:
        raise SlidesError("There are no notebooks to build decks from.")
    for p in paths:
        if not p.is_file():
            raise SlidesError(f"{p}: no such notebook.")
    reveal_source()  # fail early, before minutes of work, when reveal.js is missing
    chromium = find_chromium() if pdf else None
    if pdf and chromium is None:
        raise SlidesError(_NO_CHROMIUM)
    room_slides = load_room(room)
    content_dir = Path(content).expanduser().resolve() if content is not None else None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n_decks = len(paths) + (1 if combined and len(paths) > 1 else 0)
    progress = Progress(len(paths) + n_decks * (2 if pdf else 1) + 1, stream)
    jobs = jobs or min(os.cpu_count() or 1, 4)

    with tempfile.TemporaryDirectory(prefix="workshop-kit-slides-") as tmp:
        work = Path(tmp)
        home = work / "participant"
        env = _kernel_env(home, content_dir)
        executed = [
            _clean_outputs(nb, home) for nb in _execute_all(paths, env, work, jobs, progress)
        ]

    _copy_reveal(out)
    progress.step(f"copied reveal.js to {out / REVEAL_DIR}")
    exporter = _exporter()
    warnings: list[str] = []
    parts = []
    decks = []
    for path, nb in zip(paths, executed, strict=True):
        nb.cells = _insert_room(nb.cells, room_slides, path.stem, warnings.append)
        parts.append((path.stem, nb))
        decks.append(_write_deck(exporter, nb, path.stem, out, (path.name,)))
        progress.step(f"wrote {decks[-1].html.name}")
    if n_decks > len(paths):
        # The workshop deck is the participants' journey; the facilitator's notebooks (9x)
        # keep their own decks.
        journey = [(stem, nb) for stem, nb in parts if not stem.startswith("9")] or parts
        whole = _combined(journey)
        names = tuple(f"{stem}.ipynb" for stem, _ in journey)
        decks.append(_write_deck(exporter, whole, COMBINED, out, names))
        progress.step(f"wrote {decks[-1].html.name} ({decks[-1].slides} slides)")
    for line in warnings:
        print(f"warning: {line}", file=progress.stream)
    if pdf:
        assert chromium is not None
        printed = []
        for deck in decks:
            target = deck.html.with_suffix(".pdf")
            print_pdf(deck.html, target, query="wk-print", chromium=chromium)
            printed.append(
                Deck(deck.name, deck.html, deck.slides, deck.exercises, deck.notebooks, target)
            )
            progress.step(f"printed {target.name}")
        decks = printed
    return decks


# --------------------------------------------------------------------------- PDF
_NO_CHROMIUM = (
    "Chromium was not found, so no PDF was printed. Install it (Debian/Ubuntu: "
    "'apt-get install chromium'), or set WORKSHOP_KIT_CHROMIUM to a Chromium or "
    "Chrome program; or open the HTML in a browser and print it there."
)


#: Flags for headless Chromium on a machine with no display and no outside network: no
#: sandbox (CI runs as root), and none of the background calls Chromium would make.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium() -> str | None:
    """Return the Chromium (or Chrome) program to print with, or ``None``."""
    env = os.environ.get(ENV_CHROMIUM)
    if env:
        return env if Path(env).is_file() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def print_pdf(
    page: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    query: str = "",
    chromium: str | None = None,
    timeout: float = 120,
) -> Path:
    """Print a local HTML file to PDF with headless Chromium, with the network shut off.

    Parameters
    ----------
    page
        The HTML file.
    target
        The PDF to write.
    query
        A query string for the page: ``wk-print`` for a deck (every slide a page).
    chromium
        The browser program (default: :func:`find_chromium`).
    timeout
        Seconds before giving up.

    Raises
    ------
    SlidesError
        When Chromium is missing or prints nothing.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise SlidesError(_NO_CHROMIUM)
    page, target = Path(page).resolve(), Path(target).resolve()
    url = page.as_uri() + (f"?{query}" if query else "")
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="workshop-kit-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            *CHROMIUM_ARGS,
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            f"--user-data-dir={profile}",
            # No network: every host name fails to resolve and every request goes to a
            # closed local port, so a stray remote reference cannot be fetched.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--no-pdf-header-footer",
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}",
            url,
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SlidesError(f"Chromium ({chromium}) could not print {page.name}: {exc}") from exc
    if not target.is_file() or target.stat().st_size == 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise SlidesError(
            f"Chromium ({chromium}) printed no PDF for {page.name} "
            f"(exit {done.returncode}): " + " / ".join(detail)
        )
    return target


# --------------------------------------------------------------------------- command line
def _slides_command(args: argparse.Namespace) -> int:
    try:
        decks = build_decks(
            args.out,
            notebooks=args.notebooks or None,
            pdf=args.pdf,
            content=args.content,
            room=args.room,
            jobs=args.jobs,
        )
    except SlidesError as exc:
        print(exc, file=sys.stderr)
        return 1
    for deck in decks:
        extra = f" and {deck.pdf.name}" if deck.pdf else ""
        print(f"Wrote {deck.html}{extra} ({deck.slides} slides)")
    print(
        f"Open a deck in any browser; it needs no internet. Press 's' for the speaker "
        f"view, 'f' for full screen. Keep the {REVEAL_DIR} folder beside the decks."
    )
    return 0


def _handouts_command(args: argparse.Namespace) -> int:
    from kit.content import ContentError
    from kit.handouts import write_handouts

    try:
        written = write_handouts(args.out, content=args.content, pdf=not args.html_only)
    except (ContentError, SlidesError) as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written.files:
        print(f"Wrote {path}")
    if written.notice:
        print(written.notice, file=sys.stderr)
    return 0


def add_commands(sub: Any) -> None:
    """Register ``workshop-kit slides`` and ``workshop-kit handouts``."""
    slides = sub.add_parser(
        "slides",
        help="build an offline slide deck per notebook and "
        "one for the whole workshop (with --pdf, PDFs too)",
    )
    slides.add_argument(
        "--out", default="slides", metavar="DIR", help="folder for the decks (default: ./slides)"
    )
    slides.add_argument(
        "--pdf", action="store_true", help="also print each deck to PDF with headless Chromium"
    )
    slides.add_argument(
        "--content", metavar="DIR", help="a content folder of your own for the notebooks to use"
    )
    slides.add_argument(
        "--room",
        metavar="FILE",
        help="your own pair-work and timing slides (a copy of the kit's templates/room.yaml)",
    )
    slides.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="how many kernels run the notebooks side by side "
        "(default: the number of CPUs, at most 4)",
    )
    slides.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="only these notebooks (default: all the kit's notebooks)",
    )
    slides.set_defaults(run=_slides_command)
    handouts = sub.add_parser(
        "handouts",
        help="print-ready handouts from the content: card "
        "deck, week worksheet, questionnaire, commitments (HTML, PDF)",
    )
    handouts.add_argument(
        "--out",
        default="handouts",
        metavar="DIR",
        help="folder for the handouts (default: ./handouts)",
    )
    handouts.add_argument(
        "--content", metavar="DIR", help="a content folder of your own (default: the kit's content)"
    )
    handouts.add_argument("--html-only", action="store_true", help="write the HTML only, no PDF")
    handouts.set_defaults(run=_handouts_command)
