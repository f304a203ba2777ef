"""What a share may hold: the payload of each exercise, its check, and the file's exact text.

Pure: no file I/O, no clock, nothing random. :mod:`kit.room.store` writes and reads the files
described here.

What a share holds (nothing else is ever written; see the payload builders):

- card sort: ``{"cards": {card_id: bucket}}`` for the kit's own cards only. No own cards
  (free text), and no frequency: the room's questions ('how many put this under watch?')
  need the column only, and 'how often I skip my 1:1s' is a more personal admission that no
  room chart needs.
- week: ``{"current": {activity_id: share}, "ideal": {...}}``, shares of the week (0..1)
  for the kit's activities, in steps of :data:`SHARE_UNIT` (2.5 %, about an hour of a
  40-hour week) that add up to exactly 1. No hours and no total: a 24-hour week would
  single out the one part-timer in the room. Finer shares would give the total away all the
  same: hours move in half-hour steps, so four-decimal shares fit one total only (and then
  every hour). At 2.5 % steps every share fits many totals between 10 and 80 hours (the
  room's tests check at least 10), while a room's averages stay within about a point.
- questionnaire: ``{"top": [first, second]}``, the two closest shapes (``[]`` when the
  answers show no lean). No statement-level answers and no scores: the room asks which
  shapes it leans to, and every extra number makes one person's file more distinctive.

Nothing is shared while there is nothing to say: no kit card sorted, a week still at the
even starting split, or a questionnaire result still provisional (fewer than half the
statements answered).

A share file is one JSON object ``{"schema": 1, "exercise": NAME, "data": PAYLOAD}``, plus
``"synthetic": true`` for the shares ``workshop-kit room demo`` makes. Files that are
malformed, too large, nested too deep or from another format version are told apart by
:func:`parse_share`, never fatal.

The functions that depend on the exercise take a *check* (``check(data) -> data``, raising
``ValueError``): the registry :mod:`kit.exercises` pairs each exercise with its check, so
this module keeps no table keyed by exercise name.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kit import allocation, archetypes, motivations
from kit import content as content_limits

if TYPE_CHECKING:
    from kit.content import Content

__all__ = [
    "MAX_DEPTH",
    "MAX_ENTRIES",
    "MAX_SHARE_BYTES",
    "ROOM_SCHEMA",
    "SHARE_UNIT",
    "Check",
    "Parsed",
    "allocation_payload",
    "archetypes_payload",
    "check_cards",
    "check_shapes",
    "check_week",
    "dumps",
    "motivations_payload",
    "parse_share",
    "share_document",
    "week_shares",
]

#: Version of the room's files; files of another version are skipped and counted.
ROOM_SCHEMA = 1
#: A share is about 1 KB; anything far larger is not a share.
MAX_SHARE_BYTES = 32_768
#: Most entries a share may hold per map (a generous custom deck).
MAX_ENTRIES = content_limits.MAX_ENTRIES  # the most a content check accepts, so any deck shares
#: Deepest nesting of maps and lists in a share file; a real share has 3.
MAX_DEPTH = 8

#: ``check(data) -> data``: one exercise's whitelist; raises ``ValueError``.
Check = Callable[[Any], dict]

#: A week share is a whole number of these (2.5 % of the week), adding up to the whole week.
SHARE_UNIT = 0.025
_UNITS = round(1 / SHARE_UNIT)  # 40 steps make a week
_ON_GRID = 1e-6  # how far a share may sit from a step (float noise of a JSON number)

_BUCKETS = frozenset(("healthy", "watch", "not_me"))
_NUMBER_TYPES = frozenset((int, float))
_DOC_KEYS = frozenset(("schema", "exercise", "data", "synthetic"))


def dumps(data: Any) -> str:
    """Return ``data`` as the compact, sorted, ASCII JSON every room file uses."""
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------- payloads
def motivations_payload(value: Mapping[str, Any], content: Content) -> dict | None:
    """Return what a card sort shares: the column of each of the kit's cards, or ``None``.

    Only content card ids and their bucket pass; own cards, their text and every
    frequency stay behind. ``None`` when no kit card is sorted.
    """
    checked = motivations.validate(value)
    known = [c.id for c in content.cards]
    cards = {cid: checked["cards"][cid]["bucket"] for cid in known if cid in checked["cards"]}
    return {"cards": cards} if cards else None


def allocation_payload(value: Mapping[str, Any], content: Content) -> dict | None:
    """Return what a week shares: each known activity's share of each week, or ``None``.

    Shares over the kit's activities only, rounded by :func:`week_shares`; no hours and
    no total. ``None`` while both weeks are still the untouched even split.
    """
    checked = allocation.validate(value)
    known, _ = allocation.split_known(checked, content)
    untouched = allocation.empty(content, known["total"])
    if known["current"] == untouched["current"] and known["ideal"] == untouched["ideal"]:
        return None
    if not all(sum(known[week].values()) for week in allocation.WEEKS):
        return None  # a week with no hour placed yet has no shares to give
    ids = [a.id for a in content.activities]
    return {week: week_shares(known[week], ids) for week in allocation.WEEKS}


def week_shares(hours: Mapping[str, float], ids: Sequence[str]) -> dict[str, float]:
    """Return each activity's share of the week in steps of :data:`SHARE_UNIT`, adding up to 1.

    Largest remainders: each activity gets the whole steps of its exact share, and the
    steps left over go to the largest remainders (ties in the order of ``ids``), so the
    shares add up to exactly the whole week and each is within one step of the truth.
    """
    total = math.fsum(hours.get(aid, 0.0) for aid in ids)
    if total <= 0:
        raise ValueError("a week with no hours has no shares")
    quotas = [hours.get(aid, 0.0) / total * _UNITS for aid in ids]
    steps = [math.floor(q + 1e-9) for q in quotas]
    left = _UNITS - sum(steps)
    order = sorted(range(len(ids)), key=lambda i: (-(quotas[i] - steps[i]), i))
    for i in order[:left]:
        steps[i] += 1
    return {aid: round(n * SHARE_UNIT, 4) for aid, n in zip(ids, steps, strict=True)}


def archetypes_payload(value: Mapping[str, Any], content: Content) -> dict | None:
    """Return what the questionnaire shares: the two closest shapes (role ids), or ``None``.

    ``{"top": []}`` when the answers show no lean. ``None`` while the result is still
    provisional (fewer than half the statements answered), so that a handful of answers
    does not count as a shape in the room.
    """
    result = archetypes.score_answers(archetypes.validate(value), content)
    if result.status == "no_answers" or result.provisional:
        return None
    return {"top": list(result.top) if result.status == "lean" else []}


# --------------------------------------------------------------------------- checks
# Keys of a JSON object are always strings; the values are checked in bulk (set and
# min/max operations), because a room view validates thousands of files per refresh.
def _check_map(data: Any, name: str) -> dict:
    if not isinstance(data, dict) or len(data) > MAX_ENTRIES:
        raise ValueError(f"'{name}' must be a map of at most {MAX_ENTRIES} entries")
    return data


def _check_map_data(data: Any) -> dict:
    if not isinstance(data, dict):
        raise ValueError("the data must be a map")
    return data


def check_cards(data: Any) -> dict:
    """Check a card sort share and return it: ``{"cards": {card_id: bucket}}`` only.

    Raises
    ------
    ValueError
        When anything is off: other keys, more than :data:`MAX_ENTRIES` cards, a value
        that is not one of the three columns.
    """
    if _check_map_data(data).keys() != {"cards"}:
        raise ValueError("a card sort share holds 'cards' only")
    cards = _check_map(data["cards"], "cards")
    try:  # every value must be one of the three columns
        ok = _BUCKETS.issuperset(cards.values())
    except TypeError:  # an unhashable value (a map or a list)
        ok = False
    if not ok:
        raise ValueError("'cards' must map card ids to healthy, watch or not_me")
    return data


def check_week(data: Any) -> dict:
    """Check a week share and return it: ``{"current": shares, "ideal": shares}`` only.

    Raises
    ------
    ValueError
        When anything is off: other keys, shares that are not numbers from 0 to 1 in
        steps of :data:`SHARE_UNIT`, or that do not add up to 1.
    """
    if _check_map_data(data).keys() != {"current", "ideal"}:
        raise ValueError("a week share holds 'current' and 'ideal' only")
    for week in ("current", "ideal"):
        values = _check_map(data[week], week).values()
        if (
            not values
            or not _NUMBER_TYPES.issuperset(map(type, values))
            or min(values) < 0
            or max(values) > 1
        ):
            raise ValueError(f"'{week}': shares must be numbers from 0 to 1")
        steps = [v * _UNITS for v in values]
        if not all(abs(x - round(x)) <= _ON_GRID for x in steps):  # False for NaN too
            raise ValueError(f"'{week}': shares must be steps of {SHARE_UNIT:g}")
        if sum(round(x) for x in steps) != _UNITS:
            raise ValueError(f"'{week}': shares must add up to 1")
    return data


def check_shapes(data: Any) -> dict:
    """Check a questionnaire share and return it: ``{"top": [first, second]}`` or ``[]``.

    Raises
    ------
    ValueError
        When anything is off: other keys, not two different role ids (or none).
    """
    if _check_map_data(data).keys() != {"top"}:
        raise ValueError("a questionnaire share holds 'top' only")
    top = data["top"]
    if (
        not isinstance(top, list)
        or len(top) not in (0, 2)
        or not all(type(r) is str for r in top)
        or len(set(top)) != len(top)
    ):
        raise ValueError("'top' must list the two closest shapes, or none")
    return data


# --------------------------------------------------------------------------- documents
def share_document(
    exercise: str, data: Mapping[str, Any], check: Check, synthetic: bool = False
) -> str:
    """Return the exact text of the file a share writes (what the preview shows).

    Parameters
    ----------
    exercise
        The exercise's name, written into the file.
    data
        The payload; it goes through a JSON round trip and ``check`` first, so nothing
        outside the whitelist is ever written.
    check
        The exercise's check (see :data:`Check`).
    synthetic
        Mark the share as made by ``room demo``.
    """
    doc: dict[str, Any] = {
        "schema": ROOM_SCHEMA,
        "exercise": exercise,
        "data": check(json.loads(dumps(data))),
    }
    if synthetic:
        doc["synthetic"] = True
    return dumps(doc)


@dataclass(frozen=True)
class Parsed:
    """What one share file turned out to be.

    Attributes
    ----------
    outcome
        ``"ok"``, or why the file is skipped: ``"malformed"``, ``"oversized"``,
        ``"too_deep"``, ``"other_version"``.
    data
        The checked payload when ``outcome == "ok"``, else ``None``.
    synthetic
        Whether ``room demo`` made it.
    """

    outcome: str
    data: Mapping[str, Any] | None = None
    synthetic: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file is a readable share."""
        return self.outcome == "ok"


