"""Housekeeping for shared training-room laptops: clear my answers, with a backup.

Clearing first withdraws the participant's shares from every open room (asking about them
with the rest), so that someone who clears and joins again is never counted twice.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from kit import answers
from kit.answers import AnswerStore, DemoStore, store_from_env
from kit.content import Content, load_content
from kit.room import sharing as room_sharing
from kit.room import store as room_store
from kit.widgets._base import DEFAULT, escape

__all__ = ["ClearAnswers"]


class ClearAnswers(widgets.VBox):
    """A 'clear my answers' button that asks first and keeps a dated backup.

    Parameters
    ----------
    content
        The workshop content (for the words on screen).
    store
        The participant's answers; default: the participant folder of this run mode.
    """

    def __init__(
        self,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-clear-answers")
        self._content = content if content is not None else load_content()
        self._store = store_from_env() if store is DEFAULT else store
        t = self._content.text
        self._ask = widgets.Button(
            description=t("clear_button"), layout=widgets.Layout(width="220px")
        )
        self._confirm = widgets.Button(
            description=t("clear_confirm"),
            button_style="danger",
            layout=widgets.Layout(width="220px", display="none"),
        )
        self._cancel = widgets.Button(
            description=t("clear_cancel"), layout=widgets.Layout(width="120px", display="none")
        )
        self._message = widgets.HTML()
        self._ask.on_click(lambda _b: self._asking(True))
        self._cancel.on_click(lambda _b: self._asking(False))
        self._confirm.on_click(lambda _b: self._clear())
        usable = isinstance(self._store, AnswerStore)
        self._ask.disabled = not usable
        if not usable:
            self._message.value = escape(t("clear_unavailable"))
        self.children = [widgets.HBox([self._ask, self._confirm, self._cancel]), self._message]

    def _asking(self, asking: bool) -> None:
        t = self._content.text
        self._ask.layout.display = "none" if asking else None
        self._confirm.layout.display = None if asking else "none"
        self._cancel.layout.display = None if asking else "none"
        question = t("clear_question", path=self._store.where())
        if asking:
            room = room_sharing.clear_question(self._store.home, None, self._content)
            question = f"{question} {room}" if room else question
        self._message.value = escape(question) if asking else ""

    def _clear(self) -> None:
        t = self._content.text
        self._asking(False)
        withdrawal = room_store.withdraw_everything(self._store.home)
        withdrawn = room_sharing.clear_outcome(withdrawal, self._content)
        if not withdrawal.ok:  # clearing now would count this person twice on a rejoin
            self._message.value = escape(withdrawn)
            return
        try:
            backup = answers.clear(self._store.home, backup=True)
        except OSError as exc:
            self._message.value = escape(t("clear_failed", reason=exc.strerror or str(exc)))
            return
        done = t("clear_done", path=str(backup)) if backup else t("clear_nothing")
        self._message.value = escape(f"{withdrawn} {done}" if withdrawn else done)
