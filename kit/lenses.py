"""The two lenses: the questionnaire's result next to the participant's ideal week.

Notebook 04 asks which shape the answers lean towards; notebook 03 asks how the participant
would like to spend a week. This module puts the two side by side: it finds the role profile
nearest to the ideal week (weeks compared as shares, see :mod:`kit.allocation`) and says
whether that profile is one of the questionnaire's leading shapes. Every function is pure;
nothing here imports ipywidgets or matplotlib, and nothing here reads or writes a file.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from kit.allocation import nearest_profiles
from kit.content import Content

__all__ = ["LensComparison", "LensStatus", "compare_lenses", "lens_text"]

LensStatus = Literal["agree", "differ", "senior_ic", "no_week", "no_shape"]


class ShapeLean(Protocol):
    """What the comparison needs of a questionnaire result (``kit.archetypes.ShapeResult``).

    Named as a protocol so that this module does not import :mod:`kit.archetypes`, which
    re-exports the names here: the import arrow points one way only.
    """

    @property
    def status(self) -> str: ...

    @property
    def leading(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class LensComparison:
    """The questionnaire next to the ideal week of the time-allocation exercise.

    Attributes
    ----------
    status
        ``agree``: the ideal week is nearest to a profile ranked first or second here;
        ``differ``: it is nearest to another scored profile; ``senior_ic``: it is nearest
        to a profile the questionnaire does not score (the Senior IC week); ``no_week``:
        no ideal week yet; ``no_shape``: the questionnaire shows no lean yet.
    nearest, distance
        The role profile nearest to the ideal week and the share of the week that would
        have to move to match it (0..1); ``None`` without a week.
    nearest_scored
        The nearest profile among the roles the questionnaire scores.
    leading
        The questionnaire's roles ranked first or second.
    """

    status: LensStatus
    nearest: str | None
    distance: float | None
    nearest_scored: str | None
    leading: tuple[str, ...]


def _clean_hours(hours: Any) -> dict[str, float]:
    if not isinstance(hours, Mapping):
        return {}
    out = {}
    for key, h in hours.items():
        if (
            isinstance(key, str)
            and isinstance(h, numbers.Real)
            and not isinstance(h, bool)
            and math.isfinite(h)
            and h > 0
        ):
            out[key] = float(h)
    return out


def compare_lenses(
    result: ShapeLean, ideal_hours: Mapping[str, float] | None, content: Content
) -> LensComparison:
    """Compare the questionnaire with the profile nearest to the participant's ideal week.

    Parameters
    ----------
    result
        The questionnaire's result.
    ideal_hours
        ``{activity_id: hours}`` of the ideal week (``TimeAllocation.value["ideal"]``), or
        ``None``; hours that are not positive numbers are ignored.
    content
        The workshop content (role profiles).
    """
    hours = _clean_hours(ideal_hours)
    if not hours:
        return LensComparison("no_week", None, None, None, result.leading)
    ranked = nearest_profiles(hours, content)
    roles = content.by_id["roles"]
    nearest, distance = ranked[0]
    nearest_scored = next((rid for rid, _ in ranked if roles[rid].scored), None)
    if not roles[nearest].scored:
        status: LensStatus = "senior_ic"
    elif result.status != "lean":
        status = "no_shape"
    elif nearest in result.leading:
        status = "agree"
    else:
        status = "differ"
    return LensComparison(status, nearest, distance, nearest_scored, result.leading)


# --------------------------------------------------------------------------- words
def _label(content: Content, role_id: str) -> str:
    return content.by_id["roles"][role_id].label


def _names(content: Content, role_ids: tuple[str, ...]) -> str:
    return " / ".join(_label(content, r) for r in role_ids)


def lens_text(comparison: LensComparison, content: Content) -> str:
    """Return the two lenses side by side in one or two plain sentences."""
    t = content.text
    c = comparison
    if c.status == "no_week":
        return t("archetypes_lens_no_week")
    week = _label(content, c.nearest)
    if c.status == "senior_ic":
        scored = _label(content, c.nearest_scored) if c.nearest_scored else week
        return t("archetypes_lens_senior_ic", week=week, scored=scored)
    if c.status == "no_shape":
        return t("archetypes_lens_no_shape", week=week)
    if c.status == "agree":
        return t("archetypes_lens_agree", week=week)
    return t("archetypes_lens_differ", week=week, leading=_names(content, c.leading))
