"""The one registry of exercises: what each is called and how its answers are handled.

Every part of the kit that treats exercises alike (the answers store, the room, the room
charts, the last page, the widgets) looks an exercise up here instead of keeping its own
table keyed by name. Adding an exercise means one entry here, one logic module, one widget.

This module is pure logic: it imports the logic modules, the content models and the two
pure parts of the room (:mod:`kit.room.shares`, :mod:`kit.room.pictures`, which import
nothing of the registry), never ipywidgets or matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from kit import allocation, archetypes, commitments, motivations, positions
from kit.content import Content
from kit.room import pictures, shares

__all__ = ["EXERCISES", "Exercise", "get", "names", "room_exercise", "room_exercises"]


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
    room_payload
        ``room_payload(value, content) -> dict | None``: what a share with the room holds
        (see :mod:`kit.room.shares`); ``None`` while there is nothing to say. ``None`` for an
        exercise that is never shared.
    check_share
        ``check_share(data) -> data``: the whitelist a share's data must pass; raises
        ``ValueError``.
    aggregate
        ``aggregate(items, content) -> picture``: the room's picture from the shares' data
        (see :mod:`kit.room.pictures`).
    chart_name
        The name of its room chart's files (``CODE-<chart_name>.png``).
    """

    name: str
    words: str
    empty: Callable[[Content], dict]
    validate: Callable[[Any], dict]
    split_known: Callable[[dict, Content], tuple[dict, dict]]
    room_payload: Callable[[Mapping[str, Any], Content], dict | None] | None = None
    check_share: Callable[[Any], dict] | None = None
    aggregate: Callable[[Iterable[Mapping[str, Any]], Content], pictures.Picture] | None = None
    chart_name: str = ""

    def __post_init__(self) -> None:
        parts = (self.room_payload, self.check_share, self.aggregate, self.chart_name)
        if any(parts) and not all(parts):
            raise ValueError(f"exercise {self.name!r}: give every room part, or none")

    @property
    def shared(self) -> bool:
        """Whether people may share it with a room."""
        return self.room_payload is not None


EXERCISES: Mapping[str, Exercise] = MappingProxyType(
    {
        e.name: e
        for e in (
            # Private: no room parts, so no share can ever carry a position.
            Exercise(
                name="first_position",
                words="first position",
                empty=lambda content: positions.empty(),
                validate=positions.validate,
                split_known=positions.split_known,
            ),
            Exercise(
                name="motivations",
                words="card sort",
                empty=lambda content: motivations.empty(),
                validate=motivations.validate,
                split_known=motivations.split_known,
                room_payload=shares.motivations_payload,
                check_share=shares.check_cards,
                aggregate=pictures.aggregate_cards,
                chart_name="cards",
            ),
            Exercise(
                name="allocation",
                words="week",
                empty=lambda content: allocation.empty(content),
                validate=allocation.validate,
                split_known=allocation.split_known,
                room_payload=shares.allocation_payload,
                check_share=shares.check_week,
                aggregate=pictures.aggregate_week,
                chart_name="week",
            ),
            Exercise(
                name="archetypes",
                words="questionnaire",
                empty=lambda content: archetypes.empty(),
                validate=archetypes.validate,
                split_known=archetypes.split_known,
                room_payload=shares.archetypes_payload,
                check_share=shares.check_shapes,
                aggregate=pictures.aggregate_shapes,
                chart_name="shapes",
            ),
            Exercise(
                name="final_position",
                words="final position",
                empty=lambda content: positions.empty(),
                validate=positions.validate,
                split_known=positions.split_known,
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


def room_exercise(name: str) -> Exercise:
    """Return the exercise ``name`` if a room collects it; a ``ValueError`` names those it does."""
    exercise = EXERCISES.get(name)
    if exercise is None or not exercise.shared:
        raise ValueError(
            f"unknown exercise {name!r}; a room collects {', '.join(room_exercises())}"
        )
    return exercise
