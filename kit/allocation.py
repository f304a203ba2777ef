"""Pure logic of the week: rebalancing sliders and comparing weeks as shares.

The exercise's value is a plain dict::

    {"total": 40,
     "current": {activity_id: hours}, "ideal": {activity_id: hours},
     "unplaced": {"current": hours, "ideal": hours},
     "set": {"current": [activity_id, ...], "ideal": [...]},
     "locked": {"current": [activity_id, ...], "ideal": [...]}}

Hours move in steps of :data:`STEP` (half an hour). Each week's rows plus its ``unplaced``
hours add up to ``total`` exactly. ``set`` lists the rows the participant has moved and
``locked`` the rows they locked: :func:`place` never changes either when another row moves.
The rows nobody has touched make room first; when none are left, hours taken away wait as
``unplaced`` ("not yet placed") and hours added come from there. The last three keys may be
left out of a value given to :func:`validate` (an older saved file): no unplaced hours, no
row set or locked. The arithmetic is done in whole steps (integers) and only turned back
into hours at the end, so no rounding error can creep into a total. Weeks are compared as
*shares* of the week (:mod:`kit._week_compare`, re-exported here), so a 32- or 45-hour week
compares fairly with a 40-hour profile. Every function returns a new value and never changes
its argument. Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from kit._steps import largest_remainder as _largest_remainder
from kit._steps import nearest_step as _nearest_step
from kit._steps import steps as _steps
from kit._steps import tidy_total as _tidy_total
from kit._week_compare import (
    WEEKS,
    WeekComparison,
    biggest_change,
    cited_sources,
    compare,
    comparison_text,
    distance,
    gap_text,
    gaps,
    hands_on_share,
    meeting_share,
    nearest_profiles,
    profile_hours,
    shares,
    signed_hours,
    tagged_share,
)
from kit.content import (
    DEFAULT_WEEK_HOURS,
    MAX_WEEK_HOURS,
    MIN_WEEK_HOURS,
    WEEK_STEP,
    Content,
)

__all__ = [
    "DEFAULT_TOTAL",
    "MAX_TOTAL",
    "MIN_TOTAL",
    "STEP",
    "VIEW_KEYS",
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
    "place",
    "placed_hours",
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

#: Per-week keys beside the hours: hours not yet placed, rows set, rows locked.
VIEW_KEYS = ("unplaced", "set", "locked")
#: Sliders move in half-hour steps. The bounds are the content's, which checks its own
#: ``default_total_hours`` against them.
STEP = WEEK_STEP
#: The week of the packaged content; a facilitator's content may set another
#: (``Content.default_total_hours``), which :func:`empty` starts from.
DEFAULT_TOTAL = DEFAULT_WEEK_HOURS
MIN_TOTAL = MIN_WEEK_HOURS
MAX_TOTAL = MAX_WEEK_HOURS


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


def place(
    hours: Mapping[str, float],
    unplaced: float,
    changed_id: str,
    new_value: float,
    keep: Collection[str] = frozenset(),
    step: float = STEP,
) -> tuple[dict[str, float], float]:
    """Move one row to ``new_value`` hours without touching a row the participant kept.

    Parameters
    ----------
    hours
        The week's rows before the move, in whole steps.
    unplaced
        The week's hours not yet placed; rows plus these make the total, which is kept.
    changed_id
        The row being moved (moved even when it is in ``keep``).
    new_value
        Where it is asked to go: rounded to whole steps and clamped to 0 and to what can be
        found (its hours, the unplaced ones and those of the rows not kept).
    keep
        Rows that must not change: the ones the participant set or locked.

    Returns
    -------
    (hours, unplaced)
        The new rows (same keys, same order) and unplaced hours. Hours added to the moved
        row come first from the unplaced ones, then from the rows not kept, in proportion to
        their hours; hours taken from it go to the rows not kept, in proportion (equally
        when they are all zero), or, when every other row is kept, to ``unplaced``.

    Raises
    ------
    ValueError
        If ``changed_id`` is not a row, or a number of hours is not 0 or more in whole
        steps.

    Examples
    --------
    >>> place({"a": 10, "b": 20, "c": 10}, 0, "a", 20, keep={"b"})
    ({'a': 20.0, 'b': 20.0, 'c': 0.0}, 0.0)
    >>> place({"a": 10, "b": 20, "c": 10}, 0, "a", 4, keep={"b", "c"})
    ({'a': 4.0, 'b': 20.0, 'c': 10.0}, 6.0)
    """
    if changed_id not in hours:
        raise ValueError(
            f"{changed_id!r} is not an activity of this week; expected one of {', '.join(hours)}"
        )
    units = {k: _steps(v, step, f"'{k}'") for k, v in hours.items()}
    pool = _steps(unplaced, step, "'unplaced'")
    free = {k: u for k, u in units.items() if k != changed_id and k not in keep}
    most = units[changed_id] + pool + sum(free.values())
    target = min(max(_nearest_step(float(new_value), step), 0), most)
    delta = target - units[changed_id]
    if delta > 0:
        from_pool = min(delta, pool)
        pool -= from_pool
        free = _largest_remainder(free, sum(free.values()) - (delta - from_pool))
    elif delta < 0 and free:
        free = _largest_remainder(free, sum(free.values()) - delta)
    else:
        pool -= delta  # nothing left to make room: the hours wait, not yet placed
    out = {k: (target if k == changed_id else free.get(k, u)) * step for k, u in units.items()}
    return out, pool * step


def placed_hours(value: Mapping[str, Any], week: str) -> float:
    """Return the hours of ``week`` placed on rows (the total minus the unplaced ones)."""
    return value["total"] - value.get("unplaced", {}).get(week, 0.0)


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
def _view_keys(unplaced: Mapping[str, float] | None = None) -> dict[str, Any]:
    """The per-week keys of a fresh value: nothing unplaced, no row set or locked."""
    return {
        "unplaced": {w: float((unplaced or {}).get(w, 0.0)) for w in WEEKS},
        "set": {w: [] for w in WEEKS},
        "locked": {w: [] for w in WEEKS},
    }


def empty(content: Content, total: float | None = None) -> dict:
    """Return the starting value: both weeks split evenly over the content's activities.

    ``total`` defaults to the content's ``default_total_hours`` (40 in the packaged content).
    Nothing is unplaced, set or locked.
    """
    if total is None:
        total = content.default_total_hours
    ids = [a.id for a in content.activities]
    units = _steps(total, STEP, "total")
    return {
        "total": _tidy_total(units, STEP),
        "current": even_split(ids, total),
        "ideal": even_split(ids, total),
        **_view_keys(),
    }


def _per_week(value: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    raw = value.get(key, {})
    if not isinstance(raw, Mapping):
        raise ValueError(
            f"'{key}': expected a dict with 'current' and 'ideal', got {type(raw).__name__}"
        )
    extra = sorted(map(str, set(raw) - set(WEEKS)))
    if extra:
        raise ValueError(f"'{key}': unknown week(s) {extra}; expected 'current' and 'ideal'")
    return raw


def _row_list(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list | tuple) or not all(isinstance(k, str) for k in raw):
        raise ValueError(f"'{where}': expected a list of activity ids")
    return list(dict.fromkeys(raw))


def validate(value: Any, step: float = STEP) -> dict:
    """Check the shape of a week value and return a normalised copy.

    The total is between :data:`MIN_TOTAL` and :data:`MAX_TOTAL` hours in whole steps; each
    week maps activity ids to 0 or more hours in whole steps, and its rows plus its
    ``unplaced`` hours add up to the total. ``unplaced``, ``set`` and ``locked`` may be left
    out (none). Activity ids are not checked against the content here (see
    :func:`complete` and :func:`split_known`).

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
    unknown = set(value) - {"total", *WEEKS, *VIEW_KEYS}
    if unknown:
        raise ValueError(
            f"unknown key(s) {sorted(map(str, unknown))}; expected 'total', 'current' and "
            "'ideal' (and 'unplaced', 'set', 'locked')"
        )
    for key in ("total", *WEEKS):
        if key not in value:
            raise ValueError(f"'{key}': missing; a week value needs 'total', 'current' and 'ideal'")
    total = _steps(value["total"], step, "'total'")
    if not MIN_TOTAL <= total * step <= MAX_TOTAL:
        raise ValueError(
            f"'total': expected {MIN_TOTAL} to {MAX_TOTAL} hours, got {value['total']!r}"
        )
    unplaced = _per_week(value, "unplaced")
    out: dict[str, Any] = {"total": _tidy_total(total, step), **_view_keys()}
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
        pool = _steps(unplaced.get(week, 0), step, f"'unplaced.{week}'")
        if sum(units.values()) + pool != total:
            waiting = f" and {pool * step:g} not yet placed" if pool else ""
            raise ValueError(
                f"'{week}': the hours add up to {sum(units.values()) * step:g}{waiting}, "
                f"but 'total' is {total * step:g}; they must be equal"
            )
        out[week] = {k: u * step for k, u in units.items()}
        out["unplaced"][week] = pool * step
    for key in ("set", "locked"):
        rows = _per_week(value, key)
        out[key] = {w: _row_list(rows.get(w, []), f"{key}.{w}") for w in WEEKS}
    return {k: out[k] for k in ("total", *WEEKS, *VIEW_KEYS)}


