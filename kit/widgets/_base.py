"""What every exercise widget shares: one ``.value``, content, and the participant folder.

A widget made with default arguments is bound to the participant folder: it restores the
saved answers of its exercise and saves on every change of ``.value``, so a notebook cell is
one call. ``store=None`` makes an unbound widget for tests and slides. Setting ``.value``
replaces the answers (never merges) and redraws the view.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from kit import exercises
from kit._theme import theme_css
from kit.answers import (
    AnswerStore,
    DemoStore,
    FolderClearedError,
    Loaded,
    restore,
    store_from_env,
)
from kit.content import Content, load_content

__all__ = ["DEFAULT", "STYLE", "ExerciseWidget", "escape", "run_on_loop"]

DEFAULT: Any = object()  # "bind to the participant folder of this run mode"

#: The kit's look (``theme.css`` beside this module), shown once per exercise so that
#: JupyterLab gets it too: clear buttons, the chosen answer in colour and weight, a thick
#: focus ring on whatever has the keyboard, and rows that flex from a phone to a laptop.
STYLE = f"<style>{theme_css()}</style>"


def escape(text: str) -> str:
    """Escape participant or content text for HTML."""
    return html.escape(text, quote=True)


def run_on_loop(
    task: asyncio.Task | None, run: Callable[[], Coroutine[Any, Any, None]]
) -> asyncio.Task | None:
    """Return ``task``, or a new task of ``run()`` on the running event loop.

    A kernel (JupyterLab, Voila) runs an event loop, so a widget can refresh by itself
    there; plain Python has none, and then ``None`` comes back and the widget offers a
    button instead.
    """
    if task is not None:
        return task
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.create_task(run())


class ExerciseWidget(widgets.VBox):
    """Base of the exercise widgets: validated ``.value``, restore, autosave, notices.

    Subclasses set ``exercise`` (a name in :mod:`kit.exercises`, which says how its
    answers are made empty, checked and split into known and kept) and implement
    ``_render``.
    """

    exercise: ClassVar[str]
    value = traitlets.Dict(
        help="The participant's answers: a plain JSON-able dict keyed by content ids"
    )
    notices = traitlets.Tuple(
        help="Plain sentences shown to the participant about their saved answers"
    )
    saving = traitlets.Unicode(
        "unbound", help="Where answers go: 'folder', 'memory', 'demo' or 'unbound'"
    )

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self._content = content if content is not None else load_content()
        self._store = store_from_env() if store is DEFAULT else store
        self._kept: dict = {}
        self._writable = True
        self._saving_note = ""
        self.add_class("wk-exercise")
        self._notice = widgets.HTML(layout=widgets.Layout(margin="0 0 4px 0"))
        self._notice.add_class("wk-notice")
        loaded = self._store.load(self.exercise) if self._store is not None else Loaded()
        self._writable = loaded.writable
        self._on_disk = loaded.raw  # what this session last read or wrote
        restored = restore(loaded, self.exercise, self._content)
        self._kept = restored.kept
        start = restored.value if restored.value is not None else self._empty_value()
        notes = list(restored.notes)
        self._notes = notes
        self.set_trait("value", start)
        self._update_notice()
        self.observe(self._on_value_changed, names="value")

    # ------------------------------------------------------------------ contract
    @traitlets.validate("value")
    def _valid_value(self, proposal: dict) -> dict:
        return self._validate_value(proposal["value"])

    def _on_value_changed(self, change: dict) -> None:
        self._render()  # the person sees the change first; the file follows
        self._save()

    def _save(self) -> None:
        if self._store is None or not self._writable:
            return
        try:
            self._on_disk, aside = self._store.save(
                self.exercise, self.value, self._kept, expected=self._on_disk
            )
        except OSError as exc:
            self._writable = False
            reason = exc.strerror or str(exc)
            self._saving_note = (
                f"{reason}."
                if isinstance(exc, FolderClearedError)
                else f"the folder {self._store.where()} cannot be written ({reason})."
            )
            self._update_notice()
            return
        said = self._store.take_notes()
        if aside is not None:
            said.append(self._content.text("saved_other_window", name=aside.name))
        if said:
            self._notes.extend(said)
            self._update_notice()

    def _update_notice(self) -> None:
        c = self._content
        if self._store is None:
            where = ""
        elif self._store.demo:
            where = c.text("saved_demo")
        elif not self._writable:
            where = c.text(
                "saved_in_memory",
                reason=self._saving_note or "your earlier file is left as it was.",
            )
        else:
            where = c.text("saved_here")
        self.notices = tuple(self._notes)
        if self._store is None:
            self.saving = "unbound"
        else:
            self.saving = "demo" if self._store.demo else "folder" if self._writable else "memory"
        parts = [*self._notes, where]
        self._notice.value = (
            STYLE
            + "".join(f'<div class="wk-note">{escape(p)}</div>' for p in parts if p)
            + self._where_html()
        )

    def _where_html(self) -> str:
        """The folder, for whoever wants it: folded away, so a page shows no path by default."""
        if self._store is None or self._store.demo or not self._writable:
            return ""
        c = self._content
        return (
            f"<details class='wk-where'><summary>{escape(c.text('saved_where'))}</summary>"
            f"{escape(c.text('saved_where_path', path=str(self._store.where())))}</details>"
        )

    # ------------------------------------------------------------------ subclass API
    def _empty_value(self) -> dict:
        return exercises.get(self.exercise).empty(self._content)

    def _validate_value(self, value: Any) -> dict:
        return exercises.get(self.exercise).validate(value)

    def _split_known(self, value: dict) -> tuple[dict, dict]:
        return exercises.get(self.exercise).split_known(value, self._content)

    def _render(self) -> None:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The live widget, plus a static HTML snapshot for exports and slide decks."""
        # at call time: the snapshot renderer loads only when a notebook is exported
        from kit.widgets._snapshot import snapshot_html

        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle = bundle[0]
        return {**bundle, "text/html": snapshot_html(self)}
