"""Pure logic of the three commitments that close the workshop.

The value is ``{"keep": text, "stop": text, "calendar": text}``: one hands-on habit to keep,
one to hand off or stop, one change to the calendar. Empty commitments are absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["KINDS", "TEXT_LIMIT", "validate"]

KINDS = ("keep", "stop", "calendar")
TEXT_LIMIT = 600


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
            raise ValueError(f"commitment {key!r} is longer than {TEXT_LIMIT} characters")
        if text.strip():
            out[key] = text
    return out
