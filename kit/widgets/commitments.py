"""The commitments: one habit to keep, one to hand off, one calendar change, and, for whoever
needs a different role rather than a different calendar, a role-design conversation with
their manager, with a short guide to preparing it folded away under its box."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from kit import commitments as logic
from kit.answers import AnswerStore, DemoStore
from kit.content import Content
from kit.widgets._base import DEFAULT, ExerciseWidget, escape

__all__ = ["Commitments"]


class Commitments(ExerciseWidget):
    """Write the commitments; they are saved as you type and stay private.

    Parameters
    ----------
    content, store
        As for every exercise widget (see :class:`kit.MotivationSort`).
    """

    exercise = "commitments"

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        self._typing = False
        super().__init__(content=content, store=store, **kwargs)
        self.add_class("wk-commitments")
        t = self._content.text
        self._boxes: dict[str, widgets.Textarea] = {}
        self._warnings: dict[str, widgets.HTML] = {}
        rows = [
            widgets.HTML(
                f"<h3 style='margin:0'>{escape(t('commit_title'))}</h3>"
                f"<div>{escape(t('commit_instructions'))}</div>"
            ),
            self._notice,
        ]
        for kind in logic.KINDS:
            box = widgets.Textarea(
                placeholder=t(f"commit_{kind}_hint"),
                layout=widgets.Layout(width="auto", max_width="700px", height="64px"),
            )
            box.add_class(f"wk-commit-{kind}")
            box.observe(lambda change, kind=kind: self._typed(kind, change["new"]), names="value")
            self._boxes[kind] = box
            warning = widgets.HTML()
            warning.add_class(f"wk-commit-{kind}-too-long")
            self._warnings[kind] = warning
            rows += [widgets.HTML(f"<b>{escape(t(f'commit_{kind}'))}</b>"), box, warning]
            if kind == "conversation":
                rows.append(self._conversation_guide())
        self.children = rows
        self._render()

    def _conversation_guide(self) -> widgets.HTML:
        """The short guide to the role-design conversation, folded away under its box."""
        t = self._content.text
        steps = [line for line in t("commit_conversation_guide").splitlines() if line.strip()]
        guide = widgets.HTML(
            f"<details class='wk-conversation-guide'>"
            f"<summary>{escape(t('commit_conversation_guide_title'))}</summary>"
            "<ol>" + "".join(f"<li>{escape(step)}</li>" for step in steps) + "</ol></details>"
        )
        guide.add_class("wk-commit-conversation-guide")
        return guide

    def _typed(self, kind: str, text: str) -> None:
        problem = logic.too_long(text)
        self._warnings[kind].value = (
            f"<div style='color:#a0361b'><b>{escape(problem)}</b></div>" if problem else ""
        )
        if problem is None:  # a text over the limit stays in the box, unsaved, never cut
            self._typing = True
            try:
                self.value = {**self.value, kind: text}
            finally:
                self._typing = False

    def _render(self) -> None:
        # Typing changes the value from the boxes: they already show it, and a box holding
        # a text over the limit (not saved) must keep it. A value set from Python redraws all.
        if not hasattr(self, "_boxes") or self._typing:
            return
        with self.hold_sync():
            for kind, box in self._boxes.items():
                text = self.value.get(kind, "")
                if box.value.strip() != text.strip():  # leave a half-typed space alone
                    box.value = text
