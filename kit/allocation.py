"""Pure logic of the week: rebalancing sliders and comparing weeks as shares.

(Skeleton: the time-allocation issue completes this module.)
"""

from __future__ import annotations

from collections.abc import Mapping

from kit.content import Content

__all__ = ["distance", "nearest_profiles", "shares"]


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

    Ties keep the content's role order.
    """
    ranked = [(role.id, distance(hours, role.week.hours)) for role in content.roles]
    return tuple(sorted(ranked, key=lambda item: item[1]))
