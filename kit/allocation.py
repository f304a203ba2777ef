"""Pure logic of the week: rebalancing sliders and comparing weeks as shares.

The exercise's value is the plain dict of design.md's Contracts::

    {"total": 40, "current": {activity_id: hours}, "ideal": {activity_id: hours}}

Hours move in steps of :data:`STEP` (half an hour) and each week adds up to ``total``
exactly. The arithmetic is done in whole steps (integers) and only turned back into hours at
the end, so no rounding error can creep into a total. Weeks are compared as *shares* of the
week, so a 32- or 45-hour week compares fairly with a 40-hour role profile. Every function
returns a new value and never changes its argument. Nothing here imports ipywidgets or
matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

from kit.content import (
    DEFAULT_WEEK_HOURS,
    MAX_WEEK_HOURS,
    MIN_WEEK_HOURS,
    WEEK_STEP,
    Content,
    Role,
    Source,
)

__all__ = [
    "DEFAULT_TOTAL",
    "MAX_TOTAL",
    "MIN_TOTAL",
    "STEP",
    "WEEKS",
    "WeekComparison",
    "biggest_change",
    "cited_sources",
    "compare",
    "comparison_text",
    "complete",
    "distance",
    "empty",
    "even_split",
    "gap_text",
    "gaps",
    "hands_on_share",
    "meeting_share",
    "nearest_profiles",
    "profile_hours",
    "rebalance",
    "rescale",
    "resize",
    "shares",
    "signed_hours",
    "split_known",
    "tagged_share",
    "typed_total",
    "validate",
]

#: The two weeks of the exercise, in the order they are filled in.
WEEKS = ("current", "ideal")
#: Sliders move in half-hour steps. The bounds are the content's, which checks its own
#: ``default_total_hours`` against them.
STEP = WEEK_STEP
#: The week of the packaged content; a facilitator's content may set another
#: (``Content.default_total_hours``), which :func:`empty` starts from.
DEFAULT_TOTAL = DEFAULT_WEEK_HOURS
MIN_TOTAL = MIN_WEEK_HOURS
MAX_TOTAL = MAX_WEEK_HOURS

_TOLERANCE = 1e-6


# --------------------------------------------------------------------------- steps
def _steps(hours: Any, step: float, where: str) -> int:
    """Return ``hours`` as a whole number of steps, or raise naming ``where``."""
    if isinstance(hours, bool) or not isinstance(hours, Real):
        raise ValueError(f"{where}: expected a number of hours, got {hours!r}")
    units = float(hours) / step
    if not math.isfinite(units) or units < -_TOLERANCE:
        raise ValueError(f"{where}: expected 0 or more hours, got {hours!r}")
    whole = round(units)
    if abs(units - whole) > _TOLERANCE:
        raise ValueError(f"{where}: expected hours in steps of {step:g}, got {hours!r}")
    return int(whole)


def _nearest_step(hours: float, step: float) -> int:
    """Round a requested slider position to whole steps, halves upwards."""
    if not math.isfinite(hours):
        raise ValueError(f"expected a number of hours, got {hours!r}")
    return math.floor(hours / step + 0.5)


def _tidy_total(units: int, step: float) -> float | int:
    """A whole total stays an int (40, as the Contracts show it); 37.5 stays a float."""
    hours = units * step
    return int(hours) if float(hours).is_integer() else hours


def _largest_remainder(weights: Mapping[str, int], amount: int) -> dict[str, int]:
    """Split ``amount`` whole steps in proportion to ``weights`` (equally if all are zero).

    Each key first gets the whole part of its exact share; the steps left over go to the
    largest remainders, ties to the larger weight, then to the earlier key. Integer
    arithmetic throughout: the parts always add up to ``amount`` exactly.
    """
    if not weights:
        return {}
    if sum(weights.values()) == 0:
        weights = dict.fromkeys(weights, 1)
    whole = sum(weights.values())
    parts = {k: amount * w // whole for k, w in weights.items()}
    remainders = {k: amount * w % whole for k, w in weights.items()}
    order = {k: i for i, k in enumerate(weights)}
    left = amount - sum(parts.values())
    for key in sorted(weights, key=lambda k: (-remainders[k], -weights[k], order[k]))[:left]:
        parts[key] += 1
    return parts


def even_split(
    activity_ids: Iterable[str], total: float = DEFAULT_TOTAL, step: float = STEP
) -> dict[str, float]:
    """Return ``total`` hours split as evenly as whole steps allow, earlier ids first.

    Examples
    --------
    >>> week = even_split([f"a{i}" for i in range(12)], 40)
    >>> sorted(set(week.values())), sum(week.values())
    ([3.0, 3.5], 40.0)
    """
    ids = list(activity_ids)
    units = _steps(total, step, "total")
    parts = _largest_remainder(dict.fromkeys(ids, 1), units)
    return {k: parts[k] * step for k in ids}


def rebalance(
    hours: Mapping[str, float],
    changed_id: str,
    new_value: float,
    locked: Collection[str] = frozenset(),
    step: float = STEP,
) -> dict[str, float]:
    """Move one activity to ``new_value`` hours and rebalance the others, keeping the total.

    Parameters
    ----------
    hours
        The week before the move, in whole steps; its sum is the total that is kept.
    changed_id
        The activity being moved.
    new_value
        Where it is asked to go. It is rounded to whole steps and clamped to what is free:
        at least 0, at most the total minus the locked other activities.
    locked
        Activities that must not change. ``changed_id`` itself is moved even when listed.
    step
        The size of one step in hours.

    Returns
    -------
    dict
        A new week with the keys of ``hours`` in the same order. The unlocked other
        activities share the difference in proportion to their hours (equally when they
        are all zero), rounded to whole steps by the largest-remainder method, so the sum
        is exactly the old total and nothing is negative. When every other activity is
        locked the week cannot change and comes back as it was.

    Raises
    ------
    ValueError
        If ``changed_id`` is not in the week, or an hour value is negative, not a number,
        or not a whole number of steps.

    Examples
    --------
    >>> rebalance({"a": 10, "b": 20, "c": 10}, "a", 20)
    {'a': 20.0, 'b': 13.5, 'c': 6.5}
    """
    if changed_id not in hours:
        raise ValueError(
            f"{changed_id!r} is not an activity of this week; expected one of {', '.join(hours)}"
        )
    units = {k: _steps(v, step, f"'{k}'") for k, v in hours.items()}
    total = sum(units.values())
    fixed = [k for k in units if k != changed_id and k in locked]
    free = {k: units[k] for k in units if k != changed_id and k not in locked}
    room = total - sum(units[k] for k in fixed)
    if free:
        target = min(max(_nearest_step(float(new_value), step), 0), room)
    else:
        _nearest_step(float(new_value), step)  # still refuse a request that is not a number
        target = units[changed_id]
    shared = _largest_remainder(free, room - target)
    out = {}
    for key, old in units.items():
        out[key] = (target if key == changed_id else shared.get(key, old)) * step
    return out


def rescale(
    hours: Mapping[str, float],
    total: float,
    locked: Collection[str] = frozenset(),
    step: float = STEP,
) -> dict[str, float]:
    """Fit a week to a new ``total``, keeping locked activities and the shape of the rest.

    Raises
    ------
    ValueError
        If the locked hours do not fit in the new total, or every activity is locked and
        they do not add up to it.
    """
    units = {k: _steps(v, step, f"'{k}'") for k, v in hours.items()}
    new_total = _steps(total, step, "total")
    fixed = sum(u for k, u in units.items() if k in locked)
    free = {k: u for k, u in units.items() if k not in locked}
    if fixed > new_total or (not free and fixed != new_total):
        raise ValueError(
            f"the locked activities hold {fixed * step:g} hours, which cannot "
            f"fit a {total:g}-hour week"
        )
    shared = _largest_remainder(free, new_total - fixed)
    return {k: shared.get(k, u) * step for k, u in units.items()}


# --------------------------------------------------------------------------- the value
def empty(content: Content, total: float | None = None) -> dict:
    """Return the starting value: both weeks split evenly over the content's activities.

    ``total`` defaults to the content's ``default_total_hours`` (40 in the packaged content).
    """
    if total is None:
        total = content.default_total_hours
    ids = [a.id for a in content.activities]
    units = _steps(total, STEP, "total")
    return {
        "total": _tidy_total(units, STEP),
        "current": even_split(ids, total),
        "ideal": even_split(ids, total),
    }


def validate(value: Any, step: float = STEP) -> dict:
    """Check the shape of a week value and return a normalised copy.

    The total is between :data:`MIN_TOTAL` and :data:`MAX_TOTAL` hours in whole steps; each
    week maps activity ids to 0 or more hours in whole steps and adds up to the total.
    Activity ids are not checked against the content here (see :func:`complete` and
    :func:`split_known`).

    Raises
    ------
    ValueError
        Naming the field that is wrong and what is expected.
    """
    if not isinstance(value, Mapping):
        raise ValueError(
            "a week value must be a dict with 'total', 'current' and 'ideal', "
            f"got {type(value).__name__}"
        )
    unknown = set(value) - {"total", *WEEKS}
    if unknown:
        raise ValueError(
            f"unknown key(s) {sorted(map(str, unknown))}; expected 'total', 'current' and 'ideal'"
        )
    for key in ("total", *WEEKS):
        if key not in value:
            raise ValueError(f"'{key}': missing; a week value needs 'total', 'current' and 'ideal'")
    total = _steps(value["total"], step, "'total'")
    if not MIN_TOTAL <= total * step <= MAX_TOTAL:
        raise ValueError(
            f"'total': expected {MIN_TOTAL} to {MAX_TOTAL} hours, got {value['total']!r}"
        )
    out: dict[str, Any] = {"total": _tidy_total(total, step)}
    for week in WEEKS:
        raw = value[week]
        if not isinstance(raw, Mapping):
            raise ValueError(
                f"'{week}': expected a dict of activity id -> hours, got {type(raw).__name__}"
            )
        units = {}
        for aid, hours in raw.items():
            if not isinstance(aid, str):
                raise ValueError(f"'{week}': activity id {aid!r} must be a string")
            units[aid] = _steps(hours, step, f"'{week}.{aid}'")
        if sum(units.values()) != total:
            raise ValueError(
                f"'{week}': the hours add up to {sum(units.values()) * step:g}, "
                f"but 'total' is {total * step:g}; they must be equal"
            )
        out[week] = {k: u * step for k, u in units.items()}
    return out


def complete(value: dict, content: Content) -> dict:
    """Return a valid value with every content activity present (missing ones at 0 hours).

    Weeks come back in the content's activity order.

    Raises
    ------
    ValueError
        If a week names an activity the content does not have.
    """
    ids = [a.id for a in content.activities]
    out = {"total": value["total"]}
    for week in WEEKS:
        for aid in value[week]:
            if aid not in ids:
                raise ValueError(
                    f"'{week}.{aid}': not an activity of this kit; expected one of {', '.join(ids)}"
                )
        out[week] = {aid: float(value[week].get(aid, 0.0)) for aid in ids}
    return out


def split_known(value: dict, content: Content) -> tuple[dict, dict]:
    """Split a saved value into what the content knows and what it no longer has.

    Returns
    -------
    (known, kept)
        ``known`` is a complete value; hours saved under retired activities are spread over
        the remaining ones in proportion, so each week still adds up to its total. ``kept``
        holds the retired activities' hours per week, to be saved back untouched.
    """
    ids = {a.id for a in content.activities}
    kept: dict[str, dict] = {}
    known: dict[str, Any] = {"total": value["total"]}
    for week in WEEKS:
        gone = {k: v for k, v in value[week].items() if k not in ids}
        week_known = {k: v for k, v in value[week].items() if k in ids}
        if gone:
            kept[week] = gone
            week_known = (
                rescale(week_known, value["total"])
                if week_known
                else even_split([a.id for a in content.activities], value["total"])
            )
        known[week] = week_known
    return complete(known, content), kept


# --------------------------------------------------------------------------- comparing
def shares(hours: Mapping[str, float]) -> dict[str, float]:
    """Return each activity's share of the week (0..1); an empty week is all zeros."""
    total = sum(hours.values())
    return {k: (v / total if total else 0.0) for k, v in hours.items()}


