"""The room's pair-work and timing slides (``kit/templates/room.yaml``), checked on load.

A facilitator edits the YAML by hand (or a copy of it, ``workshop-kit slides --room FILE``),
so every mistake is reported at once, naming the file, the deck and slide, and the field;
the file's shape is a pydantic model, not hand-written checks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kit._resources import templates_dir
from kit.decks.errors import DeckError

__all__ = ["ROOM_FILE", "RoomSlide", "RoomStep", "load_room"]

#: The kit's own room slides.
ROOM_FILE = templates_dir() / "room.yaml"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RoomStep(_Model):
    """One timed step of a room activity: how long, who with whom, what to do."""

    minutes: float = Field(gt=0, strict=True)  # strict: `yes` or "3" is a mistake, not 1 or 3
    who: _Text
    do: _Text


class _Slide(_Model):
    """One slide as written in the file (the notebook is its key there)."""

    title: _Text
    after: str | None = None
    steps: tuple[RoomStep, ...] | None = None
    prompt: str | None = None
    notes: str | None = None


class _RoomFile(_Model):
    decks: dict[str, list[_Slide]]


class RoomSlide(_Model):
    """A pair-work or timing slide added to one notebook's deck.

    Attributes
    ----------
    notebook
        The notebook's file name without ``.ipynb``.
    title
        The slide's heading.
    after
        The heading of the slide it follows; ``None`` puts it at the end of the deck.
    steps
        The timed steps, in order.
    prompt
        A question or instruction shown under the steps, or ``None``.
    notes
        Speaker notes: what to say, and the prompts to give.
    """

    notebook: str
    title: str
    after: str | None = None
    steps: tuple[RoomStep, ...] = ()
    prompt: str | None = None
    notes: str | None = None

    @property
    def minutes(self) -> float:
        """The minutes of all steps together."""
        return sum(s.minutes for s in self.steps)


def _where(path: Path, loc: tuple[Any, ...], data: Any) -> tuple[str, tuple[Any, ...]]:
    """Say where an error is, in the file's own terms; return that and the field's path."""
    if len(loc) < 2 or loc[0] != "decks":
        return str(path), loc
    deck = f"{path}, deck '{loc[1]}'"
    if len(loc) < 3 or not isinstance(loc[2], int):
        return deck, loc[2:]
    where = f"{deck}, slide {loc[2] + 1}"
    try:
        title = data["decks"][loc[1]][loc[2]].get("title")
    except (AttributeError, KeyError, IndexError, TypeError):
        title = None
    if isinstance(title, str) and title.strip():
        where += f" ('{title.strip()}')"
    rest = loc[3:]
    if len(rest) >= 2 and rest[0] == "steps" and isinstance(rest[1], int):
        return f"{where}, step {rest[1] + 1}", rest[2:]
    return where, rest


_SLIDE_FIELDS = "title, after, steps, prompt, notes"
_STEP_FIELDS = "minutes, who, do"


def _describe(path: Path, error: Mapping[str, Any], data: Any) -> str:
    where, field = _where(path, tuple(error["loc"]), data)
    name = ".".join(str(p) for p in field)
    in_step = ", step " in where
    if not name:
        if error["type"] == "list_type":
            return f"{where}: expected a list of slides."
        if in_step:
            return f"{where}: expected a step with the fields {_STEP_FIELDS}."
        return f"{where}: expected a slide with the fields {_SLIDE_FIELDS}."
    if error["type"] == "extra_forbidden":
        known = _STEP_FIELDS if in_step else _SLIDE_FIELDS
        return f"{where}: field '{name}' is not one the kit knows; expected {known}."
    if error["type"] == "missing":
        return f"{where}: field '{name}' is missing."
    if name == "minutes":
        return f"{where}: field 'minutes' should be a number above 0; got {error['input']!r}."
    if name in ("title", "who", "do"):
        return f"{where}: field '{name}' needs some text."
    return f"{where}: field '{name}': {error['msg']}."


def load_room(path: str | os.PathLike[str] | None = None) -> tuple[RoomSlide, ...]:
    """Read the room slides (pair work and timing) from ``path`` or the kit's own file.

    Raises
    ------
    DeckError
        Listing every problem, each naming the file, the deck and slide, and the field.
    """
    path = Path(path) if path is not None else ROOM_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DeckError(f"{path}: cannot be read as YAML ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("decks"), dict):
        raise DeckError(
            f"{path}: expected a mapping 'decks:' of notebook names to lists of slides."
        )
    try:
        room = _RoomFile.model_validate(data)
    except ValidationError as exc:
        raise DeckError("\n".join(_describe(path, e, data) for e in exc.errors())) from exc
    return tuple(
        RoomSlide(notebook=notebook, **slide.model_dump(exclude={"steps"}), steps=slide.steps or ())
        for notebook, slides in room.decks.items()
        for slide in slides
    )
