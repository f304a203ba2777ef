"""The room, on screen: join once, share an exercise after seeing it, and the facilitator's view.

- :class:`JoinRoom`: the participant types the room code once; it is kept in ``room.json``
  in their own folder with a random secret (see :mod:`kit.room`).
- :class:`ShareWithRoom`: shows, in plain words and as the exact file, what one exercise
  (or all three, in the synthesis) would share; nothing is written until 'Share' is
  pressed, and 'Withdraw my share' deletes it again. Answers are read through the
  participant store and never written.
- :class:`RoomView`: the facilitator's picture of the room: counts, charts with their text
  summaries once 3 people shared, Refresh, auto-refresh, and export of the charts as PNG.

Auto-refresh runs as an asyncio task on the kernel's own event loop (the loop that runs the
cells and the widget messages), not in a thread: widget updates then happen on the kernel's
main thread between cells, exactly like a button click, and the task stops when the toggle
is switched off. Where no loop runs (plain Python, tests) auto-refresh says so and the
Refresh button remains; ``workshop-kit room show CODE --watch`` does the same in a terminal.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from kit import room as logic
from kit.answers import AnswerStore, DemoStore, store_from_env
from kit.content import Content, load_content
from kit.widgets._base import DEFAULT, escape

__all__ = ["JoinRoom", "RoomView", "ShareWithRoom"]


def _t(key: str, **values: Any) -> str:
    """A room word from ``ui.yaml`` (a facilitator's own with ``$WORKSHOP_KIT_CONTENT``)."""
    return load_content().text(key, **values)


def _what(exercise: str) -> str:
    return _t(f"room_what_{exercise}")


def _note(text: str, color: str = "#333") -> str:
    return f"<div style='color:{color};margin:4px 0'>{escape(text)}</div>"


def _home_of(store: AnswerStore | DemoStore | None) -> Path | None:
    return store.home if isinstance(store, AnswerStore) else None


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
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-join-room")
        self._store = store_from_env() if store is DEFAULT else store
        self._rooms = rooms
        self._home = _home_of(self._store)
        self._code = widgets.Text(
            placeholder=_t("room_join_placeholder"),
            description=_t("room_join_label"),
            layout=widgets.Layout(width="260px"),
        )
        self._code.add_class("wk-room-code")
        self._join = widgets.Button(
            description=_t("room_join_button"), layout=widgets.Layout(width="160px")
        )
        self._change = widgets.Button(
            description=_t("room_join_change"), layout=widgets.Layout(width="140px", display="none")
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
                self._message.value = _note(_t("room_join_demo"))
        elif member is not None:
            self.set_trait("value", member.code)
            self._show_form(False)
        else:
            self._message.value = _note(_t("room_join_intro"))

    def _show_form(self, editing: bool) -> None:
        for w in (self._code, self._join):
            w.layout.display = None if editing else "none"
        self._change.layout.display = "none" if editing else None
        if not editing:
            self._message.value = _note(_t("room_joined", code=self.value))

    def _do_join(self) -> None:
        if self._home is None:
            return
        try:
            member = logic.join(self._code.value, self._home, self._rooms)
        except logic.RoomError as exc:
            self._message.value = _note(str(exc), "#a33")
            return
        except OSError as exc:
            self._message.value = _note(
                _t("room_join_failed", reason=exc.strerror or str(exc)), "#a33"
            )
            return
        self._code.value = ""
        self.value = member.code
        self._show_form(False)


# --------------------------------------------------------------------------- sharing
def _normalise_exercises(exercise: str | Sequence[str] | None) -> tuple[str, ...]:
    if exercise is None:
        return logic.EXERCISES
    chosen = (exercise,) if isinstance(exercise, str) else tuple(exercise)
    for ex in chosen:
        if ex not in logic.EXERCISES:
            raise ValueError(
                f"unknown exercise {ex!r}; a room collects {', '.join(logic.EXERCISES)}"
            )
    return chosen


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
    """

    value = traitlets.Dict(
        help="What would be shared now: exercise -> payload (exercises "
        "with nothing to share are absent). Read-only."
    )

    def __init__(
        self,
        exercise: str | Sequence[str] | None = None,
        *,
        content: Content | None = None,
        store: AnswerStore | DemoStore | None = DEFAULT,
        rooms: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-share-room")
        self._exercises = _normalise_exercises(exercise)
        self._content = content if content is not None else load_content()
        self._store = store_from_env() if store is DEFAULT else store
        self._rooms = rooms
        self._home = _home_of(self._store)
        self._problems: dict[str, str] = {}
        self._title = widgets.HTML(
            f"<h4 style='margin:6px 0 2px 0'>{escape(_t('room_share_title'))}</h4>"
        )
        self._join = JoinRoom(store=self._store, rooms=rooms)
        self._join.observe(lambda _c: self._render(), names="value")
        self._preview = widgets.HTML()
        self._preview.add_class("wk-share-preview")
        self._share = widgets.Button(
            description=_t("room_share_button"),
            button_style="primary",
            layout=widgets.Layout(width="190px"),
        )
        self._share.add_class("wk-share-button")
        self._withdraw = widgets.Button(
            description=_t("room_withdraw_button"), layout=widgets.Layout(width="190px")
        )
        self._withdraw.add_class("wk-withdraw-button")
        self._update = widgets.Button(
            description=_t("room_preview_button"), layout=widgets.Layout(width="190px")
        )
        self._status = widgets.HTML()
        self._status.add_class("wk-share-status")
        self._message = widgets.HTML()
        self._message.add_class("wk-share-message")
        self._share.on_click(lambda _b: self._do_share())
        self._withdraw.on_click(lambda _b: self._do_withdraw())
        self._update.on_click(lambda _b: self._reload())
        self.children = [
            self._title,
            self._join,
            self._preview,
            widgets.HBox([self._share, self._withdraw, self._update]),
            self._status,
            self._message,
        ]
        self.set_trait("value", self._payloads())
        self._render()

    # ------------------------------------------------------------------ reading
    def _payloads(self) -> dict:
        out, self._problems = {}, {}
        if self._store is None:
            return out
        for ex in self._exercises:
            try:
                data = logic.build_payload(ex, logic.saved_answers(self._store, ex), self._content)
            except ValueError as exc:
                self._problems[ex] = _t("room_unreadable", what=_what(ex), reason=str(exc))
                continue
            if data is not None:
                out[ex] = data
        return out

    def _member(self) -> logic.Membership | None:
        return logic.joined(self._home) if self._home is not None else None

    def _reload(self) -> None:
        self.set_trait("value", self._payloads())
        self._message.value = ""
        self._render()

    # ------------------------------------------------------------------ actions
    def _do_share(self) -> None:
        shown = self.value
        now = self._payloads()
        if now != shown:
            self.set_trait("value", now)
            self._render()
            self._message.value = _note(_t("room_share_changed"), "#a33")
            return
        member = self._member()
        if self._home is None or member is None or not shown:
            return
        try:
            for ex, data in shown.items():
                logic.submit(member, ex, data, self._rooms)
        except (logic.RoomError, OSError) as exc:
            reason = str(exc) if isinstance(exc, logic.RoomError) else (exc.strerror or str(exc))
            self._message.value = _note(_t("room_share_failed", reason=reason), "#a33")
            self._render()
            return
        self._render()
        self._message.value = _note(_t("room_share_done", code=member.code))

    def _do_withdraw(self) -> None:
        member = self._member()
        if member is None:
            return
        try:
            gone = [ex for ex in self._exercises if logic.withdraw(member, ex, self._rooms)]
        except OSError as exc:
            self._message.value = _note(
                _t("room_share_failed", reason=exc.strerror or str(exc)), "#a33"
            )
            return
        self._render()
        if gone:
            what = ", ".join(_what(ex) for ex in gone)
            self._message.value = _note(_t("room_withdrawn", what=what, code=member.code))
        else:
            self._message.value = _note(_t("room_withdraw_none", code=member.code))

    # ------------------------------------------------------------------ view
    def _render(self) -> None:
        member = self._member()
        demo = self._store is not None and self._home is None
        self._join.layout.display = "none" if member is not None or demo else None
        self._preview.value = self._preview_html(member)
        self._share.disabled = member is None or not self.value or demo
        self._withdraw.disabled = member is None
        self._update.disabled = self._store is None
        if demo:
            self._status.value = _note(_t("room_share_demo"))
        elif member is None:
            self._status.value = _note(_t("room_share_need_room"))
        else:
            try:
                items = ", ".join(
                    _t(self._status_key(member, ex), what=_what(ex)) for ex in self._exercises
                )
            except logic.RoomError:
                items = ""
            self._status.value = (
                _note(_t("room_share_status", code=member.code, items=items)) if items else ""
            )

    def _status_key(self, member: logic.Membership, ex: str) -> str:
        shared = logic.shared_document(member, ex, self._rooms)
        if shared is None:
            return "room_share_status_item_no"
        now = self.value.get(ex)
        if now is not None and shared != logic.share_document(ex, now):
            return "room_share_status_item_old"
        return "room_share_status_item_yes"

    def _preview_html(self, member: logic.Membership | None) -> str:
        intro = (
            _t("room_share_intro", code=member.code, min=logic.MIN_PEOPLE)
            if member is not None
            else _t("room_share_intro_no_room", min=logic.MIN_PEOPLE)
        )
        parts = [f"<p style='margin:4px 0'>{escape(intro)}</p>"]
        for ex in self._exercises:
            parts.append(self._exercise_html(ex))
        parts.append(
            f"<p style='margin:4px 0;color:#333'><b>{escape(_t('room_never_shared'))}</b></p>"
        )
        return "<div style='line-height:1.4'>" + "".join(parts) + "</div>"

    def _exercise_html(self, ex: str) -> str:
        data = self.value.get(ex)
        if ex in self._problems:
            return _note(self._problems[ex], "#a33")
        if data is None:
            return f"<p style='margin:6px 0'>{escape(_t(f'room_nothing_{ex}'))}</p>"
        c = self._content
        if ex == "motivations":
            cards = c.by_id["cards"]
            head = _t("room_preview_motivations", n=len(data["cards"]))
            rows = [(cards[cid].text, c.text(f"bucket_{b}")) for cid, b in data["cards"].items()]
            table = self._table((_t("room_col_card"), _t("room_col_column")), rows)
        elif ex == "allocation":
            acts = c.by_id["activities"]
            head = _t("room_preview_allocation")
            rows = [
                (
                    acts[aid].label,
                    f"{round(100 * data['current'][aid])}%",
                    f"{round(100 * data['ideal'].get(aid, 0))}%",
                )
                for aid in data["current"]
            ]
            table = self._table(
                (_t("room_col_activity"), _t("room_col_had"), _t("room_col_want")), rows
            )
        else:
            roles = c.by_id["roles"]
            top = data["top"]
            head = (
                _t("room_preview_archetypes", first=roles[top[0]].label, second=roles[top[1]].label)
                if top
                else _t("room_preview_archetypes_no_lean")
            )
            table = ""
        exact = logic.share_document(ex, data)
        pretty = json.dumps(json.loads(exact), indent=1, sort_keys=True)
        return (
            f"<p style='margin:8px 0 2px 0'><b>{escape(head)}</b></p>{table}"
            f"<p style='margin:2px 0;color:#333'>{escape(_t(f'room_not_shared_{ex}'))}"
            f"</p><details><summary>{escape(_t('room_exact_file'))}</summary>"
            f"<pre style='font-size:0.8em;max-height:14em;overflow:auto'>"
            f"{escape(pretty)}</pre></details>"
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


# --------------------------------------------------------------------------- facilitator
class RoomView(widgets.VBox):
    """The facilitator's picture of a room: counts, charts and summaries, refresh, export.

    Parameters
    ----------
    code
        The room to show; ``None`` shows a code box and a 'Create a new room' button.
    content
        The workshop content; default :func:`kit.load_content`.
    rooms
        The rooms folder; default ``$WORKSHOP_KIT_ROOMS`` or a per-user data folder.
    export_dir
        Where 'Save charts as images' writes; default ``./room-<CODE>``.
    interval
        Seconds between automatic refreshes when auto-refresh is on.
    """

    value = traitlets.Unicode("", help="The code of the room shown ('' for none)")

    def __init__(
        self,
        code: str | None = None,
        *,
        content: Content | None = None,
        rooms: str | os.PathLike[str] | None = None,
        export_dir: str | os.PathLike[str] | None = None,
        interval: float = 5.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-room-view")
        self._content = content if content is not None else load_content()
        self._rooms = rooms
        self._export_dir = export_dir
        self._interval = interval
        self._reader: logic.RoomReader | None = None
        self._shown: dict[str, Any] = {}
        self._task: asyncio.Task | None = None
        self._picture: logic.RoomPicture | None = None
        self._refreshes = 0
        self._code = widgets.Text(
            placeholder=_t("room_join_placeholder"),
            description=_t("room_view_code_label"),
            layout=widgets.Layout(width="260px"),
        )
        self._open = widgets.Button(
            description=_t("room_view_open"), layout=widgets.Layout(width="150px")
        )
        self._create = widgets.Button(
            description=_t("room_view_create"), layout=widgets.Layout(width="170px")
        )
        self._header = widgets.HTML()
        self._header.add_class("wk-room-header")
        self._counts = widgets.HTML()
        self._counts.add_class("wk-room-counts")
        self._refresh = widgets.Button(
            description=_t("room_view_refresh"), layout=widgets.Layout(width="120px")
        )
        self._auto = widgets.ToggleButton(
            value=False,
            description=_t("room_view_auto", seconds=f"{interval:g}"),
            layout=widgets.Layout(width="190px"),
        )
        self._export = widgets.Button(
            description=_t("room_view_export"), layout=widgets.Layout(width="190px")
        )
        self._message = widgets.HTML()
        self._message.add_class("wk-room-message")
        self._sections: dict[str, tuple[widgets.HTML, widgets.Image, widgets.HTML]] = {}
        section_boxes = []
        for ex in logic.EXERCISES:
            heading = widgets.HTML(
                f"<h4 style='margin:10px 0 2px 0'>{escape(_t(f'room_view_heading_{ex}'))}</h4>"
            )
            image = widgets.Image(
                format="png", layout=widgets.Layout(max_width="820px", display="none")
            )
            summary = widgets.HTML()
            summary.add_class(f"wk-room-summary-{ex}")
            self._sections[ex] = (heading, image, summary)
            box = widgets.VBox([heading, image, summary])
            box.add_class(f"wk-room-{ex}")
            section_boxes.append(box)
        self._body = widgets.VBox(section_boxes)
        self._actions = widgets.HBox([self._refresh, self._auto, self._export])
        self._open.on_click(lambda _b: self._open_typed())
        self._create.on_click(lambda _b: self._create_room())
        self._refresh.on_click(lambda _b: self.refresh())
        self._export.on_click(lambda _b: self.export())
        self._auto.observe(self._on_auto_changed, names="value")
        self.observe(self._on_value_changed, names="value")
        self.children = [
            widgets.HTML(f"<h3 style='margin:0 0 4px 0'>{escape(_t('room_view_title'))}</h3>"),
            widgets.HBox([self._code, self._open, self._create]),
            self._header,
            self._actions,
            self._counts,
            self._message,
            self._body,
        ]
        if code:
            self.value = logic.normalize_code(code)
        else:
            self._render_empty()

    # ------------------------------------------------------------------ choosing the room
    @traitlets.validate("value")
    def _valid_code(self, proposal: dict) -> str:
        return logic.normalize_code(proposal["value"]) if proposal["value"] else ""

    def _on_value_changed(self, change: dict) -> None:
        self._reader = logic.RoomReader(self.value, self._rooms) if self.value else None
        self._shown = {}
        self._picture = None
        if self._reader is None:
            self._render_empty()
        else:
            self.refresh()

    def _open_typed(self) -> None:
        try:
            self.value = self._code.value
        except (traitlets.TraitError, logic.RoomError) as exc:
            self._message.value = _note(str(exc), "#a33")

    def _create_room(self) -> None:
        try:
            code = logic.create_room(self._rooms)
        except OSError as exc:
            self._message.value = _note(str(exc), "#a33")
            return
        self.value = code
        self._message.value = _note(_t("room_view_created", code=code))

    def _render_empty(self) -> None:
        self._header.value = _note(_t("room_view_none"))
        self._counts.value = ""
        for ex in logic.EXERCISES:
            self._show_section(ex, None, "")
        self._body.layout.display = "none"
        self._actions.layout.display = "none"

    # ------------------------------------------------------------------ refreshing
    def refresh(self) -> logic.RoomPicture | None:
        """Read the room again and redraw what changed; return the room's picture."""
        if self._reader is None:
            return None
        folder = str(self._reader.folder.parent)
        try:
            picture = logic.room_picture(self.value, self._content, reader=self._reader)
        except OSError as exc:
            self._message.value = _note(_t("room_view_error", reason=str(exc)), "#a33")
            return None
        self._refreshes += 1
        self._picture = picture
        with self.hold_sync():
            if not picture.open:
                self._header.value = _note(
                    _t("room_view_closed", code=picture.code, folder=folder), "#a33"
                )
            else:
                self._header.value = _note(_t("room_view_header", code=picture.code, folder=folder))
            self._body.layout.display = None
            self._actions.layout.display = None
            self._counts.value = self._counts_html(picture)
            for ex, part in picture.exercises.items():
                if self._shown.get(ex) == part:
                    continue  # nothing changed: no redraw
                self._shown[ex] = part
                self._draw(ex, part)
        return picture

    def _counts_html(self, picture: logic.RoomPicture) -> str:
        lines = []
        for ex, part in picture.exercises.items():
            line = _t("room_view_count", what=_what(ex).capitalize(), n=part.shared)
            if part.synthetic:
                line += _t("room_view_synthetic", n=part.synthetic)
            if part.skipped:
                why = ", ".join(
                    f"{n} {reason.replace('_', ' ')}" for reason, n in part.skipped.items()
                )
                line += " · " + _t("room_view_skipped", n=sum(part.skipped.values()), why=why)
            lines.append(f"<li>{escape(line)}</li>")
        return f"<ul style='margin:4px 0'>{''.join(lines)}</ul>"

    def _draw(self, ex: str, part: logic.ExercisePicture) -> None:
        if part.picture is None:
            self._show_section(ex, None, logic.picture_text(part, self._content))
            return
        from kit.charts.room import room_charts

        single = logic.RoomPicture(self.value, True, {ex: part})
        shown = room_charts(single, self._content)[ex]
        self._show_section(ex, shown.png, shown.summary)

    def _show_section(self, ex: str, png: bytes | None, text: str) -> None:
        _, image, summary = self._sections[ex]
        if png is None:
            image.layout.display = "none"
            image.value = b""
        else:
            image.value = png
            image.layout.display = None
        summary.value = (
            f"<p class='wk-summary' style='max-width:820px'>{escape(text)}</p>" if text else ""
        )

    # ------------------------------------------------------------------ auto-refresh
    def _on_auto_changed(self, change: dict) -> None:
        if change["new"]:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self._message.value = _note(_t("room_view_auto_unavailable"))
                self._auto.value = False
                return
            self._task = loop.create_task(self._auto_refresh())
        elif self._task is not None:
            self._task.cancel()
            self._task = None

    async def _auto_refresh(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                self.refresh()
            except Exception as exc:  # keep the loop alive; say what went wrong
                self._message.value = _note(_t("room_view_error", reason=str(exc)), "#a33")

    def close(self) -> None:
        """Stop auto-refresh and close the widget."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().close()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The live widget, plus a static HTML snapshot for exports and slide decks."""
        from kit.widgets._snapshot import snapshot_html

        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle = bundle[0]
        return {**bundle, "text/html": snapshot_html(self)}

    # ------------------------------------------------------------------ export
    def export(self, folder: str | os.PathLike[str] | None = None) -> list[Path]:
        """Save the ready charts as PNG (text summary beside as .txt); return the PNGs."""
        picture = self.refresh()
        if picture is None:
            return []
        from kit.charts.room import export_charts

        target = Path(folder or self._export_dir or Path.cwd() / f"room-{picture.code}")
        try:
            written = export_charts(picture, self._content, target)
        except OSError as exc:
            self._message.value = _note(str(exc), "#a33")
            return []
        if written:
            self._message.value = _note(
                _t(
                    "room_view_exported",
                    folder=str(target),
                    files=", ".join(p.name for p in written),
                )
            )
        else:
            self._message.value = _note(_t("room_view_export_none", min=logic.MIN_PEOPLE))
        return written