def distance(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Return the share of a week that would have to move to turn week ``a`` into ``b``.

    Both weeks are compared as shares, so a 45-hour week compares fairly with a 40-hour
    profile. 0 means the same shape, 1 means nothing in common.
    """
    sa, sb = shares(a), shares(b)
    keys = set(sa) | set(sb)
    return sum(abs(sa.get(k, 0.0) - sb.get(k, 0.0)) for k in keys) / 2


def nearest_profiles(hours: Mapping[str, float], content: Content) -> tuple[tuple[str, float], ...]:
    """Return ``(role_id, distance)`` for every role profile, nearest first.

    Ties keep the content's role order (distances equal to 1e-9 count as ties, so float
    noise never decides an order).
    """
    ranked = [(role.id, distance(hours, role.week.hours)) for role in content.roles]
    return tuple(sorted(ranked, key=lambda item: round(item[1], 9)))


def tagged_share(hours: Mapping[str, float], content: Content, tag: str) -> float:
    """Return the share of the week (0..1) spent on activities carrying ``tag``."""
    tagged = {a.id for a in content.activities if tag in a.tags}
    week = shares(hours)
    return sum(v for k, v in week.items() if k in tagged)


def hands_on_share(hours: Mapping[str, float], content: Content) -> float:
    """Return the share of the week spent on hands-on activities (tag ``hands_on``)."""
    return tagged_share(hours, content, "hands_on")


def meeting_share(hours: Mapping[str, float], content: Content) -> float:
    """Return the share of the week spent in meeting-type activities (tag ``meeting``)."""
    return tagged_share(hours, content, "meeting")


def gaps(current: Mapping[str, float], ideal: Mapping[str, float]) -> dict[str, float]:
    """Return, per activity, the share of the week to gain (+) or give up (-).

    Shares, not hours, so that two weeks of different totals can be compared; multiply by
    the total for hours (:attr:`WeekComparison.gap_hours` does so for one total).
    """
    sc, si = shares(current), shares(ideal)
    return {k: si.get(k, 0.0) - sc.get(k, 0.0) for k in dict.fromkeys([*sc, *si])}


def profile_hours(role: Role, total: float) -> dict[str, float]:
    """Return a role's reference week scaled to ``total`` hours (same shares, any total)."""
    return {k: share * total for k, share in role.week.shares().items()}


