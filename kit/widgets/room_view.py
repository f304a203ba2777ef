"""The facilitator's view of a room: counts, charts with their summaries, refresh, export.

:class:`RoomView` shows how many people shared each exercise and, once the room's threshold
have (:data:`~kit.room.pictures.MIN_PEOPLE` unless lowered), the room's chart with its text
summary. It reads the room through a :class:`~kit.room.reader.RoomReader` (cheap
refreshes), draws with :mod:`kit.charts.room`, and saves the charts as PNG files on
request. Every word comes from the content it is given.

The counts are live; each chart is the room's last snapshot (:mod:`kit.room.snapshots`),
which changes only after the room's threshold of shares were added, changed or withdrawn,
so that watching the view while a colleague shares shows nobody's answer. The view says so
under each chart, and says when the room uses another threshold than the usual.

Auto-refresh runs as an asyncio task on the kernel's own event loop (the loop that runs the
cells and the widget messages), not in a thread: widget updates then happen on the kernel's
main thread between cells, exactly like a button click, and the task stops when the toggle
is switched off. Where no loop runs (plain Python, tests) auto-refresh says so and the
Refresh button remains; ``workshop-kit room show CODE --watch`` does the same in a terminal.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from kit.charts.room import export_charts, room_png
from kit.content import Content, load_content
from kit.room import store as logic
from kit.room.pictures import (
    ExercisePicture,
    RoomPicture,
    exercise_words,
    picture_text,
    skipped_words,
    snapshot_text,
    summary_text,
    threshold_text,
)
from kit.room.projector import claim_room, is_rehearsal
from kit.room.reader import RoomReader, room_picture
from kit.widgets._base import escape
from kit.widgets._snapshot import snapshot_html
from kit.widgets.room import ERROR_COLOR, note

__all__ = ["RoomView"]


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
        self._reader: RoomReader | None = None
        self._shown: dict[str, Any] = {}
        self._task: asyncio.Task | None = None
        self._picture: RoomPicture | None = None
        self._refreshes = 0
        self._code = widgets.Text(
            placeholder=self._t("room_join_placeholder"),
            description=self._t("room_view_code_label"),
            layout=widgets.Layout(width="260px"),
        )
        self._open = widgets.Button(
            description=self._t("room_view_open"), layout=widgets.Layout(width="150px")
        )
        self._create = widgets.Button(
            description=self._t("room_view_create"), layout=widgets.Layout(width="170px")
        )
        self._header = widgets.HTML()
        self._header.add_class("wk-room-header")
        self._counts = widgets.HTML()
        self._counts.add_class("wk-room-counts")
        self._refresh = widgets.Button(
            description=self._t("room_view_refresh"), layout=widgets.Layout(width="120px")
        )
        self._auto = widgets.ToggleButton(
            value=False,
            description=self._t("room_view_auto", seconds=f"{interval:g}"),
            layout=widgets.Layout(width="190px"),
        )
        self._export = widgets.Button(
            description=self._t("room_view_export"), layout=widgets.Layout(width="190px")
        )
        self._message = widgets.HTML()
        self._message.add_class("wk-room-message")
        self._sections: dict[str, tuple[widgets.HTML, widgets.Image, widgets.HTML]] = {}
        section_boxes = []
        for ex in logic.EXERCISES:
            heading = widgets.HTML(
                f"<h4 style='margin:10px 0 2px 0'>{escape(self._t(f'room_view_heading_{ex}'))}</h4>"
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
            widgets.HTML(f"<h3 style='margin:0 0 4px 0'>{escape(self._t('room_view_title'))}</h3>"),
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

    def _t(self, key: str, **values: Any) -> str:
        return self._content.text(key, **values)

    # ------------------------------------------------------------------ choosing the room
    @traitlets.validate("value")
    def _valid_code(self, proposal: dict) -> str:
        return logic.normalize_code(proposal["value"]) if proposal["value"] else ""

    def _on_value_changed(self, change: dict) -> None:
        self._reader = RoomReader(self.value, self._rooms) if self.value else None
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
            self._message.value = note(str(exc), ERROR_COLOR)

    def _create_room(self) -> None:
        try:
            code = logic.create_room(self._rooms)
            # The room's projector opens for this folder only, as after `room create`.
            claim_room(code, self._rooms)
        except (OSError, ValueError) as exc:
            self._message.value = note(str(exc), ERROR_COLOR)
            return
        self.value = code
        self._message.value = note(self._t("room_view_created", code=code))

    def _render_empty(self) -> None:
        self._header.value = note(self._t("room_view_none"))
        self._counts.value = ""
        for ex in logic.EXERCISES:
            self._show_section(ex, None, "")
        self._body.layout.display = "none"
        self._actions.layout.display = "none"

    # ------------------------------------------------------------------ refreshing
    def refresh(self) -> RoomPicture | None:
        """Read the room again and redraw what changed; return the room's picture."""
        if self._reader is None:
            return None
        folder = str(self._reader.folder.parent)
        try:
            picture = room_picture(self.value, self._content, reader=self._reader)
        except OSError as exc:
            self._message.value = note(self._t("room_view_error", reason=str(exc)), ERROR_COLOR)
            return None
        self._refreshes += 1
        self._picture = picture
        with self.hold_sync():
            if not picture.open:
                self._header.value = note(
                    self._t("room_view_closed", code=picture.code, folder=folder), ERROR_COLOR
                )
            else:
                self._header.value = note(
                    self._t("room_view_header", code=picture.code, folder=folder)
                )
                rule = threshold_text(picture, self._content)
                if rule:
                    self._header.value += note(rule)
            self._body.layout.display = None
            self._actions.layout.display = None
            self._counts.value = self._counts_html(picture)
            for ex, part in picture.exercises.items():
                if self._shown.get(ex) == part:
                    continue  # nothing changed: no redraw
                self._draw(ex, part, redraw=self._drawn(ex) != part.picture)
                self._shown[ex] = part
        return picture

    def _counts_html(self, picture: RoomPicture) -> str:
        lines = []
        for ex, part in picture.exercises.items():
            line = self._t(
                "room_view_count",
                what=exercise_words(ex, self._content).capitalize(),
                n=part.shared,
            )
            if part.synthetic:
                line += self._t("room_view_synthetic", n=part.synthetic)
            if part.skipped:
                why = skipped_words(part.skipped)
                line += " · " + self._t("room_view_skipped", n=sum(part.skipped.values()), why=why)
            lines.append(f"<li>{escape(line)}</li>")
        return f"<ul style='margin:4px 0'>{''.join(lines)}</ul>"

    def _drawn(self, ex: str) -> Any:
        shown = self._shown.get(ex)
        return shown.picture if shown is not None else None

    def _draw(self, ex: str, part: ExercisePicture, redraw: bool = True) -> None:
        """Show one exercise; the chart is drawn again only when the snapshot changed."""
        if part.picture is None:
            self._show_section(ex, None, picture_text(part, self._content))
            return
        text = picture_text(part, self._content)
        note_text = snapshot_text(part, self._content)
        if not redraw:  # the same snapshot: only the live count in the note changed
            self._show_section(ex, ..., text, note_text)
            return
        # The same drawing as the projector's and the debrief files' (rehearsal marked).
        rehearsal = self._picture is not None and is_rehearsal(self._picture)
        png = room_png(part.picture, self._content, rehearsal=rehearsal)
        self._show_section(ex, png, summary_text(part.picture, self._content), note_text)

    def _show_section(self, ex: str, png: Any, text: str, note_text: str = "") -> None:
        """Show a section: ``png`` bytes, ``None`` for no chart, ``...`` to keep the chart."""
        _, image, summary = self._sections[ex]
        if png is None:
            image.layout.display = "none"
            image.value = b""
        elif png is not ...:
            image.value = png
            image.layout.display = None
        style = "style='max-width:820px'"
        summary.value = (f"<p class='wk-summary' {style}>{escape(text)}</p>" if text else "") + (
            f"<p class='wk-snapshot-note' {style}><i>{escape(note_text)}</i></p>"
            if note_text
            else ""
        )

    # ------------------------------------------------------------------ auto-refresh
    def _on_auto_changed(self, change: dict) -> None:
        if change["new"]:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self._message.value = note(self._t("room_view_auto_unavailable"))
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
                self._message.value = note(self._t("room_view_error", reason=str(exc)), ERROR_COLOR)

    def close(self) -> None:
        """Stop auto-refresh and close the widget."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().close()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The live widget, plus a static HTML snapshot for exports and slide decks."""
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
        target = Path(folder or self._export_dir or Path.cwd() / f"room-{picture.code}")
        try:
            written = export_charts(picture, self._content, target)
        except OSError as exc:
            self._message.value = note(str(exc), ERROR_COLOR)
            return []
        if written:
            self._message.value = note(
                self._t(
                    "room_view_exported",
                    folder=str(target),
                    files=", ".join(p.name for p in written),
                )
            )
        else:
            self._message.value = note(self._t("room_view_export_none", min=picture.needed))
        return written
