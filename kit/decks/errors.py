"""The one error of deck building."""

from __future__ import annotations

__all__ = ["DeckError"]


class DeckError(RuntimeError):
    """A deck could not be built; the message says which notebook or file and why."""