@dataclass(frozen=True)
class WeekComparison:
    """The two weeks side by side, with one reference profile (for text and charts).

    Attributes
    ----------
    total
        Hours in the participant's week.
    activities
        Activity ids in the content's order.
    current, ideal
        Hours per activity.
    profile_id
        The role whose profile is compared.
    profile
        That profile's hours scaled to ``total`` (not rounded to steps).
    gap_hours
        Ideal minus current, in hours.
    hands_on, meetings
        Shares (0..1) for ``"current"``, ``"ideal"`` and ``"profile"``.
    nearest
        For ``"current"`` and ``"ideal"``: ``(role_id, distance)`` nearest first.
    """

    total: float
    activities: tuple[str, ...]
    current: Mapping[str, float]
    ideal: Mapping[str, float]
    profile_id: str
    profile: Mapping[str, float]
    gap_hours: Mapping[str, float]
    hands_on: Mapping[str, float]
    meetings: Mapping[str, float]
    nearest: Mapping[str, tuple[tuple[str, float], ...]]


def compare(value: dict, content: Content, profile_id: str | None = None) -> WeekComparison:
    """Compare the two weeks with each other and with one role profile.

    Parameters
    ----------
    value
        A complete week value.
    profile_id
        The role to compare with; ``None`` means the profile nearest the ideal week.

    Raises
    ------
    ValueError
        If ``profile_id`` is not a role id.
    """
    roles = content.by_id["roles"]
    nearest = {week: nearest_profiles(value[week], content) for week in WEEKS}
    if profile_id is None:
        profile_id = nearest["ideal"][0][0]
    if profile_id not in roles:
        raise ValueError(
            f"{profile_id!r} is not a role profile; expected one of {', '.join(roles)}"
        )
    total = value["total"]
    profile = profile_hours(roles[profile_id], total)
    weeks = {"current": value["current"], "ideal": value["ideal"], "profile": profile}
    ids = tuple(a.id for a in content.activities)
    return WeekComparison(
        total=total,
        activities=ids,
        current=dict(value["current"]),
        ideal=dict(value["ideal"]),
        profile_id=profile_id,
        profile=profile,
        gap_hours={k: value["ideal"].get(k, 0.0) - value["current"].get(k, 0.0) for k in ids},
        hands_on={k: hands_on_share(w, content) for k, w in weeks.items()},
        meetings={k: meeting_share(w, content) for k, w in weeks.items()},
        nearest=nearest,
    )