def complete(value: dict, content: Content) -> dict:
    """Return a valid value with every content activity present (missing ones at 0 hours).

    Weeks come back in the content's activity order; ``set`` and ``locked`` keep only the
    content's activities, in its order (they are the view's state, not answers).

    Raises
    ------
    ValueError
        If a week names an activity the content does not have.
    """
    ids = [a.id for a in content.activities]
    out: dict[str, Any] = {"total": value["total"]}
    for week in WEEKS:
        for aid in value[week]:
            if aid not in ids:
                raise ValueError(
                    f"'{week}.{aid}': not an activity of this kit; expected one of {', '.join(ids)}"
                )
        out[week] = {aid: float(value[week].get(aid, 0.0)) for aid in ids}
    out.update(_view_keys(value.get("unplaced")))
    for key in ("set", "locked"):
        rows = value.get(key, {})
        out[key] = {w: [aid for aid in ids if aid in rows.get(w, ())] for w in WEEKS}
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
    known: dict[str, Any] = {k: value[k] for k in ("total", *VIEW_KEYS) if k in value}
    for week in WEEKS:
        gone = {k: v for k, v in value[week].items() if k not in ids}
        week_known = {k: v for k, v in value[week].items() if k in ids}
        if gone:
            kept[week] = gone
            placed = placed_hours(value, week)  # the unplaced hours stay unplaced
            week_known = (
                rescale(week_known, placed)
                if week_known
                else even_split([a.id for a in content.activities], placed)
            )
        known[week] = week_known
    return complete(known, content), kept


