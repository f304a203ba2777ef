"""The room, on a participant's screen: join once, share an exercise after seeing it.

- :class:`JoinRoom`: the participant types the room code once; it is kept in ``room.json``
  in their own folder with a random secret (see :mod:`kit.room.store`).
- :class:`ShareWithRoom`: shows, in plain words and as the exact file, what one exercise
  (or all three, in the synthesis) would share; nothing is written until 'Share' is
  pressed, and 'Withdraw my share' deletes it again. The preview follows the saved answers
  by itself (it looks at their files every second on the kernel's event loop, so an edit
  in this kernel or another page's shows with no click). Its state lives in a
  :class:`kit.room.sharing.ShareModel`; this view only renders it.

The facilitator's view of the room is :class:`kit.widgets.room_view.RoomView`. Every word
comes from the content the widget is given.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from kit.answers import AnswerStore, DemoStore, store_from_env
from kit.content import Content, load_content
from kit.pages.participant import room_from_link
from kit.room import store as logic
from kit.room.sharing import Preview, ShareModel, room_exercises_of
from kit.widgets._base import DEFAULT, escape, run_on_loop

__all__ = ["JoinRoom", "ShareWithRoom"]

ERROR_COLOR = "#a33"


def note(text: str, color: str = "#333") -> str:
    """Return ``text`` as an escaped line of HTML in ``color`` (the room views' messages)."""
    return f"<div style='color:{color};margin:4px 0'>{escape(text)}</div>"


# --------------------------------------------------------------------------- joining
class JoinRoom(widgets.VBox):
    """Type the room code once; it is remembered in the participant folder.

    Parameters
    ----------
    store
        The participant's answers; ``room.json`` goes in its folder. Default: the
        participant folder of this run mode (the demo profile cannot join).
    rooms
        The rooms folder; default ``$WORKSHOP_KIT_ROOMS`` or a per-user data folder.
    content
        The workshop content (its words); default :func:`kit.load_content`.
    code
        A code to offer in the box before joining; default: the one a join link carries
        (``?room=CODE`` on a served page). Joining still waits for the participant's press.
    """

    value = traitlets.Unicode(
        "",
        help="The code of the room joined ('' before joining); "
        "read-only: joining goes through the code box",
    )

    def __init__(
        self,
        *,
        store: AnswerStore | DemoStore | None = DEFAULT,
        rooms: str | os.PathLike[str] | None = None,
        content: Content | None = None,
        code: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-join-room")
        self._content = content if content is not None else load_content()
        t = self._content.text
        self._store = store_from_env() if store is DEFAULT else store
        self._rooms = rooms
        self._home = self._store.home if isinstance(self._store, AnswerStore) else None
        self._code = widgets.Text(
            placeholder=t("room_join_placeholder"),
            description=t("room_join_label"),
            layout=widgets.Layout(width="260px"),
        )
        self._code.add_class("wk-room-code")
        self._join = widgets.Button(
            description=t("room_join_button"), layout=widgets.Layout(width="160px")
        )
        self._change = widgets.Button(
            description=t("room_join_change"), layout=widgets.Layout(width="140px", display="none")
        )
        self._message = widgets.HTML()
        self._message.add_class("wk-room-message")
        self._join.on_click(lambda _b: self._do_join())
        self._code.continuous_update = False
        self._change.on_click(lambda _b: self._show_form(True))
        self.children = [widgets.HBox([self._code, self._join, self._change]), self._message]
        member = logic.joined(self._home) if self._home is not None else None
        if self._home is None:  # the demo profile, or an unbound widget (store=None)
            self._code.disabled = self._join.disabled = True
            if isinstance(self._store, DemoStore):
                self._message.value = note(t("room_join_demo"))
        elif member is not None:
            self.set_trait("value", member.code)
            self._show_form(False)
        else:
            self._code.value = room_from_link() if code is None else code
            self._message.value = note(t("room_join_intro"))

    def _show_form(self, editing: bool) -> None:
        for w in (self._code, self._join):
            w.layout.display = None if editing else "none"
        self._change.layout.display = "none" if editing else None
        if not editing:
            self._message.value = note(self._content.text("room_joined", code=self.value))

    def _do_join(self) -> None:
        if self._home is None:
            return
        try:
            member = logic.join(self._code.value, self._home, self._rooms)
        except logic.RoomError as exc:
            self._message.value = note(str(exc), ERROR_COLOR)
            return
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._message.value = note(
                self._content.text("room_join_failed", reason=reason), ERROR_COLOR
            )
            return
        self._code.value = ""
        self.value = member.code
        self._show_form(False)


# --------------------------------------------------------------------------- sharing
class ShareWithRoom(widgets.VBox):
    """Show what an exercise would share with the room; share or withdraw it on request.

    Parameters
    ----------
    exercise
        ``"motivations"``, ``"allocation"`` or ``"archetypes"``; a sequence of them; or
        ``None`` for all three (the synthesis page).
    content
        The workshop content; default :func:`kit.load_content`.
    store
        Where the saved answers are read from (never written). Default: the participant
        folder of this run mode; the demo profile previews but never shares.
    rooms
        The rooms folder; default ``$WORKSHOP_KIT_ROOMS`` or a per-user data folder.
    interval
        Seconds between looks at the saved answers, on the kernel's event loop (where one
        runs); ``0``: only when :meth:`follow` is called.

    Attributes
    ----------
    model
        The :class:`~kit.room.sharing.ShareModel` this view renders; its buttons call the
        model's ``share``, ``withdraw`` and ``reload``.
    """

    value = traitlets.Dict(
        help="What would be shared now: exercise -> payload (exercises "
        "with nothing to share are absent). Read-only: it follows the model."
    )

    def __init__(
        self,
        exercise: str | Sequence[str] | None = None,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        rooms: str | os.PathLike[str] | None = None,
        interval: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-share-room")
        self._interval = interval
        self._task: asyncio.Task | None = None
        chosen = room_exercises_of(exercise)
        self._content = content if content is not None else load_content()
        t = self._content.text
        self._store = store_from_env() if store is DEFAULT else store
        self.model = ShareModel(chosen, self._content, self._store, rooms)
        self._title = widgets.HTML(
            f"<h4 style='margin:6px 0 2px 0'>{escape(t('room_share_title'))}</h4>"
        )
        self._join = JoinRoom(store=self._store, rooms=rooms, content=self._content)
        self._join.observe(lambda _c: self.model.sync(), names="value")
        self._preview = widgets.HTML()
        self._preview.add_class("wk-share-preview")
        self._share = widgets.Button(
            description=t("room_share_button"),
            button_style="primary",
            layout=widgets.Layout(width="190px"),
        )
        self._share.add_class("wk-share-button")
        self._withdraw = widgets.Button(
            description=t("room_withdraw_button"), layout=widgets.Layout(width="190px")
        )
        self._withdraw.add_class("wk-withdraw-button")
        self._status = widgets.HTML()
        self._status.add_class("wk-share-status")
        self._message = widgets.HTML()
        self._message.add_class("wk-share-message")
        self._share.on_click(lambda _b: self.model.share())
        self._withdraw.on_click(lambda _b: self.model.withdraw())
        # Where no event loop runs (plain Python), the preview cannot follow by itself:
        # there, and only there, a button reads the answers again.
        self._update = widgets.Button(
            description=t("room_preview_button"), layout=widgets.Layout(width="190px")
        )
        self._update.on_click(lambda _b: self.model.reload())
        self.children = [
            self._title,
            self._join,
            self._preview,
            widgets.HBox([self._share, self._withdraw, self._update]),
            self._status,
            self._message,
        ]
        self.model.observe(lambda _c: self._render(), names=["code", "value", "problems", "status"])
        self.model.observe(lambda _c: self._render_message(), names=["message", "failed"])
        self._render()
        following = interval > 0 and self.model.store is not None and self.start()
        if following or self.model.store is None:
            self._update.layout.display = "none"

    # ------------------------------------------------------------------ following the answers
    def follow(self) -> bool:
        """Show the saved answers now if they changed; return whether they did."""
        return self.model.follow()

    def start(self) -> bool:
        """Follow the saved answers on the running event loop; ``False`` where none runs."""
        self._task = run_on_loop(self._task, self._run)
        return self._task is not None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                self.follow()
            except Exception as exc:  # keep following; say what went wrong
                self._message.value = note(str(exc), ERROR_COLOR)

    def close(self) -> None:
        """Stop following and close the widget."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().close()

    # ------------------------------------------------------------------ view
    def _render(self) -> None:
        model = self.model
        self.set_trait("value", dict(model.value))
        self._join.layout.display = "none" if model.code or model.demo else None
        self._preview.value = self._preview_html()
        self._share.disabled = not model.can_share
        self._withdraw.disabled = not model.code
        status = model.status_text()
        self._status.value = note(status) if status else ""

    def _render_message(self) -> None:
        message = self.model.message
        color = ERROR_COLOR if self.model.failed else "#333"
        self._message.value = note(message, color) if message else ""

    def _preview_html(self) -> str:
        t = self._content.text
        parts = [f"<p style='margin:4px 0'>{escape(self.model.intro())}</p>"]
        for ex in self.model.exercises:
            parts.append(self._exercise_html(self.model.preview(ex)))
        parts.append(
            f"<p style='margin:4px 0;color:#333'><b>{escape(t('room_never_shared'))}</b></p>"
        )
        return "<div style='line-height:1.4'>" + "".join(parts) + "</div>"

    def _exercise_html(self, preview: Preview) -> str:
        if preview.problem:
            return note(preview.problem, ERROR_COLOR)
        if not preview.document:
            return f"<p style='margin:6px 0'>{escape(preview.head)}</p>"
        table = self._table(preview.columns, preview.rows) if preview.rows else ""
        exact = escape(self._content.text("room_exact_file"))
        return (
            f"<p style='margin:8px 0 2px 0'><b>{escape(preview.head)}</b></p>{table}"
            f"<p style='margin:2px 0;color:#333'>{escape(preview.not_shared)}"
            f"</p><details><summary>{exact}</summary>"
            f"<pre style='font-size:0.8em;max-height:14em;overflow:auto'>"
            f"{escape(preview.document)}</pre></details>"
        )

    @staticmethod
    def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        th = "".join(
            f"<th style='text-align:left;padding:1px 8px 1px 0'>{escape(h)}</th>" for h in head
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td style='padding:1px 8px 1px 0'>{escape(x)}</td>" for x in row)
            + "</tr>"
            for row in rows
        )
        return (
            f"<div style='max-height:16em;overflow:auto;margin-bottom:4px'>"
            f"<table style='border-collapse:collapse;font-size:0.9em'>"
            f"<thead><tr>{th}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )
