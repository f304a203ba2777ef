"""One kernel that steps through the journey: every code-free page is built in its kernel.

Every served page (``00-welcome.ipynb`` ... ``05-your-path.ipynb``) is a one-cell stub
(:func:`kit.pages.participant.stub_notebook`) that calls :func:`show` with its step.
:func:`show` builds that step from the packaged notebook, participant cells only: each run
of markdown cells becomes one HTML widget, and each code cell runs and its widget takes its
place. Back, Next and the list of steps are ordinary relative links to the other stubs; the
page's script (the ``workshop`` Voila template) catches a click on one while the kernel is
connected, puts the step's name into a hidden text box, and moves the address to that
step's link. :class:`Stepper` hears the name, closes every widget of the step it leaves
(their timers too), builds the next step in the same kernel, and swaps it in: no new page,
no new kernel. The browser's own Back button steps back the same way while the kernel is
connected. A reload, a bookmark, or a click while the kernel is gone simply opens the stub
at that address, which builds the same step in a new kernel. Each step is built anew, so
its widgets read the participant's answers from disk every time.

Measured on a two-core machine, a new kernel started and one step built in it cost about
0.9 s, and a step built in a warm kernel about 0.1 s (``benchmarks/pages.py``).
"""

from __future__ import annotations

import ast
import asyncio
import html
import json
import os
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import ipywidgets as widgets
import traitlets
from IPython.display import display
from ipywidgets.widgets import widget as _widget_registry

from kit.pages.journey import Step, page_steps
from kit.pages.participant import participant_notebook

__all__ = [
    "BEAT_SECONDS",
    "GOTO_CLASS",
    "RETIRE_SECONDS",
    "STEP_CLASS",
    "Stepper",
    "back_next_html",
    "link_query",
    "show",
    "step_parts",
    "steps_nav_html",
]

#: The hidden text box the page's script writes a step's notebook name into.
GOTO_CLASS = "wk-goto"
#: Every step's content sits in a box with this class and ``wk-step-<notebook>``.
STEP_CLASS = "wk-step-body"
#: How long the widgets of a step just left stay open for changes still on their way.
RETIRE_SECONDS = 10.0
#: How often the kernel tells its page it is still there (the page gives up after 20 s).
BEAT_SECONDS = 5.0


@dataclass(frozen=True)
class Part:
    """One piece of a step: ``kind`` is ``"html"`` (rendered markdown) or ``"code"``."""

    kind: str
    text: str


def _step(notebook: str) -> tuple[int, tuple[Step, ...]]:
    steps = page_steps()
    names = [s.notebook for s in steps]
    if notebook not in names:
        raise ValueError(
            f"{notebook!r} is not a step of the journey (kit/pages/journey.yaml); "
            f"the steps are {', '.join(names)}"
        )
    return names.index(notebook), steps


@cache
def step_parts(notebook: str) -> tuple[Part, ...]:
    """Return the participant's parts of a packaged notebook, in order (pure, cached).

    Speaker notes and ``notebook-only`` cells are left out. Consecutive markdown cells are
    rendered together into one HTML part; each code cell is one code part.
    """
    from kit._resources import notebooks_dir  # here: the stubs' kernel needs nothing else

    path = notebooks_dir() / f"{notebook}.ipynb"
    nb = participant_notebook(json.loads(path.read_text(encoding="utf-8")))
    parts: list[Part] = []
    prose: list[str] = []
    for cell in nb["cells"]:
        source = cell["source"]
        source = "".join(source) if isinstance(source, list) else source
        if cell["cell_type"] == "markdown":
            prose.append(source)
            continue
        if prose:
            parts.append(Part("html", _markdown("\n\n".join(prose))))
            prose = []
        if cell["cell_type"] == "code" and source.strip():
            parts.append(Part("code", source))
    if prose:
        parts.append(Part("html", _markdown("\n\n".join(prose))))
    return tuple(parts)


@cache
def _renderer() -> Any:
    import mistune  # nbconvert renders notebooks' markdown with it too

    # Raw HTML is kept: the packaged notebooks are the kit's own text, not a participant's.
    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def _markdown(text: str) -> str:
    body = _renderer()(text)
    return f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown wk-prose">{body}</div>'


