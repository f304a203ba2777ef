"""Pure logic of the first and the final position: where the participant leans.

Notebook 01 asks, right after the opening story, where the participant leans today; notebook
05 asks again at the close and shows the first answer beside the new one, and page one of the
report prints both. Each is its own exercise (``first_position``, ``final_position``), so the
two notebooks, which run in separate kernels, never write the same file.

The value, the widget's ``.value``, is ``{"lean": LEAN, "why": text}``: ``lean`` one of
:data:`LEANS`, ``why`` one optional line of at most :data:`WHY_LIMIT` characters. Unanswered
parts are absent, so nothing answered is ``{}``. The words shown for each lean are the
``position_lean_<lean>`` keys of the content's ``ui.yaml``. Positions are private: the
registry gives them no room share. Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kit.content import Content

__all__ = [
    "LEANS",
    "WHY_LIMIT",
    "empty",
    "lean_label",
    "position_text",
    "split_known",
    "validate",
]

#: Where a participant can lean: stay a builder, a hybrid role, management, not sure yet.
LEANS = ("keep_building", "hybrid", "manage", "unsure")
#: The most characters the one-line "why" may hold.
WHY_LIMIT = 200


def empty() -> dict:
    """Return the value of a position not taken yet."""
    return {}


def validate(value: Any) -> dict:
    """Check a position and return it as a new dict, without an empty ``why``.

    Raises
    ------
    ValueError
        Naming the field that is wrong and what is expected.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"a position must be a dict, got {type(value).__name__}")
    unknown = sorted(str(k) for k in set(value) - {"lean", "why"})
    if unknown:
        raise ValueError(f"unknown key(s) {unknown} in a position; expected 'lean' and 'why'")
    out: dict[str, str] = {}
    lean = value.get("lean")
    if lean is not None:
        if lean not in LEANS:
            raise ValueError(f"'lean' must be one of {', '.join(LEANS)}, got {lean!r}")
        out["lean"] = lean
    why = value.get("why")
    if why is not None:
        if not isinstance(why, str):
            raise ValueError(f"'why' must be text, got {type(why).__name__}")
        if "\n" in why or "\r" in why:
            raise ValueError("'why' must be one line (no line breaks)")
        if len(why) > WHY_LIMIT:
            raise ValueError(f"'why' is {len(why)} characters long; at most {WHY_LIMIT} fit")
        if why.strip():
            out["why"] = why
    return out


def split_known(value: dict, content: Content) -> tuple[dict, dict]:
    """Every valid position is known to any content: nothing to keep aside."""
    return value, {}


def lean_label(lean: str, content: Content) -> str:
    """Return the content's words for ``lean`` ("Keep building")."""
    return content.text(f"position_lean_{lean}")


def position_text(value: Mapping[str, str] | None, content: Content) -> str:
    """Return a position as one line ("A hybrid role: I want both"), or ``""`` when empty."""
    if not value:
        return ""
    lean = value.get("lean")
    why = (value.get("why") or "").strip()
    label = lean_label(lean, content) if lean in LEANS else ""
    if label and why:
        return f"{label}: {why}"
    return label or why
