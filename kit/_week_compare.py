"""Comparing the two weeks of the time exercise: shares, distances, profiles, sentences.

Pure functions over plain week dicts (activity id -> hours), split from :mod:`kit.allocation`,
which re-exports every public name here; import them from there. Weeks are compared as
*shares* of the hours placed, so a 32- or 45-hour week compares fairly with a 40-hour role
profile. Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kit.content import Content, Role, Source

__all__ = [
    "WEEKS",
    "WeekComparison",
    "biggest_change",
    "cited_sources",
    "compare",
    "comparison_text",
    "distance",
    "gap_text",
    "gaps",
    "hands_on_share",
    "meeting_share",
    "nearest_profiles",
    "profile_hours",
    "shares",
    "signed_hours",
    "tagged_share",
]

#: The two weeks of the exercise, in the order they are filled in.
WEEKS = ("current", "ideal")


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
    unplaced
        For ``"current"`` and ``"ideal"``: hours not yet placed on a row. Shares are of the
        hours placed.
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
    unplaced: Mapping[str, float] = field(default_factory=dict)


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
        unplaced={week: value.get("unplaced", {}).get(week, 0.0) for week in WEEKS},
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
    waiting = [(w, h) for w, h in c.unplaced.items() if h]
    if waiting:
        said = " and ".join(
            f"{h:g} hours of the week {'you had' if w == 'current' else 'you want'}"
            for w, h in waiting
        )
        lines.append(f"Not yet placed: {said}; the shares above are of the hours placed.")
    lines.append(
        f"The profiles are illustrative, not norms (sources for {profile.label}: "
        f"{_citations(profile, content)})."
    )
    return " ".join(lines)


def biggest_change(value: dict) -> tuple[str, float] | None:
    """Return the activity whose hours change most from the week had to the week wanted.

    Ties go to the earlier activity; ``None`` when no activity changes.
    """
    gap = {k: value["ideal"].get(k, 0.0) - h for k, h in value["current"].items()}
    if not gap:
        return None
    key = max(gap, key=lambda k: abs(gap[k]))
    return None if gap[key] == 0 else (key, gap[key])
