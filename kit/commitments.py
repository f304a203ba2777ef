"""Pure logic of the three commitments that close the workshop.

The value is ``{"keep": text, "stop": text, "calendar": text}``: one hands-on habit to keep,
one to hand off or stop, one change to the calendar. Empty commitments are absent.

A commitment holds at most :data:`TEXT_LIMIT` characters, so that the three of them, in
full, take less than half of one printed A4 page and the plan still fits on it. A longer
text is refused with a sentence saying so, never cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["KINDS", "TEXT_LIMIT", "too_long", "validate"]

KINDS = ("keep", "stop", "calendar")
#: The most characters one commitment may hold (three fit in half a printed A4 page).
TEXT_LIMIT = 600


def too_long(text: str) -> str | None:
    """Return a sentence for the participant when ``text`` is over the limit, else ``None``."""
    if len(text) <= TEXT_LIMIT:
        return None
    return (
        f"This commitment is {len(text):,} characters long; at most {TEXT_LIMIT} fit on the "
        "printed plan. It is not saved until it is shorter (nothing was cut)."
    )


def validate(value: Any) -> dict[str, str]:
    """Check a commitments value and return it without empty entries.

    Raises
    ------
    ValueError
        Naming the commitment that is wrong and what is expected.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"commitments must be a dict, got {type(value).__name__}")
    out = {}
    for key, text in value.items():
        if key not in KINDS:
            raise ValueError(f"unknown commitment {key!r}; expected {', '.join(KINDS)}")
        if not isinstance(text, str):
            raise ValueError(f"commitment {key!r} must be text, got {type(text).__name__}")
        if len(text) > TEXT_LIMIT:
            raise ValueError(
                f"commitment {key!r} is {len(text)} characters long; at most {TEXT_LIMIT} "
                "fit on the printed plan"
            )
        if text.strip():
            out[key] = text
    return out