# --------------------------------------------------------------------------- for the view
def typed_total(hours: float) -> float | int:
    """Return a typed week total as the week keeps it: whole steps (halves up), in range."""
    steps = _nearest_step(float(hours), STEP)
    lowest, highest = round(MIN_TOTAL / STEP), round(MAX_TOTAL / STEP)
    return _tidy_total(min(max(steps, lowest), highest), STEP)


def resize(value: dict, total: float) -> tuple[dict, tuple[str, ...]]:
    """Fit both weeks of a complete value to a new ``total``, moving set rows last.

    Hours added go to the rows nobody has touched, in proportion, or wait unplaced when
    every row is set or locked. Hours taken come first from the unplaced ones, then from the
    untouched rows, then from the rows set but not locked (in proportion). Only when the
    locked rows alone do not fit the new total are that week's locks let go and all its
    rows rescaled.

    Returns
    -------
    (value, unlocked)
        The new value, and the weeks whose locks had to be let go.
    """
    new_units = _steps(total, STEP, "total")
    out: dict[str, Any] = {"total": _tidy_total(new_units, STEP), **_view_keys()}
    unlocked = []
    for week in WEEKS:
        units = {k: _steps(v, STEP, f"'{week}.{k}'") for k, v in value[week].items()}
        pool = _steps(value["unplaced"][week], STEP, f"'unplaced.{week}'")
        locked, chosen = value["locked"][week], {*value["set"][week], *value["locked"][week]}
        groups = (
            [k for k in units if k not in chosen],
            [k for k in units if k in chosen and k not in locked],
        )
        change = new_units - sum(units.values()) - pool
        if change >= 0:
            if groups[0]:
                untouched = {k: units[k] for k in groups[0]}
                units.update(_largest_remainder(untouched, sum(untouched.values()) + change))
            else:
                pool += change
        else:
            need = -change
            taken = min(need, pool)
            pool, need = pool - taken, need - taken
            for group in groups:
                rows = {k: units[k] for k in group}
                taken = min(need, sum(rows.values()))
                if taken:
                    units.update(_largest_remainder(rows, sum(rows.values()) - taken))
                    need -= taken
            if need:  # the locked rows alone do not fit: let them go, keep the shape
                unlocked.append(week)
                units = {k: round(h / STEP) for k, h in rescale(value[week], total).items()}
                pool, locked = 0, []
        out[week] = {k: u * STEP for k, u in units.items()}
        out["unplaced"][week] = pool * STEP
        out["set"][week] = list(value["set"][week])
        out["locked"][week] = list(locked)
    return {k: out[k] for k in ("total", *WEEKS, *VIEW_KEYS)}, tuple(unlocked)
