"""One person's several shares, spread and shuffled in time, and never lost on the way.

One press of "Share" on the last page shares three exercises. Written together, the three
files would be created within a millisecond of each other, with neighbouring inode numbers
and change times, while different people's files are seconds apart: anyone who can list
the room folder could link one person's card sort, week and questionnaire. So
:func:`plan` writes one of them (chosen at random) at once and the others later, each
after a random pause of :data:`MIN_GAP` to :data:`MAX_GAP` seconds, in a random order; in
a busy room other people's shares land in between.

A delayed share must not be lost when the page closes or the kernel dies before its time.
So it is written into the participant's own folder first (:data:`kit.room.store.PENDING_FILE`,
owner-only, holding the room code, the exercise, the exact payload the participant saw, and
when it is due), and then:

- the running kernel writes it when due (:class:`kit.room.sharing.ShareModel` schedules
  :func:`flush` on the kernel's event loop);
- a kernel that shuts down in order (the page closed) writes whatever is still waiting as
  it exits (:func:`flush` with ``everything=True``, registered with :mod:`atexit`), at the
  cost of those shares landing together;
- a kernel that dies without a word leaves the file, and the next time the participant's
  kit opens a room control, everything due is written.

Withdrawing drops the waiting share too; clearing the participant's answers drops all of
them (:func:`kit.room.store.withdraw_everything`).

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit._files import write_atomic
from kit.answers import default_home
from kit.room import store
from kit.room.shares import ROOM_SCHEMA

__all__ = ["MAX_GAP", "MIN_GAP", "Waiting", "cancel", "flush", "plan", "queue", "waiting"]

#: Shortest and longest pause (seconds) between two of one person's delayed shares.
MIN_GAP = 10.0
MAX_GAP = 45.0
_MAX_BYTES = 1 << 20

Home = str | os.PathLike[str] | None


@dataclass(frozen=True)
class Waiting:
    """One share waiting to be written: where, what, and when (seconds since the epoch)."""

    code: str
    exercise: str
    data: Mapping[str, Any]
    due: float


def _file(home: Home) -> Path:
    return Path(home if home is not None else default_home()) / store.PENDING_FILE


def plan(exercises: Sequence[str], rng: random.Random | None = None) -> list[tuple[str, float]]:
    """Return ``(exercise, delay in seconds)`` pairs: shuffled, the first now, then spread."""
    rng = rng if rng is not None else random.SystemRandom()
    order = list(exercises)
    rng.shuffle(order)
    out, delay = [], 0.0
    for i, exercise in enumerate(order):
        if i:
            delay += rng.uniform(MIN_GAP, MAX_GAP)
        out.append((exercise, delay))
    return out


def waiting(home: Home = None) -> list[Waiting]:
    """Return the shares waiting to be written for this participant (damaged file: none)."""
    raw = store.read_regular_file(_file(home), _MAX_BYTES)
    try:
        doc = json.loads(raw) if raw is not None else {}
    except (ValueError, RecursionError):
        return []
    entries = doc.get("waiting") if isinstance(doc, dict) else None
    out = []
    for e in entries if isinstance(entries, list) else []:
        if (
            isinstance(e, dict)
            and isinstance(e.get("code"), str)
            and e.get("exercise") in store.EXERCISES
            and isinstance(e.get("data"), dict)
            and isinstance(e.get("due"), int | float)
        ):
            out.append(Waiting(e["code"], e["exercise"], e["data"], float(e["due"])))
    return out


def _save(home: Home, entries: Sequence[Waiting]) -> None:
    path = _file(home)
    if not entries:
        store.drop_pending(home)
        return
    doc = {
        "schema": ROOM_SCHEMA,
        "waiting": [
            {"code": w.code, "exercise": w.exercise, "data": dict(w.data), "due": w.due}
            for w in entries
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(doc, indent=1, sort_keys=True).encode("utf-8"))  # owner-only


def queue(home: Home, items: Sequence[Waiting], rooms: store.Rooms = None) -> None:
    """Add shares to wait, replacing any waiting share of the same room and exercise.

    What is still waiting when this process exits in order (the page closed) is written
    then, into ``rooms``.
    """
    replaced = {(w.code, w.exercise) for w in items}
    kept = [w for w in waiting(home) if (w.code, w.exercise) not in replaced]
    _save(home, [*kept, *items])
    if not _AT_EXIT:
        atexit.register(_flush_at_exit)
    _AT_EXIT[str(Path(home if home is not None else default_home()))] = rooms


def cancel(home: Home, code: str, exercises: Sequence[str]) -> list[str]:
    """Drop the waiting shares of ``exercises`` in room ``code``; return those dropped."""
    entries = waiting(home)
    gone = [w.exercise for w in entries if w.code == code and w.exercise in exercises]
    if gone:
        _save(home, [w for w in entries if not (w.code == code and w.exercise in exercises)])
    return gone


def flush(
    home: Home = None,
    rooms: store.Rooms = None,
    *,
    now: float | None = None,
    everything: bool = False,
) -> list[tuple[str, str]]:
    """Write the waiting shares that are due (or all, with ``everything``); return them.

    A share whose room has closed, or that the participant no longer has a secret for, is
    dropped; one that cannot be written now (the folder is unreachable) keeps waiting.
    """
    now = time.time() if now is None else now
    entries = waiting(home)
    if not entries:
        return []
    members = {m.code: m for m in store.memberships(home)}
    written, handled = [], set()
    for w in sorted(entries, key=lambda w: w.due):
        if not everything and w.due > now:
            continue
        member = members.get(w.code)
        try:
            if member is not None:
                store.submit(member, w.exercise, w.data, rooms)
                written.append((w.code, w.exercise))
        except store.RoomClosedError:
            pass  # the room is gone: nothing to write it into
        except (OSError, ValueError):
            continue  # keeps waiting
        handled.add((w.code, w.exercise, w.due))
    if handled:
        # Re-read: another window of the same participant may have queued meanwhile.
        _save(home, [w for w in waiting(home) if (w.code, w.exercise, w.due) not in handled])
    return written


#: participant folder -> rooms folder, of every participant with shares waiting.
_AT_EXIT: dict[str, store.Rooms] = {}


def _flush_at_exit() -> None:
    for home, rooms in sorted(_AT_EXIT.items()):
        try:
            flush(home, rooms, everything=True)
        except Exception:  # at exit nothing can be shown; the file keeps what is left
            pass
