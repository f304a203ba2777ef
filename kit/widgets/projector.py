"""The projector: the live room picture on the big screen (a view only).

:class:`Projector` shows the room's code in large type, a QR code of the join link when one
is given, live counts, and one of the room's three pictures, hidden until the facilitator
reveals it. The pictures come from the room's snapshots (:func:`kit.room.reader.room_picture`),
so the screen changes only in steps of the room's threshold of shares. It refreshes by
itself on the kernel's event loop (as :class:`kit.widgets.room_view.RoomView` does), so the
picture follows the snapshots with no click and no reload.

Keys never wait for the kernel. All three pictures are on the page (each under its own
panel, hidden); the page template (``kit/pages/jupyter/voila/templates/projector``) turns the
keys 1, 2, 3 and the arrows (choose a picture), R (reveal or hide it) and B (blank the screen)
into the screen's state on the page itself, at once, even while the kernel draws a chart. The
kernel only pushes new pictures, and hears of each key afterwards (the view's buttons, which a
mouse can press too), so :attr:`Projector.value` follows what the screen shows. Setting
``value`` from Python moves the screen (a numbered state the page applies).
:func:`projector_page` is what the projector notebook calls: it reads the room from the page's
address and checks that this server runs the room (:func:`kit.room.projector.page_request`).
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from typing import Any

import ipywidgets as widgets
import traitlets

from kit.charts.room import screen_png
from kit.content import Content, load_content
from kit.room import projector as logic
from kit.room.pictures import (
    ExercisePicture,
    RoomPicture,
    exercise_words,
    picture_text,
    snapshot_text,
    threshold_text,
)
from kit.room.projector import CARDS_ON_SCREEN, screen_picture
from kit.room.reader import RoomReader, room_picture
from kit.room.store import EXERCISES, normalize_code
from kit.widgets._base import escape, run_on_loop

__all__ = ["CARDS_ON_SCREEN", "Projector", "projector_page", "screen_picture"]


class Projector(widgets.VBox):
    """The room on the big screen: code, QR, live counts and one revealed picture.

    Parameters
    ----------
    code
        The room.
    join_url
        The link participants open (a hub address); the QR code shows it. ``""``: no QR.
    content
        The workshop content; default :func:`kit.load_content`.
    rooms
        The rooms folder; default ``$WORKSHOP_KIT_ROOMS`` or a per-user data folder.
    interval
        Seconds between reads of the room (a read with nothing new costs a folder listing).
    auto
        Refresh by itself on the kernel's event loop (when one runs).
    """

    value = traitlets.Dict(
        help="What the screen shows: {'picture': exercise, 'revealed': bool, 'blank': bool}"
    )
    #: Seconds between updates of the pictures not on screen (the one on screen: every
    #: read). Under load the kernel draws the picture the room sees first; a picture
    #: becoming ready, a room becoming a rehearsal, or a picture chosen is pushed at once.
    HIDDEN_EVERY = 2.0

    def __init__(
        self,
        code: str,
        *,
        join_url: str = "",
        content: Content | None = None,
        rooms: str | os.PathLike[str] | None = None,
        interval: float = 0.5,
        auto: bool = True,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class("wk-projector")
        self._content = content if content is not None else load_content()
        self._reader = RoomReader(normalize_code(code), rooms)
        self._join = logic.join_link(join_url, self._reader.code) if join_url else ""
        self._interval = interval
        self._task: asyncio.Task | None = None
        self._picture: RoomPicture | None = None
        self._drawn: dict[str, tuple[tuple[int, bool], bytes]] = {}  # exercise -> (key, PNG)
        # exercise -> (when, ready, rehearsal) of the panel last pushed
        self._pushed: dict[str, tuple[float, bool, bool]] = {}
        self._seq = 0  # numbers the states set from Python, which the page then applies
        self._from_page = False  # a key pressed on the page: the screen already shows it
        self.refreshes = 0
        t = self._t
        self._top = widgets.HTML(self._top_html())
        self._top.add_class("wk-proj-top")
        self._counts = widgets.HTML()
        self._counts.add_class("wk-proj-counts")
        self._banner = widgets.HTML()
        self._banner.add_class("wk-proj-rehearsal")
        self._panels: dict[str, widgets.HTML] = {}
        for ex in EXERCISES:
            panel = widgets.HTML()
            panel.add_class("wk-proj-panel")
            panel.add_class(f"wk-proj-panel-{ex}")
            self._panels[ex] = panel
        self._status = widgets.HTML()
        self._status.add_class("wk-proj-status")
        labels = (t("projector_key_cards"), t("projector_key_week"), t("projector_key_shapes"))
        self._pick = {}
        for n, (ex, label) in enumerate(zip(EXERCISES, labels, strict=True), 1):
            button = widgets.Button(description=label, layout=widgets.Layout(width="auto"))
            button.add_class(f"wk-proj-key-{n}")
            button.on_click(lambda _b, ex=ex: self._pressed(self._choice(ex)))
            self._pick[ex] = button
        self._reveal = widgets.Button(layout=widgets.Layout(width="auto"))
        self._reveal.add_class("wk-proj-key-reveal")
        self._reveal.on_click(lambda _b: self._pressed(self._toggled("revealed")))
        self._blank = widgets.Button(
            description=t("projector_key_blank"), layout=widgets.Layout(width="auto")
        )
        self._blank.add_class("wk-proj-key-blank")
        self._blank.on_click(lambda _b: self._pressed(self._toggled("blank")))
        help_line = widgets.HTML(f"<p>{escape(t('projector_keys_help'))}</p>")
        help_line.add_class("wk-proj-help")
        self._keys = widgets.HBox([*self._pick.values(), self._reveal, self._blank])
        self._keys.add_class("wk-proj-keys")
        stage = widgets.VBox(
            [self._banner, *self._panels.values()], layout=widgets.Layout(overflow="visible")
        )
        stage.add_class("wk-proj-stage")
        self.children = [
            self._top, self._counts, stage, self._status, self._keys, help_line,
        ]  # fmt: skip
        self.observe(self._on_value_changed, names="value")
        self.value = {"picture": EXERCISES[0], "revealed": False, "blank": False}
        self.refresh()
        if auto:
            self.start()

    def _t(self, key: str, **values: Any) -> str:
        return self._content.text(key, **values)

    @property
    def code(self) -> str:
        """The room shown."""
        return self._reader.code

    # ------------------------------------------------------------------ the facilitator's keys
    @traitlets.validate("value")
    def _valid_value(self, proposal: dict) -> dict:
        value = dict(proposal["value"])
        if value.get("picture") not in EXERCISES:
            raise traitlets.TraitError(f"picture must be one of {', '.join(EXERCISES)}")
        return {
            "picture": value["picture"],
            "revealed": bool(value.get("revealed")),
            "blank": bool(value.get("blank")),
        }

    def _choice(self, exercise: str) -> dict:
        """Another picture is shown hidden until revealed (the room guesses first)."""
        if exercise == self.value["picture"]:
            return self.value
        return {**self.value, "picture": exercise, "revealed": False}

    def _toggled(self, what: str) -> dict:
        return {**self.value, what: not self.value[what]}

    def _pressed(self, value: dict) -> None:
        """A key or button on the page: the page has changed the screen already."""
        self._from_page = True
        try:
            self.value = value
        finally:
            self._from_page = False

    def step(self, by: int) -> None:
        """Show the next (``by=1``) or previous (``-1``) picture."""
        at = EXERCISES.index(self.value["picture"])
        self.value = self._choice(EXERCISES[(at + by) % len(EXERCISES)])

    def _on_value_changed(self, change: dict) -> None:
        if not self._from_page:
            self._seq += 1  # set from Python: the page moves the screen to it
        state = change["new"]
        old = change["old"] if isinstance(change["old"], dict) else {}
        if self._picture is not None and old.get("picture") != state["picture"]:
            # Another picture chosen: bring its panel up to the last read now (the page
            # already shows it; this only makes it current).
            part = self._picture.exercises[state["picture"]]
            self._push(part, logic.is_rehearsal(self._picture), time.monotonic())
        with self.hold_sync():
            if state["blank"]:
                self.add_class("wk-proj-blank")
            else:
                self.remove_class("wk-proj-blank")
            self._reveal.description = self._t(
                "projector_key_hide" if state["revealed"] else "projector_key_reveal"
            )
            for ex, button in self._pick.items():
                button.button_style = "primary" if ex == state["picture"] else ""
            self._status.value = self._state_html(state)

    def _state_html(self, state: dict) -> str:
        """The screen's state as the kernel knows it, and the two words of the reveal key."""
        t = self._t
        yes = {True: "yes", False: "no"}
        return (
            f"<span class='wk-proj-state' data-seq='{self._seq}' "
            f"data-picture='{state['picture']}' data-revealed='{yes[state['revealed']]}' "
            f"data-blank='{yes[state['blank']]}' "
            f"data-reveal-word='{escape(t('projector_key_reveal'))}' "
            f"data-hide-word='{escape(t('projector_key_hide'))}'></span>"
        )

    # ------------------------------------------------------------------ drawing
    def _top_html(self) -> str:
        t = self._t
        code = escape(self.code)
        spaced = escape(" ".join((self.code[:3], self.code[3:])))
        where = t("projector_join", url=self._join) if self._join else t("projector_join_no_link")
        qr = (
            f"<div class='wk-proj-qr'>{logic.qr_svg(self._join, t('projector_qr_title'))}</div>"
            if self._join
            else ""
        )
        return (
            "<div class='wk-proj-join'>"
            f"<div><p class='wk-proj-code-label'>{escape(t('projector_code_label'))}</p>"
            f"<p class='wk-proj-code' aria-label='{code}'>{spaced}</p>"
            f"<p class='wk-proj-where'>{escape(where)}</p></div>{qr}</div>"
        )

    def refresh(self) -> RoomPicture | None:
        """Read the room again and push what changed; return the room's picture.

        The picture on screen is drawn and pushed first, so it is not held up by the others.
        """
        try:
            picture = room_picture(self.code, self._content, reader=self._reader)
        except OSError as exc:
            self._status_error(str(exc))
            return None
        self.refreshes += 1
        self._picture = picture
        rehearsal = logic.is_rehearsal(picture)
        with self.hold_sync():
            self._counts.value = self._counts_html(picture)
            self._banner.value = (
                f"<p role='note'>{escape(self._t('projector_rehearsal'))}</p>" if rehearsal else ""
            )
        chosen = self.value["picture"]
        now = time.monotonic()
        for ex in sorted(EXERCISES, key=lambda e: e != chosen):
            part = picture.exercises[ex]
            shown = self._pushed.get(ex)
            if (
                ex != chosen
                and shown is not None
                and shown[1:] == (part.ready, rehearsal)
                and now - shown[0] < self.HIDDEN_EVERY
            ):
                continue  # a picture not on screen follows too, but less often
            self._push(part, rehearsal, now)
        return picture

    def _push(self, part: ExercisePicture, rehearsal: bool, now: float) -> None:
        html = self._panel_html(part, rehearsal)
        self._pushed[part.exercise] = (now, part.ready, rehearsal)
        if self._panels[part.exercise].value != html:
            self._panels[part.exercise].value = html  # sent at once: one message per panel

    def _status_error(self, reason: str) -> None:
        self._counts.value = f"<p>{escape(self._t('room_view_error', reason=reason))}</p>"

    def _counts_html(self, picture: RoomPicture) -> str:
        items = [
            escape(logic.joined_text(picture, self._content)),
            *(
                escape(
                    self._t(
                        "room_view_count",
                        what=exercise_words(ex, self._content).capitalize(),
                        n=part.shared,
                    )
                )
                for ex, part in picture.exercises.items()
            ),
        ]
        rule = threshold_text(picture, self._content)
        extra = f"<p class='wk-proj-rule'>{escape(rule)}</p>" if rule else ""
        if not picture.open:
            extra += f"<p>{escape(self._t('projector_closed', code=picture.code))}</p>"
        return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" + extra

    def _png(self, part: ExercisePicture, rehearsal: bool) -> bytes:
        """The chart of a snapshot, drawn once per snapshot (the debrief's drawing)."""
        key = (part.snapshot, rehearsal)
        cached = self._drawn.get(part.exercise)
        if cached is not None and cached[0] == key:
            return cached[1]
        png = screen_png(part, self._content, rehearsal=rehearsal)
        self._drawn[part.exercise] = (key, png)
        return png

    def _panel_html(self, part: ExercisePicture, rehearsal: bool) -> str:
        """One exercise's panel: its heading, what shows while hidden, and its picture.

        The picture part carries the ``hidden`` attribute: only the projector template's
        stylesheet shows it, when the page's state says so, so it never shows by accident.
        """
        t = self._t
        heading = f"<h2>{escape(t(f'room_view_heading_{part.exercise}'))}</h2>"
        if not part.ready:
            return (
                f"<div class='wk-proj-panel-state' data-exercise='{part.exercise}' "
                f"data-snapshot='0' data-pictured='0'></div>{heading}"
                f"<div class='wk-proj-covered'><p>{escape(picture_text(part, self._content))}"
                "</p></div>"
            )
        covered = t(
            "projector_hidden",
            what=exercise_words(part.exercise, self._content),
            people=part.pictured,
        )
        summary = picture_text(part, self._content)
        data = base64.b64encode(self._png(part, rehearsal)).decode("ascii")
        top = (
            f"<p class='wk-proj-note'>{escape(t('projector_cards_top', n=CARDS_ON_SCREEN))}</p>"
            if screen_picture(part.picture) is not part.picture
            else ""
        )
        return (
            f"<div class='wk-proj-panel-state' data-exercise='{part.exercise}' "
            f"data-snapshot='{part.snapshot}' data-pictured='{part.pictured}'></div>{heading}"
            f"<div class='wk-proj-covered'><p>{escape(covered)}</p></div>"
            f"<div class='wk-proj-shown' hidden><div class='wk-proj-image'>{top}"
            f"<img src='data:image/png;base64,{data}' alt='{escape(summary)}'></div>"
            f"<div class='wk-proj-summary'><p>{escape(summary)}</p>"
            f"<p class='wk-proj-note'>{escape(snapshot_text(part, self._content))}</p></div></div>"
        )

    # ------------------------------------------------------------------ refreshing by itself
    def start(self) -> bool:
        """Refresh by itself on the running event loop; return ``False`` where none runs."""
        self._task = run_on_loop(self._task, self._run)
        return self._task is not None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            # Reads start every `interval` seconds, however long drawing took: a snapshot
            # that fell due waits at most one interval before it is read.
            due = max(due + self._interval, loop.time() + 0.05)
            await asyncio.sleep(due - loop.time())
            try:
                self.refresh()
            except Exception as exc:  # keep the screen alive; say what went wrong
                self._status_error(str(exc))

    def close(self) -> None:
        """Stop refreshing and close the widget."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().close()


def projector_page(
    query: str | None = None,
    *,
    rooms: str | os.PathLike[str] | None = None,
    home: str | os.PathLike[str] | None = None,
    content: Content | None = None,
) -> widgets.Widget:
    """Return what the projector page shows: the room asked in the address, or why not.

    ``query`` defaults to the page's query string (Voila puts it in ``QUERY_STRING``).
    """
    content = content if content is not None else load_content()
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    try:
        code, join = logic.page_request(query, rooms, home)
    except (logic.RoomError, ValueError) as exc:
        key = getattr(exc, "key", "")
        why = content.text(key, **exc.values) if key else str(exc)
        refused = widgets.HTML(
            f"<h1>{escape(content.text('projector_refused_title'))}</h1><p>{escape(why)}</p>"
        )
        refused.add_class("wk-proj-refused")
        return refused
    return Projector(code, join_url=join, content=content, rooms=rooms)
