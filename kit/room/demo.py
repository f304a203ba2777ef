"""Synthetic participants: plausible answers, and a room filled with them for rehearsals.

Shares made here are marked synthetic, so the room view and ``room show`` say how many of
the people in a room are not real. Each synthetic person also leaves a presence mark, as a
participant who joins does, so a rehearsal room's "joined" count is exact, as in the room.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kit import allocation
from kit.room import presence, store

if TYPE_CHECKING:
    from kit.content import Content

__all__ = ["fill_demo", "synthetic_answers"]


def _weights_week(
    rng: random.Random,
    base: Mapping[str, float],
    ids: Sequence[str],
    total: float,
    tilt: Mapping[str, float],
) -> dict[str, float]:
    units = {}
    for aid in ids:
        steps = base.get(aid, 1 / len(ids)) * total / allocation.STEP
        w = steps * tilt.get(aid, 1.0) * rng.lognormvariate(0, 0.35)
        units[aid] = max(0, round(w)) * allocation.STEP
    if not any(units.values()):
        units = dict.fromkeys(ids, allocation.STEP)
    return allocation.rescale(units, total)


def synthetic_answers(rng: random.Random, content: Content) -> dict[str, dict]:
    """Return plausible answers of one synthetic participant for every shared exercise.

    The card sort leans to the key with some disagreement; the week they had leans to
    hands-on work and interruptions, the week they want to a randomly chosen role's
    profile; the questionnaire answers follow a randomly chosen role's weights, with noise.
    """
    cards = {}
    for card in content.cards:
        r = rng.random()
        if r < 0.03:
            continue  # a few cards left unsorted
        other = "watch" if card.reading == "healthy" else "healthy"
        bucket = "not_me" if r < 0.25 else (card.reading if r < 0.78 else other)
        cards[card.id] = {
            "bucket": bucket,
            "frequency": None
            if bucket == "not_me"
            else rng.choice(("rarely", "sometimes", "often")),
        }
    ids = [a.id for a in content.activities]
    total = rng.choice((32, 36, 40, 40, 40, 45))
    senior = content.by_id["roles"].get("senior_ic") or content.roles[0]
    busy = {a.id: 1.3 for a in content.activities if "hands_on" in a.tags}
    busy.update({"interruptions": 1.8})
    wanted = rng.choice(content.scored_roles) if content.scored_roles else senior
    value_week = {
        "total": total,
        "current": _weights_week(rng, senior.week.shares(), ids, total, busy),
        "ideal": _weights_week(rng, wanted.week.shares(), ids, total, {}),
    }
    allocation.validate(value_week)
    shape = rng.choice(content.scored_roles) if content.scored_roles else None
    answers = {}
    for s in content.statements:
        if rng.random() < 0.08:
            continue  # 'prefer not to say'
        w = s.weights.get(shape.id, 0) if shape is not None else 0
        answers[s.id] = max(1, min(5, round(3 + 0.8 * w + rng.gauss(0, 0.9))))
    return {
        "motivations": {"cards": cards, "own": []},
        "allocation": value_week,
        "archetypes": answers,
    }


@dataclass(frozen=True)
class _Synthetic:
    """A synthetic person's membership: the room and a secret (see :mod:`kit.room.presence`)."""

    code: str
    key: str

    @classmethod
    def of(cls, code: str, seed: int, person: int) -> _Synthetic:
        """The same person for the same room, seed and number (a rerun marks them once)."""
        secret = hashlib.sha256(f"workshop-kit demo:{code}:{seed}:{person}".encode()).hexdigest()
        return cls(code, secret)


def fill_demo(
    code: str,
    people: int,
    content: Content,
    rooms: store.Rooms = None,
    seed: int = 1,
) -> int:
    """Fill room ``code`` with ``people`` synthetic participants; return the shares written.

    The same seed gives the same people (and the same file names), so running it twice
    replaces them instead of doubling them; a new seed adds others. The room is created
    when it does not exist. Synthetic shares are marked so the room view can say so.
    """
    code = store.normalize_code(code)
    if people < 0:
        raise ValueError("the number of people cannot be negative")
    if not store.room_exists(code, rooms):
        store.create_room(rooms, code)
    rng = random.Random(seed)
    written = 0
    for person in range(people):
        presence.mark_present(_Synthetic.of(code, seed, person), rooms)
        answers = synthetic_answers(rng, content)
        for exercise in store.EXERCISES:
            token = f"{rng.getrandbits(128):032x}"
            data = store.build_payload(exercise, answers[exercise], content)
            if data is not None:
                store.write_share(code, exercise, token, data, rooms, synthetic=True)
                written += 1
    return written
