"""The one registry of exercises: what each is called and how its answers are handled.

Every part of the kit that treats exercises alike (the answers store, the room, the room
charts, the last page, the widgets) looks an exercise up here instead of keeping its own
table keyed by name. Adding an exercise means one entry here, one logic module, one widget.

This module is pure logic: it imports the logic modules and the content models, never
ipywidgets or matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from kit import allocation, archetypes, commitments, motivations
from kit.content import Content

__all__ = ["EXERCISES", "Exercise", "get", "names", "room_exercises"]


def _no_unknown_ids(value: dict, content: Content) -> tuple[dict, dict]:
    return value, {}


@dataclass(frozen=True)
class Exercise:
    """One exercise of the workshop.

    Attributes
    ----------
    name
        The stable id, also the stem of its answers file (``NAME.json``).
    words
        How the kit names it in sentences to the participant ("card sort").
    empty
        ``empty(content) -> value``: the value with nothing answered.
    validate
        ``validate(value) -> value``: checks the shape; raises ``ValueError``.
    split_known
        ``split_known(value, content) -> (known, kept)``: answers this content knows, and
        answers for ids it no longer has (kept in the file, never dropped).
    shared
        Whether people may share it with a room.
    """

    name: str
    words: str
    empty: Callable[[Content], dict]
    validate: Callable[[Any], dict]
    split_known: Callable[[dict, Content], tuple[dict, dict]]
    shared: bool = False


EXERCISES: Mapping[str, Exercise] = MappingProxyType(
    {
        e.name: e
        for e in (
            Exercise(
                name="motivations",
                words="card sort",
                empty=lambda content: motivations.empty(),
                validate=motivations.validate,
                split_known=motivations.split_known,
                shared=True,
            ),
            Exercise(
                name="allocation",
                words="week",
                empty=lambda content: allocation.empty(content),
                validate=allocation.validate,
                split_known=allocation.split_known,
                shared=True,
            ),
            Exercise(
                name="archetypes",
                words="questionnaire",
                empty=lambda content: archetypes.empty(),
                validate=archetypes.validate,
                split_known=archetypes.split_known,
                shared=True,
            ),
            Exercise(
                name="commitments",
                words="commitments",
                empty=lambda content: {},
                validate=commitments.validate,
                split_known=_no_unknown_ids,
            ),
        )
    }
)


def get(name: str) -> Exercise:
    """Return the exercise called ``name``; a ``ValueError`` names the known ones."""
    try:
        return EXERCISES[name]
    except KeyError:
        raise ValueError(
            f"unknown exercise {name!r}; expected one of {', '.join(EXERCISES)}"
        ) from None


def names() -> tuple[str, ...]:
    """Return the names of every exercise, in the order of the workshop."""
    return tuple(EXERCISES)


def room_exercises() -> tuple[str, ...]:
    """Return the names of the exercises a participant may share with a room."""
    return tuple(e.name for e in EXERCISES.values() if e.shared)
