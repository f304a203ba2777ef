"""Where do I lean? The first position (notebook 01) and the final one (notebook 05).

One row of buttons (keep building, a hybrid role, manage, not sure yet) and one optional
line saying why. Every control is a plain button or a text box with its own label, so Tab
and Enter/Space reach everything and a screen reader names each control. The final
position shows the first one above it, read from the participant's folder without changing
it, so the two can be seen side by side.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from kit import positions as logic
from kit.answers import AnswerStore, DemoStore
from kit.content import Content
from kit.widgets._base import DEFAULT, ExerciseWidget, escape

__all__ = ["FinalPosition", "FirstPosition"]


class _Position(ExerciseWidget):
    """The shared view of both positions: lean buttons and a one-line why."""

    _question_key = ""  # the ui.yaml keys of this step's question and instructions
    _instructions_key = ""

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        self._from_view = False
        super().__init__(content=content, store=store, **kwargs)
        self.add_class("wk-position")
        self.add_class(f"wk-{self.exercise}")  # wk-first_position, wk-final_position
        t = self._content.text
        self._question = widgets.HTML(
            f"<h3 style='margin:0 0 4px 0'>{escape(t(self._question_key))}</h3>"
            f"<div>{escape(t(self._instructions_key))}</div>"
        )
        self._lean = widgets.ToggleButtons(
            options=[(logic.lean_label(lean, self._content), lean) for lean in logic.LEANS],
            value=None,
            description=t("position_lean_label"),
            style={"button_width": "auto", "description_width": "initial"},
        )
        self._lean.add_class("wk-lean")
        self._lean.observe(lambda change: self._chosen(change["new"]), names="value")
        self._why = widgets.Text(
            description=t("position_why_label"),
            placeholder=t("position_why_hint"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="700px"),
        )
        self._why.add_class("wk-why")
        self._why.observe(lambda change: self._typed(change["new"]), names="value")
        self._warning = widgets.HTML()
        self._warning.add_class("wk-why-too-long")
        self._earlier = widgets.HTML()
        self._earlier.add_class("wk-position-first")
        self.children = [
            self._question,
            self._earlier,
            self._notice,
            self._lean,
            self._why,
            self._warning,
        ]
        self._render()

    # ------------------------------------------------------------------ what a hand does
    def _chosen(self, lean: str | None) -> None:
        if self._from_view:
            return
        new = {k: v for k, v in self.value.items() if k != "lean"}
        if lean is not None:
            new["lean"] = lean
        self._set_from_view(new)

    def _typed(self, text: str) -> None:
        if self._from_view:
            return
        if len(text) > logic.WHY_LIMIT:  # it stays in the box, unsaved, never cut
            words = self._content.text("position_why_too_long", limit=str(logic.WHY_LIMIT))
            self._warning.value = f"<div style='color:#a0361b'><b>{escape(words)}</b></div>"
            return
        self._warning.value = ""
        self._set_from_view(logic.validate({**self.value, "why": text}))

    def _set_from_view(self, new: dict) -> None:
        self._from_view = True
        try:
            self.value = new  # saves; the controls already show it
        finally:
            self._from_view = False

    # ------------------------------------------------------------------ view
    def _render(self) -> None:
        if not hasattr(self, "_lean") or self._from_view:
            return
        with self.hold_sync():
            self._from_view = True
            try:
                self._lean.value = self.value.get("lean")
                if self._why.value.strip() != self.value.get("why", "").strip():
                    self._why.value = self.value.get("why", "")
                self._warning.value = ""
            finally:
                self._from_view = False

    def text(self) -> str:
        """Return the position in one line, as the report prints it ('' when not taken)."""
        return logic.position_text(self.value, self._content)


class FirstPosition(_Position):
    """Where I lean today, right after the opening story (notebook 01); saved and private.

    ``.value`` is ``{"lean": ..., "why": ...}`` (see :mod:`kit.positions`); parts not
    answered are absent.

    Parameters
    ----------
    content, store
        As for every exercise widget (see :class:`kit.MotivationSort`).

    Examples
    --------
    >>> first = FirstPosition(store=None)                      # doctest: +SKIP
    >>> first.value = {"lean": "hybrid", "why": "I want both, for now"}
    """

    exercise = "first_position"
    _question_key = "position_first_question"
    _instructions_key = "position_first_instructions"


class FinalPosition(_Position):
    """Where I lean now, at the close (notebook 05), with the first position shown above it.

    The first position is read from the same folder (never changed); :meth:`refresh` reads
    it again. ``.value`` has the shape of :class:`FirstPosition`'s.
    """

    exercise = "final_position"
    _question_key = "position_final_question"
    _instructions_key = "position_final_instructions"

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        super().__init__(content=content, store=store, **kwargs)
        self.refresh()

    def first(self) -> dict:
        """Return the first position as saved (``{}`` when it was not taken or is unreadable)."""
        if self._store is None:
            return {}
        loaded = self._store.peek("first_position")
        try:
            return logic.validate(loaded.value) if loaded.value is not None else {}
        except ValueError:
            return {}

    def refresh(self) -> None:
        """Read the first position again and show it above the buttons."""
        t = self._content.text
        first = logic.position_text(self.first(), self._content)
        self._earlier.value = (
            f"<div class='wk-earlier' style='margin:4px 0'><b>"
            f"{escape(t('position_first_label'))}:</b> {escape(first)}</div>"
            if first
            else f"<div style='color:#555'><i>{escape(t('position_first_missing'))}</i></div>"
        )
