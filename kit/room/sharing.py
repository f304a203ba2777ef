"""The state of "share this exercise with the room", which the share widget only renders.

:class:`ShareModel` holds what one or more exercises would share now (read through the
participant store, never written), whether the participant joined a room, what of theirs
is in that room, and the outcome of the last action, as traits that a view observes. It
shares and withdraws on request. Every sentence comes from the content it is given.

Sharing several exercises at once writes one of them at once and the others later, spread
and shuffled in time, so that one person's files cannot be linked by when they appeared
(see :mod:`kit.room.pending`, which also keeps them safe if the page closes first).

Plain traitlets: no ipywidgets, no matplotlib, so it can be driven and tested on its own.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import traitlets

from kit import exercises
from kit.answers import AnswerStore, DemoStore
from kit.room import pending
from kit.room import store as room
from kit.room.pictures import MIN_PEOPLE, exercise_words

if TYPE_CHECKING:
    from kit.content import Content

__all__ = [
    "Preview",
    "ShareModel",
    "clear_outcome",
    "clear_question",
    "room_exercises_of",
]


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


def _items(pairs: Sequence[tuple[str, str]], content: Content) -> str:
    return ", ".join(
        content.text("room_clear_item", what=exercise_words(ex, content), code=code)
        for code, ex in pairs
    )


def clear_question(
    home: str | os.PathLike[str] | None, rooms: str | os.PathLike[str] | None, content: Content
) -> str:
    """Return the sentence 'Clear my answers' adds to its question ('' if nothing is shared).

    It names every share of this participant in an open room, and every share still
    waiting to be written, which clearing withdraws first.
    """
    found = list(room.shared_everywhere(home, rooms))
    found += [
        (w.code, w.exercise) for w in pending.waiting(home) if (w.code, w.exercise) not in found
    ]
    return content.text("room_clear_withdraws", items=_items(found, content)) if found else ""


def clear_outcome(result: room.Withdrawal, content: Content) -> str:
    """Return what withdrawing before a clear did, in one sentence ('' if nothing was shared).

    When a share could not be withdrawn, the sentence says that nothing was cleared, why,
    and what to do.
    """
    if result.failed:
        reasons = sorted({reason for _, _, reason in result.failed})
        failed = [(code, ex) for code, ex, _ in result.failed]
        return content.text(
            "room_clear_failed", items=_items(failed, content), reason="; ".join(reasons)
        )
    if result.withdrawn:
        return content.text("room_clear_withdrawn", items=_items(result.withdrawn, content))
    return ""


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
    rng
        Random source for the order and pauses of spread shares (tests); default: the
        system's.
    clock
        Seconds since the epoch (tests); default :func:`time.time`.
    """

    code = traitlets.Unicode("", help="The room joined ('' before joining)")
    value = traitlets.Dict(
        help="What would be shared now: exercise -> payload (exercises with nothing to "
        "share are absent)"
    )
    problems = traitlets.Dict(help="exercise -> why its saved answers could not be read")
    status = traitlets.Dict(
        help="What of this participant's is in the room: exercise -> 'yes', 'no', 'old' "
        "or 'waiting' (shared, to be written at a random moment soon)"
    )
    message = traitlets.Unicode("", help="The outcome of the last action, in one sentence")
    failed = traitlets.Bool(False, help="Whether the last action failed")

    def __init__(
        self,
        exercises: Sequence[str],
        content: Content,
        store: AnswerStore | DemoStore | None,
        rooms: str | os.PathLike[str] | None = None,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.time,
    ):
        super().__init__()
        self.exercises = tuple(exercises)
        self.content = content
        self.store = store
        self.rooms = rooms
        self.home: Path | None = store.home if isinstance(store, AnswerStore) else None
        self._rng = rng
        self._clock = clock
        self._seen: tuple = ()  # the saved answers' file signatures the preview was read from
        self.flush()  # shares left waiting by a kernel that died: write those due
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
        self._seen = self._signature()
        self.value, self.problems = self._payloads()
        self.message, self.failed = "", False
        self.sync()

    def _signature(self) -> tuple:
        """What changes whenever an exercise's answers file is written (atomic: a new inode).

        One ``stat`` per exercise: cheap enough to ask every second.
        """
        if not isinstance(self.store, AnswerStore):
            return ()  # unbound or the demo profile: nothing changes on disk
        out = []
        for ex in self.exercises:
            try:
                st = os.stat(self.store.path(ex))
            except OSError:
                out.append(None)
                continue
            out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def follow(self) -> bool:
        """Read the saved answers again if they changed on disk; return whether they did.

        The preview then shows what 'Share' would send now. Whatever changed them (this
        kernel's exercise widget, another page's kernel), nobody has to press anything.
        """
        if self._signature() == self._seen:
            return False
        self.reload()  # the status line says whether the room holds the old version
        return True

    def _status(self, member: room.Membership | None) -> dict[str, str]:
        if member is None or self.demo:
            return {}
        out = {}
        waiting = {w.exercise for w in pending.waiting(self.home) if w.code == member.code}
        for ex in self.exercises:
            if ex in waiting:
                out[ex] = "waiting"
                continue
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
        steps = pending.plan(list(shown), self._rng)
        now = self._clock()
        first, _ = steps[0]
        later = [pending.Waiting(member.code, ex, shown[ex], now + d) for ex, d in steps[1:]]
        try:  # the waiting ones are kept first: a share that went is never reported lost
            pending.queue(self.home, later, self.rooms)
            try:
                room.submit(member, first, shown[first], self.rooms)
            except (room.RoomError, OSError):
                pending.cancel(self.home, member.code, [w.exercise for w in later])
                raise
        except (room.RoomError, OSError) as exc:
            reason = str(exc) if isinstance(exc, room.RoomError) else (exc.strerror or str(exc))
            self.sync()
            self._say(self._t("room_share_failed", reason=reason), failed=True)
            return False
        self._schedule([d for _, d in steps[1:]])
        self.sync()
        if later:
            self._say(
                self._t(
                    "room_share_done_spread",
                    code=member.code,
                    now=exercise_words(first, self.content),
                    later=", ".join(exercise_words(w.exercise, self.content) for w in later),
                    seconds=round(steps[-1][1]),
                )
            )
        else:
            self._say(self._t("room_share_done", code=member.code))
        return True

    def flush(self) -> list[tuple[str, str]]:
        """Write this participant's waiting shares that are due; return ``(code, exercise)``."""
        if self.home is None:
            return []
        try:
            written = pending.flush(self.home, self.rooms, now=self._clock())
        except OSError:
            return []  # the participant folder is unreadable: the file keeps them
        if written and self.code:
            self.sync()
        return written

    def _schedule(self, delays: Sequence[float]) -> None:
        """Write the waiting shares when due, on the kernel's event loop if one runs.

        Without a running loop (plain Python) they are written by the next model made for
        this participant, or when the process exits.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for delay in delays:
            loop.call_later(delay + 0.05, self.flush)

    def withdraw(self) -> list[str]:
        """Withdraw this participant's shares of the exercises; return those withdrawn."""
        member = self._member()
        if member is None:
            return []
        try:
            cancelled = pending.cancel(self.home, member.code, self.exercises)
            gone = [
                ex
                for ex in self.exercises
                if room.withdraw(member, ex, self.rooms) or ex in cancelled
            ]
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
            try:
                needed = room.room_rule(self.code, self.rooms)[0]
            except room.RoomError:
                needed = MIN_PEOPLE
            return self._t("room_share_intro", code=self.code, min=needed)
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
            "waiting": "room_share_status_item_waiting",
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
