"""The state of "share this exercise with the room", which the share widget only renders.

:class:`ShareModel` holds what one or more exercises would share now (read through the
participant store, never written), whether the participant joined a room, what of theirs
is in that room, and the outcome of the last action, as traits that a view observes. It
shares and withdraws on request. Every sentence comes from the content it is given.

Plain traitlets: no ipywidgets, no matplotlib, so it can be driven and tested on its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import traitlets

from kit import exercises
from kit.answers import AnswerStore, DemoStore
from kit.room import store as room
from kit.room.pictures import MIN_PEOPLE, exercise_words

if TYPE_CHECKING:
    from kit.content import Content

__all__ = ["Preview", "ShareModel", "room_exercises_of"]


def room_exercises_of(exercise: str | Sequence[str] | None) -> tuple[str, ...]:
    """Return the room exercises asked for: one name, several, or ``None`` for all.

    Raises
    ------
    ValueError
        When a room does not collect one of them.
    """
    if exercise is None:
        return room.EXERCISES
    chosen = (exercise,) if isinstance(exercise, str) else tuple(exercise)
    for ex in chosen:
        exercises.room_exercise(ex)
    return chosen


@dataclass(frozen=True)
class Preview:
    """What one exercise would share, in plain words and as the exact file.

    Attributes
    ----------
    exercise
        The exercise.
    head
        One sentence: what goes, or why nothing does yet.
    columns, rows
        A table of what goes (card and column; activity and both weeks); empty when the
        sentence says it all.
    not_shared
        What stays behind, in one sentence (empty when nothing would go).
    document
        The exact file, pretty-printed (empty when nothing would go).
    problem
        Why the saved answers could not be read ('' when they could).
    """

    exercise: str
    head: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    not_shared: str = ""
    document: str = ""
    problem: str = ""


class ShareModel(traitlets.HasTraits):
    """What exercises would share with the room, and sharing or withdrawing them.

    Parameters
    ----------
    exercises
        The room exercises to handle (see :func:`room_exercises_of`).
    content
        The workshop content: its words and ids.
    store
        Where the saved answers are read from (never written). ``None``: unbound, nothing
        to share; a :class:`~kit.answers.DemoStore` previews but never shares.
    rooms
        The rooms folder; default ``$WORKSHOP_KIT_ROOMS`` or a per-user data folder.
    """

    code = traitlets.Unicode("", help="The room joined ('' before joining)")
    value = traitlets.Dict(
        help="What would be shared now: exercise -> payload (exercises with nothing to "
        "share are absent)"
    )
    problems = traitlets.Dict(help="exercise -> why its saved answers could not be read")
    status = traitlets.Dict(
        help="What of this participant's is in the room: exercise -> 'yes', 'no' or 'old'"
    )
    message = traitlets.Unicode("", help="The outcome of the last action, in one sentence")
    failed = traitlets.Bool(False, help="Whether the last action failed")

    def __init__(
        self,
        exercises: Sequence[str],
        content: Content,
        store: AnswerStore | DemoStore | None,
        rooms: str | os.PathLike[str] | None = None,
    ):
        super().__init__()
        self.exercises = tuple(exercises)
        self.content = content
        self.store = store
        self.rooms = rooms
        self.home: Path | None = store.home if isinstance(store, AnswerStore) else None
        self.reload()

    # ------------------------------------------------------------------ state
    @property
    def demo(self) -> bool:
        """Whether answers are shown but can never be shared (the demo profile)."""
        return self.store is not None and self.home is None

    @property
    def can_share(self) -> bool:
        """Whether 'Share' would share something now."""
        return bool(self.code) and bool(self.value) and not self.demo

    def _t(self, key: str, **values: Any) -> str:
        return self.content.text(key, **values)

    def _member(self) -> room.Membership | None:
        return room.joined(self.home) if self.home is not None else None

    def _payloads(self) -> tuple[dict, dict]:
        out: dict[str, dict] = {}
        problems: dict[str, str] = {}
        if self.store is None:
            return out, problems
        for ex in self.exercises:
            try:
                data = room.build_payload(ex, room.saved_answers(self.store, ex), self.content)
            except ValueError as exc:
                what = exercise_words(ex, self.content)
                problems[ex] = self._t("room_unreadable", what=what, reason=str(exc))
                continue
            if data is not None:
                out[ex] = data
        return out, problems

    def sync(self) -> None:
        """Read the membership and what of this participant's is in the room again."""
        member = self._member()
        self.code = member.code if member is not None else ""
        self.status = self._status(member)

    def reload(self) -> None:
        """Read the saved answers again (the preview follows), and the room."""
        self.value, self.problems = self._payloads()
        self.message, self.failed = "", False
        self.sync()

    def _status(self, member: room.Membership | None) -> dict[str, str]:
        if member is None or self.demo:
            return {}
        out = {}
        for ex in self.exercises:
            try:
                shared = room.shared_document(member, ex, self.rooms)
            except room.RoomError:
                return {}
            now = self.value.get(ex)
            if shared is None:
                out[ex] = "no"
            elif now is not None and shared != room.share_document(ex, now):
                out[ex] = "old"
            else:
                out[ex] = "yes"
        return out

    def _say(self, message: str, failed: bool = False) -> None:
        self.message, self.failed = message, failed

    # ------------------------------------------------------------------ actions
    def share(self) -> bool:
        """Share what the preview shows; return whether it was shared.

        When the saved answers changed since the preview, nothing is shared: the preview
        is read again and the message says to check it.
        """
        shown = self.value
        now, problems = self._payloads()
        if now != shown:
            self.value, self.problems = now, problems
            self.sync()
            self._say(self._t("room_share_changed"), failed=True)
            return False
        member = self._member()
        if self.home is None or member is None or not shown:
            return False
        try:
            for ex, data in shown.items():
                room.submit(member, ex, data, self.rooms)
        except (room.RoomError, OSError) as exc:
            reason = str(exc) if isinstance(exc, room.RoomError) else (exc.strerror or str(exc))
            self.sync()
            self._say(self._t("room_share_failed", reason=reason), failed=True)
            return False
        self.sync()
        self._say(self._t("room_share_done", code=member.code))
        return True

    def withdraw(self) -> list[str]:
        """Withdraw this participant's shares of the exercises; return those withdrawn."""
        member = self._member()
        if member is None:
            return []
        try:
            gone = [ex for ex in self.exercises if room.withdraw(member, ex, self.rooms)]
        except OSError as exc:
            self._say(self._t("room_share_failed", reason=exc.strerror or str(exc)), failed=True)
            return []
        self.sync()
        if gone:
            what = ", ".join(exercise_words(ex, self.content) for ex in gone)
            self._say(self._t("room_withdrawn", what=what, code=member.code))
        else:
            self._say(self._t("room_withdraw_none", code=member.code))
        return gone

    # ------------------------------------------------------------------ words
    def intro(self) -> str:
        """The sentence above the preview: what sharing means, and from how many people."""
        if self.code:
            return self._t("room_share_intro", code=self.code, min=MIN_PEOPLE)
        return self._t("room_share_intro_no_room", min=MIN_PEOPLE)

    def status_text(self) -> str:
        """One sentence: what of this participant's is in the room ('' when unknown)."""
        if self.demo:
            return self._t("room_share_demo")
        if not self.code:
            return self._t("room_share_need_room")
        keys = {
            "yes": "room_share_status_item_yes",
            "no": "room_share_status_item_no",
            "old": "room_share_status_item_old",
        }
        items = ", ".join(
            self._t(keys[state], what=exercise_words(ex, self.content))
            for ex, state in self.status.items()
        )
        return self._t("room_share_status", code=self.code, items=items) if items else ""

    def preview(self, exercise: str) -> Preview:
        """Return what ``exercise`` would share, in plain words and as the exact file."""
        if exercise in self.problems:
            return Preview(exercise, "", problem=self.problems[exercise])
        data = self.value.get(exercise)
        if data is None:
            return Preview(exercise, self._t(f"room_nothing_{exercise}"))
        c = self.content
        columns: tuple[str, ...] = ()
        rows: tuple[tuple[str, ...], ...] = ()
        if "cards" in data:
            cards = c.by_id["cards"]
            head = self._t("room_preview_motivations", n=len(data["cards"]))
            columns = (self._t("room_col_card"), self._t("room_col_column"))
            rows = tuple(
                (cards[cid].text, c.text(f"bucket_{b}")) for cid, b in data["cards"].items()
            )
        elif "current" in data:
            acts = c.by_id["activities"]
            head = self._t("room_preview_allocation")
            columns = (
                self._t("room_col_activity"),
                self._t("room_col_had"),
                self._t("room_col_want"),
            )
            rows = tuple(
                (
                    acts[aid].label,
                    f"{round(100 * data['current'][aid])}%",
                    f"{round(100 * data['ideal'].get(aid, 0))}%",
                )
                for aid in data["current"]
            )
        else:
            roles = c.by_id["roles"]
            top = data["top"]
            head = (
                self._t(
                    "room_preview_archetypes", first=roles[top[0]].label, second=roles[top[1]].label
                )
                if top
                else self._t("room_preview_archetypes_no_lean")
            )
        exact = room.share_document(exercise, data)
        return Preview(
            exercise,
            head,
            columns,
            rows,
            not_shared=self._t(f"room_not_shared_{exercise}"),
            document=json.dumps(json.loads(exact), indent=1, sort_keys=True),
        )
