"""The room's pictures: aggregates of the shares of each exercise, and the words about them.

Pure: the aggregates take the checked payloads (see :mod:`kit.room.shares`) and the content,
and return small frozen dataclasses; the sentences take a picture and the content, and use
that content's words (``ui.yaml``, cards, activities, roles) and no other, so a
facilitator's own wording reaches the room text. The room's charts
(:mod:`kit.charts.room`) draw the same pictures.

A room shows nothing for an exercise until :data:`MIN_PEOPLE` people have shared it; a
facilitator may lower that for a room, never below :data:`LOWEST_MIN_PEOPLE`
(:func:`people_rule` applies the floor to whatever a room file says). The same number is the
step between the room's snapshots (see :mod:`kit.room.snapshots`). No picture holds a minimum
or a maximum, which would be one person's answer.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.content import Content

__all__ = [
    "LOWEST_MIN_PEOPLE",
    "MIN_PEOPLE",
    "ActivitySpread",
    "CardTally",
    "CardsPicture",
    "ExercisePicture",
    "Picture",
    "RoomPicture",
    "ShapesPicture",
    "Spread",
    "WeekPicture",
    "aggregate_cards",
    "aggregate_shapes",
    "aggregate_week",
    "exercise_words",
    "people_rule",
    "picture_text",
    "skipped_words",
    "snapshot_text",
    "summary_text",
    "threshold_text",
]

#: No aggregate of an exercise is shown until this many people have shared it (survey tools'
#: usual default: with three identical card sorts, "3 of 3" tells everyone what each chose).
MIN_PEOPLE = 5
#: The lowest a facilitator may set it for a room; no room file makes a view go lower.
LOWEST_MIN_PEOPLE = 3


def people_rule(asked: object = None) -> tuple[int, int | None]:
    """Return the people a room needs, from what its file asks: ``(needed, refused)``.

    ``asked`` is the room file's ``min_people`` (``None``: the default). A whole number of at
    least :data:`LOWEST_MIN_PEOPLE` is used as it is; a smaller one gives
    :data:`LOWEST_MIN_PEOPLE`, and ``refused`` is the number asked, so that the views say so;
    anything else (a crafted file's text, a fraction) gives :data:`MIN_PEOPLE`.
    """
    if asked is None or type(asked) is not int:
        return MIN_PEOPLE, None
    if asked < LOWEST_MIN_PEOPLE:
        return LOWEST_MIN_PEOPLE, asked
    return asked, None


# --------------------------------------------------------------------------- pictures
@dataclass(frozen=True)
class CardTally:
    """How the room sorted one card: people per column."""

    card_id: str
    healthy: int
    watch: int
    not_me: int

    @property
    def people(self) -> int:
        """How many people sorted this card."""
        return self.healthy + self.watch + self.not_me


@dataclass(frozen=True)
class CardsPicture:
    """The room's card sort: one tally per kit card, in content order."""

    people: int
    cards: tuple[CardTally, ...]


@dataclass(frozen=True)
class Spread:
    """Mean and quartiles of shares (0..1). No minimum or maximum: they are one person."""

    mean: float
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class ActivitySpread:
    """One activity's share of the week the room had and the week it wants."""

    activity_id: str
    current: Spread
    ideal: Spread


@dataclass(frozen=True)
class WeekPicture:
    """The room's week: one entry per kit activity, in content order."""

    people: int
    activities: tuple[ActivitySpread, ...]


@dataclass(frozen=True)
class ShapesPicture:
    """Which shapes the room leans to, per scored role in content order."""

    people: int
    first: Mapping[str, int]
    top_two: Mapping[str, int]
    no_lean: int


#: The picture of any one exercise.
Picture = CardsPicture | WeekPicture | ShapesPicture


@dataclass(frozen=True)
class ExercisePicture:
    """One exercise of the room: counts, and the picture once enough people shared.

    ``shared`` (and ``synthetic``, ``skipped``) are live counts. ``picture`` is drawn from
    the room's last snapshot (see :mod:`kit.room.snapshots`), which holds ``pictured``
    shares, and is ``None`` while that snapshot holds fewer than ``needed``
    (:data:`MIN_PEOPLE` unless the room says otherwise): nothing about the shares is exposed
    before that, not even through the picture object.
    """

    exercise: str
    shared: int
    synthetic: int
    skipped: Mapping[str, int]
    picture: Picture | None
    needed: int = MIN_PEOPLE
    pictured: int = 0
    snapshot: int = 0

    @property
    def ready(self) -> bool:
        """Whether enough people shared to show the picture."""
        return self.picture is not None


@dataclass(frozen=True)
class RoomPicture:
    """The whole room as the facilitator sees it.

    ``needed`` is the people the room needs before a picture (and the changes between two
    snapshots); ``refused`` is what the room file asked when that was below the floor.
    """

    code: str
    open: bool
    exercises: Mapping[str, ExercisePicture]
    needed: int = MIN_PEOPLE
    refused: int | None = None
    joined: int = 0  # presence marks (kit.room.presence): people who joined, once each


# --------------------------------------------------------------------------- aggregates
def aggregate_cards(items: Iterable[Mapping[str, Any]], content: Content) -> CardsPicture:
    """Count, card by card, how many people put it in each column (kit cards only)."""
    ids = [c.id for c in content.cards]
    items = list(items)
    # Counting (card, column) pairs in one Counter runs in C; ids outside the content
    # are counted and then simply never looked up.
    pairs = Counter(itertools.chain.from_iterable(i["cards"].items() for i in items))
    return CardsPicture(
        len(items),
        tuple(
            CardTally(cid, pairs[(cid, "healthy")], pairs[(cid, "watch")], pairs[(cid, "not_me")])
            for cid in ids
        ),
    )


def _quantile(ordered: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (``statistics`` 'inclusive' method)."""
    pos = p * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _spread(values: list[float]) -> Spread:
    if not values:
        return Spread(0.0, 0.0, 0.0, 0.0)
    values.sort()
    return Spread(
        math.fsum(values) / len(values),
        _quantile(values, 0.25),
        _quantile(values, 0.5),
        _quantile(values, 0.75),
    )


def aggregate_week(items: Iterable[Mapping[str, Any]], content: Content) -> WeekPicture:
    """Mean and quartiles of each kit activity's share, the week had vs the week wanted.

    A share that lacks an activity (older content) counts it as 0 of the week.
    """
    ids = [a.id for a in content.activities]
    items = list(items)
    weeks = {w: [i[w] for i in items] for w in ("current", "ideal")}
    people = len(weeks["current"])
    return WeekPicture(
        people,
        tuple(
            ActivitySpread(
                aid, *(_spread([s.get(aid, 0.0) for s in weeks[w]]) for w in ("current", "ideal"))
            )
            for aid in ids
        ),
    )


def aggregate_shapes(items: Iterable[Mapping[str, Any]], content: Content) -> ShapesPicture:
    """Count each scored shape as closest, and among the two closest; and no lean."""
    ids = [r.id for r in content.scored_roles]
    first = dict.fromkeys(ids, 0)
    top_two = dict.fromkeys(ids, 0)
    people = no_lean = 0
    for item in items:
        people += 1
        top = item["top"]
        if not top:
            no_lean += 1
            continue
        if top[0] in first:
            first[top[0]] += 1
        for rid in top:
            if rid in top_two:
                top_two[rid] += 1
    return ShapesPicture(people, first, top_two, no_lean)


# --------------------------------------------------------------------------- words
def exercise_words(exercise: str, content: Content) -> str:
    """Return how ``content`` names a room exercise in a sentence ("card sort")."""
    return content.text(f"room_what_{exercise}")


def skipped_words(skipped: Mapping[str, int]) -> str:
    """Return why files were skipped, in words: ``"2 malformed, 1 other version"``."""
    return ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in skipped.items())


def _pct(share: float) -> int:
    return round(100 * share)


def _cards_text(p: CardsPicture, content: Content) -> str:
    cards = content.by_id["cards"]
    t = content.text
    lines = [t("room_cards_people", people=p.people)]
    for bucket, key in (("watch", "room_cards_watch"), ("healthy", "room_cards_healthy")):
        ranked = sorted(
            (c for c in p.cards if getattr(c, bucket)), key=lambda c: -getattr(c, bucket) / c.people
        )[:3]
        if ranked:
            items = ", ".join(
                f"'{cards[c.card_id].text}' ({getattr(c, bucket)} of {c.people})" for c in ranked
            )
            lines.append(t(key, **{bucket: t(f"bucket_{bucket}"), "items": items}))
    split = [c for c in p.cards if c.healthy and c.watch]
    if split:
        c = max(split, key=lambda c: (min(c.healthy, c.watch) / c.people, c.people))
        lines.append(
            t(
                "room_cards_split",
                card=cards[c.card_id].text,
                healthy_n=c.healthy,
                watch_n=c.watch,
                healthy=t("bucket_healthy").lower(),
                watch=t("bucket_watch").lower(),
            )
        )
    return " ".join(lines)


def _week_text(p: WeekPicture, content: Content) -> str:
    acts = content.by_id["activities"]
    t = content.text
    lines = [t("room_week_people", people=p.people)]
    gaps = sorted(
        ((a.ideal.mean - a.current.mean, a.activity_id) for a in p.activities),
        key=lambda g: (-g[0], g[1]),
    )
    more = [(g, aid) for g, aid in gaps if _pct(g) >= 1][:3]
    less = [(g, aid) for g, aid in reversed(gaps) if _pct(g) <= -1][:3]

    def fmt(pairs: list[tuple[float, str]]) -> str:
        return ", ".join(
            f"{acts[aid].label.lower()} ({'+' if g > 0 else '−'}{abs(_pct(g))} points)"
            for g, aid in pairs
        )

    if more and less:
        lines.append(t("room_week_more_less", more=fmt(more), less=fmt(less)))
    elif more:
        lines.append(t("room_week_more", more=fmt(more)))
    elif less:
        lines.append(t("room_week_less", less=fmt(less)))
    else:
        lines.append(t("room_week_same"))
    hands_on = [a for a in p.activities if "hands_on" in acts[a.activity_id].tags]
    if hands_on:
        lines.append(
            t(
                "room_week_hands_on",
                current=_pct(sum(a.current.mean for a in hands_on)),
                ideal=_pct(sum(a.ideal.mean for a in hands_on)),
            )
        )
    return " ".join(lines)


def _shapes_text(p: ShapesPicture, content: Content) -> str:
    roles = content.by_id["roles"]
    t = content.text
    lines = [t("room_shapes_people", people=p.people)]
    for counts, key in ((p.first, "room_shapes_first"), (p.top_two, "room_shapes_top_two")):
        ranked = sorted(((n, rid) for rid, n in counts.items() if n), key=lambda x: -x[0])[:3]
        if ranked:
            lines.append(t(key, items=", ".join(f"{roles[rid].label} ({n})" for n, rid in ranked)))
    if p.no_lean:
        lines.append(t("room_shapes_no_lean", n=p.no_lean))
    return " ".join(lines)


def summary_text(picture: Picture, content: Content) -> str:
    """Return the text that goes beside a room chart: a few plain sentences."""
    if isinstance(picture, CardsPicture):
        return _cards_text(picture, content)
    if isinstance(picture, WeekPicture):
        return _week_text(picture, content)
    return _shapes_text(picture, content)


def picture_text(ex: ExercisePicture, content: Content) -> str:
    """Return the summary of one exercise, or the 'not enough people yet' sentence."""
    if ex.picture is None and ex.shared >= ex.needed:
        return content.text(
            "room_waiting_snapshot",
            shared=ex.shared,
            needed=ex.needed,
            what=exercise_words(ex.exercise, content),
        )
    if ex.picture is None:
        return content.text(
            "room_waiting",
            shared=ex.shared,
            needed=ex.needed,
            what=exercise_words(ex.exercise, content),
        )
    return summary_text(ex.picture, content)


def threshold_text(picture: RoomPicture, content: Content) -> str:
    """Return the sentence saying the room uses another threshold than the usual ('' if not)."""
    if picture.refused is not None:
        return content.text(
            "room_threshold_refused",
            asked=picture.refused,
            needed=picture.needed,
            lowest=LOWEST_MIN_PEOPLE,
        )
    if picture.needed < MIN_PEOPLE:
        return content.text("room_threshold_lowered", needed=picture.needed, usual=MIN_PEOPLE)
    if picture.needed > MIN_PEOPLE:
        return content.text("room_threshold_raised", needed=picture.needed, usual=MIN_PEOPLE)
    return ""


def snapshot_text(ex: ExercisePicture, content: Content) -> str:
    """Return the sentence saying the picture is a snapshot ('' before there is one)."""
    if ex.picture is None:
        return ""
    return content.text("room_snapshot", pictured=ex.pictured, shared=ex.shared, step=ex.needed)
