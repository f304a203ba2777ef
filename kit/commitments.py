"""Pure logic of the commitments that close the workshop.

The value is ``{"keep": text, "stop": text, "calendar": text, "conversation": text}``: one
hands-on habit to keep, one to hand off or stop, one change to the calendar, and, for
whoever needs a different role rather than a different calendar, a role-design conversation
with their manager (the kind :data:`OPTIONAL` names; the widget shows a short guide to it,
and :data:`GUIDE` says where the fuller one is). Empty commitments are absent.

A commitment holds at most :data:`TEXT_LIMIT` characters, so that all of them, in full, fit
on page one of the printed plan beside the first and final position. A longer text is
refused with a sentence saying so, never cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["GUIDE", "KINDS", "OPTIONAL", "TEXT_LIMIT", "too_long", "validate"]

KINDS = ("keep", "stop", "calendar", "conversation")
#: The kinds offered beside the three every participant writes.
OPTIONAL = ("conversation",)
#: Where the facilitator guide's fuller guide to the role-design conversation lives, from the
#: top of the kit's repository. Notebook 05 names it (an installed kit carries no guide to link
#: to); the widget carries its short version, the ``commit_conversation_guide`` words.
GUIDE = "facilitator-guide/after-the-workshop.md#the-role-design-conversation-with-my-manager"
#: The most characters one commitment may hold (all of them fit on page one of the plan).
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