# --------------------------------------------------------------------------- text
def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def signed_hours(hours: float) -> str:
    """Return a change of hours with its sign spelled out: ``+2.5 h``, ``\u22123 h``, ``0 h``."""
    sign = "+" if hours > 0 else "\u2212" if hours < 0 else ""
    return f"{sign}{abs(hours):g} h"


def cited_sources(keys: Iterable[str], content: Content) -> tuple[Source, ...]:
    """Return the content's sources named by ``keys``, in that order (unknown keys skipped)."""
    sources = content.by_id["sources"]
    return tuple(sources[k] for k in keys if k in sources)


def _citations(role: Role, content: Content) -> str:
    # citation() ends each source with a full stop; drop that one so "; " can join them.
    cited = (s.citation() for s in cited_sources(role.week.sources, content))
    return "; ".join(c[:-1] if c.endswith(".") else c for c in cited)


def _biggest(comparison: WeekComparison, sign: int, n: int = 3) -> list[tuple[str, float]]:
    moves = [(k, g) for k, g in comparison.gap_hours.items() if g * sign > 0]
    order = {k: i for i, k in enumerate(comparison.activities)}
    return sorted(moves, key=lambda kg: (-abs(kg[1]), order[kg[0]]))[:n]


def gap_text(comparison: WeekComparison, content: Content) -> str:
    """Return the gap between the week I had and the week I want as plain sentences."""
    labels = {a.id: a.label for a in content.activities}
    more, less = _biggest(comparison, +1), _biggest(comparison, -1)
    if not more and not less:
        return "The week you want is the same as the week you had."
    moved = sum(g for g in comparison.gap_hours.values() if g > 0)
    lines = [
        f"To get from the week you had to the week you want, {moved:g} of "
        f"{comparison.total:g} hours would move."
    ]
    if more:
        lines.append(
            "Most time gained: "
            + ", ".join(f"{labels[k]} ({signed_hours(g)})" for k, g in more)
            + "."
        )
    if less:
        lines.append(
            "Most time given up: "
            + ", ".join(f"{labels[k]} ({signed_hours(g)})" for k, g in less)
            + "."
        )
    return " ".join(lines)