def _title(notebook: str) -> str:
    i, steps = _step(notebook)
    return steps[i].title


def link_query(environ: Mapping[str, str] | None = None) -> str:
    """Return the query every step link carries (``?room=CODE``), or ``""``.

    The page's own query (Voila hands it to the kernel as ``QUERY_STRING``) without the
    token: after the first page, the login cookie is enough.
    """
    environ = os.environ if environ is None else environ
    kept = [(k, v) for k, v in parse_qsl(environ.get("QUERY_STRING", "")) if k != "token"]
    return f"?{urlencode(kept)}" if kept else ""


def _href(step: Step, query: str) -> str:
    return f"./{quote(step.notebook)}.ipynb{query}"


def steps_nav_html(notebook: str, query: str = "") -> str:
    """Return the journey's list of steps, with where the participant is (escaped HTML)."""
    i, steps = _step(notebook)
    e = html.escape
    items = []
    for n, s in enumerate(steps):
        if n == i:
            items.append(f'<li class="wk-here"><span aria-current="step">{e(s.title)}</span></li>')
        elif n < i:
            items.append(
                f'<li class="wk-done"><a class="wk-nav" href="{e(_href(s, query))}">'
                f'{e(s.title)}<span class="wk-sr"> (done)</span></a></li>'
            )
        else:
            items.append(
                f'<li class="wk-ahead"><a class="wk-nav" href="{e(_href(s, query))}">'
                f"{e(s.title)}</a></li>"
            )
    return (
        '<nav class="wk-journey" aria-label="Workshop steps">'
        f'<p class="wk-step-where" data-wk-step="{e(notebook)}">Step {i + 1} of {len(steps)}: '
        f"<strong>{e(steps[i].title)}</strong></p>"
        f'<ol class="wk-steps">{"".join(items)}</ol></nav>'
    )


def back_next_html(notebook: str, query: str = "") -> str:
    """Return the Back and Next links under a step (escaped HTML)."""
    i, steps = _step(notebook)
    e = html.escape
    if i > 0:
        prev = steps[i - 1]
        back = (
            f'<a class="wk-nav wk-back" rel="prev" href="{e(_href(prev, query))}">'
            f'<span aria-hidden="true">&larr; </span>Back: {e(prev.title)}</a>'
        )
    else:
        back = "<span></span>"
    if i + 1 < len(steps):
        nxt = steps[i + 1]
        ahead = (
            f'<a class="wk-nav wk-next" rel="next" href="{e(_href(nxt, query))}">'
            f'Next: {e(nxt.title)}<span aria-hidden="true"> &rarr;</span></a>'
        )
    else:
        ahead = (
            '<span class="wk-end">This is the last step. Press <strong>Save my report</strong>'
            " above, then <strong>Download my report</strong>: it is the plan you leave with."
            "</span>"
        )
    return f'<nav class="wk-backnext" aria-label="Back and next">{back}{ahead}</nav>'


def _instances() -> dict[str, Any]:
    return _widget_registry._instances  # every live widget by model id (ipywidgets 8)


