"""Half-hour arithmetic for the week: whole steps, tidy totals, fair rounding.

Pure helpers of :mod:`kit.allocation` (which re-exports :func:`even_split`): hours are
counted in whole steps so that a week always adds up exactly, and amounts are shared out by
largest remainders so that rounding never loses or invents a step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Any

__all__ = ["TOLERANCE", "largest_remainder", "nearest_step", "steps", "tidy_total"]

#: Hours closer than this to a whole step count as that step (floating-point noise).
TOLERANCE = 1e-6


def steps(hours: Any, step: float, where: str) -> int:
    """Return ``hours`` as a whole number of steps, or raise naming ``where``."""
    if isinstance(hours, bool) or not isinstance(hours, Real):
        raise ValueError(f"{where}: expected a number of hours, got {hours!r}")
    units = float(hours) / step
    if not math.isfinite(units) or units < -TOLERANCE:
        raise ValueError(f"{where}: expected 0 or more hours, got {hours!r}")
    whole = round(units)
    if abs(units - whole) > TOLERANCE:
        raise ValueError(f"{where}: expected hours in steps of {step:g}, got {hours!r}")
    return int(whole)


def nearest_step(hours: float, step: float) -> int:
    """Round a requested slider position to whole steps, halves upwards."""
    if not math.isfinite(hours):
        raise ValueError(f"expected a number of hours, got {hours!r}")
    return math.floor(hours / step + 0.5)


def tidy_total(units: int, step: float) -> float | int:
    """A whole total stays an int (40, as the Contracts show it); 37.5 stays a float."""
    hours = units * step
    return int(hours) if float(hours).is_integer() else hours


def largest_remainder(weights: Mapping[str, int], amount: int) -> dict[str, int]:
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
