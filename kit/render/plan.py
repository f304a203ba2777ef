"""Page one of the personal report, as data: what the HTML and the PDF both print first."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Plan"]


@dataclass(frozen=True)
class Plan:
    """Page one of the report: the personal plan.

    Attributes
    ----------
    heading, date
        The page's heading and its date line ('Made on 2 December 2026').
    positions
        ``(label, text)`` for where the participant leaned at the start and where they
        lean now (:mod:`kit.positions`), each only when it was taken.
    commitments
        ``(label, text)`` per commitment made, in the kit's order (keep, stop, calendar,
        conversation).
    missing
        The sentence shown when no commitment is made yet, else ``""``.
    """

    heading: str
    date: str
    positions: tuple[tuple[str, str], ...]
    commitments: tuple[tuple[str, str], ...]
    missing: str