class Stepper(widgets.VBox):
    """The participant's page: the step list, the step, Back and Next, in one kernel."""

    notebook = traitlets.Unicode(help="The notebook name of the step shown now")

    def __init__(self, notebook: str, *, environ: Mapping[str, str] | None = None, **kwargs):
        _step(notebook)  # a wrong name fails here, before anything is drawn
        super().__init__(**kwargs)
        self.add_class("wk-stepper")
        self._query = link_query(environ)
        self._nav = widgets.HTML()
        self._nav.add_class("wk-nav-top")
        self._foot = widgets.HTML()
        self._foot.add_class("wk-nav-foot")
        self._goto = widgets.Text(
            description="Step", layout=widgets.Layout(display="none"), continuous_update=True
        )
        self._goto.add_class(GOTO_CLASS)
        self._beat = widgets.HTML(
            '<span data-wk-beat="0"></span>', layout=widgets.Layout(display="none")
        )
        self._beat.add_class("wk-beat")
        self._beats = 0
        self._body: widgets.Box = widgets.VBox()
        self.last_error = ""
        self._keep = set(_instances())  # the stepper's own widgets, and whatever was there
        self._retiring: set[str] = set()  # a step left, its widgets closing soon
        self._show(notebook)
        self._goto.observe(self._on_goto_changed, names="value")
        self._beat_soon()

    def _beat_soon(self) -> None:
        """Tell the page, every :data:`BEAT_SECONDS`, that this kernel still serves it.

        A page whose kernel the server ended (the participant opened the workshop in
        another window) keeps its socket open and would look alive; it hears no beat and
        says so. Without an event loop (tests) there is no beat.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        loop.call_later(BEAT_SECONDS, self._on_beat)

    def _on_beat(self) -> None:
        if self.comm is None:
            return  # the page is closed: stop beating
        self._beats += 1
        self._beat.value = f'<span data-wk-beat="{self._beats}"></span>'
        self._beat_soon()

    def _on_goto_changed(self, change: dict) -> None:
        name = change["new"]
        if name and name != self.notebook:
            try:
                _step(name)
            except ValueError:
                return  # not a step: the page's address stays the stub the browser asked for
            self._show(name)

    def go(self, notebook: str) -> None:
        """Show the step of ``notebook`` (what a click on its link does in the browser)."""
        self._goto.value = notebook

    def _show(self, notebook: str) -> None:
        self._retire_step()
        self.last_error = ""
        try:
            children = self._build(notebook)
        except Exception as error:  # a step that cannot be built must not end the page
            # what it made before failing closes with this step when the next one is shown
            self.last_error = f"{type(error).__name__}: {error}"
            traceback.print_exc(file=sys.stderr)  # the kernel's log, for the host
            children = [
                widgets.HTML(
                    f"<h1>{html.escape(_title(notebook))}</h1>"
                    '<p class="wk-step-error" role="alert">This step could not be shown. '
                    "Your answers are saved: reload the page to try again, and tell your "
                    "facilitator if it happens again.</p>"
                )
            ]
        body = widgets.VBox(children)
        body.add_class(STEP_CLASS)
        body.add_class(f"wk-step-{notebook}")
        self._body = body
        self.notebook = notebook
        self._goto.value = notebook
        self._nav.value = steps_nav_html(notebook, self._query)
        self._foot.value = back_next_html(notebook, self._query)
        self.children = (self._nav, body, self._foot, self._goto, self._beat)

    def _build(self, notebook: str) -> list[widgets.Widget]:
        out: list[widgets.Widget] = []
        namespace: dict[str, Any] = {"__name__": "__main__"}
        for part in step_parts(notebook):
            if part.kind == "html":
                prose = widgets.HTML(part.text)
                prose.add_class("wk-prose-box")
                out.append(prose)
                continue
            shown = _run(part.text, namespace, notebook)
            if isinstance(shown, widgets.Widget):
                out.append(shown)
        return out

    def _retire_step(self) -> None:
        """Close the widgets of the step being left (its timers too), a moment from now.

        In a kernel, a change typed or dragged just before a click on Next may still be on
        its way: the browser holds back a widget's next change until the kernel has
        answered its last one, while the step's name travels at once. Until
        :data:`RETIRE_SECONDS` have passed, such a change still reaches its widget, which
        saves it; then the widgets close. Without an event loop (tests, plain Python) they
        close at once.
        """
        leaving = set(_instances()) - self._keep - self._retiring
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._close(leaving)
            return
        self._retiring |= leaving
        loop.call_later(RETIRE_SECONDS, self._close, leaving)

    def _close(self, model_ids: set[str]) -> None:
        live = _instances()
        for model_id in model_ids:
            widget = live.get(model_id)
            if widget is not None:
                widget.close()
        self._retiring -= model_ids

    def _close_step(self) -> None:
        """Close every widget of the steps shown so far, now (the page's end, tests)."""
        self._close(set(_instances()) - self._keep)


def _run(source: str, namespace: dict[str, Any], notebook: str) -> Any:
    """Run a code cell in ``namespace`` and return its last expression's value, if any."""
    tree = ast.parse(source, filename=f"<{notebook}>")
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, f"<{notebook}>", "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), f"<{notebook}>", "eval"), namespace)


def show(notebook: str) -> None:
    """Build the page of step ``notebook`` and display it (a served stub's one call)."""
    display(Stepper(notebook))