def _too_deep(text: str, limit: int) -> bool:
    """Whether maps and lists in the JSON ``text`` nest deeper than ``limit``.

    A crafted file of nested brackets would otherwise exhaust :func:`json.loads`'s
    recursion. Counting the brackets first (in C) keeps the walk for the rare file that has
    more of them than ``limit``; brackets inside strings are not counted in the walk.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def parse_share(raw: bytes, exercise: str, check: Check) -> Parsed:
    """Return what the bytes of a share file of ``exercise`` hold; never raises on content.

    At most :data:`MAX_SHARE_BYTES` bytes and :data:`MAX_DEPTH` levels of nesting are
    read; anything that is not exactly a share document of ``exercise`` whose data passes
    ``check`` is an outcome saying why it is skipped.
    """
    if len(raw) > MAX_SHARE_BYTES:
        return Parsed("oversized")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Parsed("malformed")
    if _too_deep(text, MAX_DEPTH):
        return Parsed("too_deep")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: belt and braces
        return Parsed("malformed")
    if type(doc) is not dict:
        return Parsed("malformed")
    if doc.get("schema") != ROOM_SCHEMA:
        return Parsed("other_version")
    if doc.get("exercise") != exercise or not _DOC_KEYS.issuperset(doc):
        return Parsed("malformed")
    synthetic = doc.get("synthetic", False)
    if type(synthetic) is not bool:
        return Parsed("malformed")
    try:
        return Parsed("ok", check(doc.get("data")), synthetic)
    except (ValueError, TypeError):  # TypeError: belt and braces, a view never crashes
        return Parsed("malformed")