def comparison_text(comparison: WeekComparison, content: Content) -> str:
    """Return the two weeks and the chosen profile compared in plain sentences."""
    roles = content.by_id["roles"]
    c = comparison
    profile = roles[c.profile_id]
    nearest = roles[c.nearest["ideal"][0][0]]
    in_common = 1 - dict(c.nearest["ideal"])[c.profile_id]
    lines = [
        f"In the week you had ({c.total:g} hours), {_pct(c.hands_on['current'])} was "
        f"hands-on work and {_pct(c.meetings['current'])} meetings; in the week you want, "
        f"{_pct(c.hands_on['ideal'])} and {_pct(c.meetings['ideal'])}.",
        f"The {profile.label} profile, scaled to {c.total:g} hours, has "
        f"{_pct(c.hands_on['profile'])} hands-on work and {_pct(c.meetings['profile'])} "
        f"meetings, and has {_pct(in_common)} of its week in common with the week you want.",
    ]
    if nearest.id != profile.id:
        lines.append(f"The profile nearest the week you want is {nearest.label}.")
    lines.append(
        f"The profiles are illustrative, not norms (sources for {profile.label}: "
        f"{_citations(profile, content)})."
    )
    return " ".join(lines)


# --------------------------------------------------------------------------- for the view
def typed_total(hours: float) -> float | int:
    """Return a typed week total as the week keeps it: whole steps (halves up), in range."""
    steps = _nearest_step(float(hours), STEP)
    lowest, highest = round(MIN_TOTAL / STEP), round(MAX_TOTAL / STEP)
    return _tidy_total(min(max(steps, lowest), highest), STEP)


def resize(
    value: dict, total: float, locked: Mapping[str, Collection[str]]
) -> tuple[dict, tuple[str, ...]]:
    """Fit both weeks to a new ``total``, keeping locked rows where they still fit.

    Returns
    -------
    (value, unlocked)
        The new value, and the weeks whose locks had to be let go because the locked hours
        did not fit the new total (every row of those weeks moved).
    """
    out: dict[str, Any] = {"total": total}
    unlocked = []
    for week in WEEKS:
        try:
            out[week] = rescale(value[week], total, locked.get(week, ()))
        except ValueError:
            unlocked.append(week)
            out[week] = rescale(value[week], total)
    return out, tuple(unlocked)


def biggest_change(value: dict) -> tuple[str, float] | None:
    """Return the activity whose hours change most from the week had to the week wanted.

    Ties go to the earlier activity; ``None`` when no activity changes.
    """
    gap = {k: value["ideal"].get(k, 0.0) - h for k, h in value["current"].items()}
    if not gap:
        return None
    key = max(gap, key=lambda k: abs(gap[k]))
    return None if gap[key] == 0 else (key, gap[key])
