"""The frozen models of the kit's content: one class per kind of entry.

Public through :mod:`kit.content`, which loads the YAML files into these models and
cross-checks them; this module only says what one entry may hold.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: The role ids shared by the week profiles and the questionnaire.
ROLE_IDS = (
    "senior_ic",
    "tech_lead",
    "architect",
    "solver",
    "right_hand",
    "tech_lead_manager",
    "eng_manager",
)
#: Longest text of any field or on-screen word; the longest packaged one is under 600.
MAX_TEXT_LENGTH = 2000
#: Links in sources may open web pages or write an e-mail, nothing else (no javascript:).
URL_SCHEMES = ("https", "http", "mailto")


class ContentModel(BaseModel):
    """What every entry shares: frozen, no unknown fields, no text over the limit."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=False, str_max_length=MAX_TEXT_LENGTH
    )


def _text() -> Any:
    return Field(min_length=1)


class Source(ContentModel):
    """A citable source: who, what, when, where."""

    id: str
    author: str = _text()
    title: str = _text()
    year: int | Literal["n.d."] = Field(description='a year such as 2020, or "n.d."')
    venue: str | None = None
    url: str | None = None
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _web_or_mail(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url)
        if (
            any(ch.isspace() or not ch.isprintable() for ch in url)
            or parts.scheme.lower() not in URL_SCHEMES
            or (parts.scheme.lower() != "mailto" and not parts.netloc)
        ):
            raise ValueError("expected an address starting with https://, http:// or mailto:")
        return url

    def citation(self) -> str:
        """Return the source as one plain-text citation: author, title, venue, year.

        It ends in one full stop, also when the year is "n.d.".
        """
        parts = [self.author, f"\u201c{self.title}\u201d"]
        if self.venue:
            parts.append(self.venue)
        parts.append(str(self.year))
        text = ", ".join(parts)
        return text if text.endswith(".") else text + "."


class Theme(ContentModel):
    """A category of the card sort (``ground_truth``, ``insecurity``, ...)."""

    id: str
    label: str = _text()
    description: str = _text()


class Card(ContentModel):
    """One reason a leader keeps doing hands-on work."""

    id: str
    text: str = Field(min_length=1, max_length=200)
    reading: Literal["healthy", "watch"]
    theme: str
    note: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


class Pair(ContentModel):
    """Two look-alike cards that differ in motive, for the debrief."""

    id: str
    cards: tuple[str, str]
    prompt: str = _text()


class Activity(ContentModel):
    """One slice of a working week."""

    id: str
    label: str = Field(min_length=1, max_length=40)
    counts: str = _text()
    tags: tuple[Literal["hands_on", "meeting"], ...] = ()


class ReferenceLine(ContentModel):
    """A sourced fact shown beside the week (e.g. typical meeting load)."""

    id: str
    activity: str | None = None
    hours: float = Field(ge=0)
    total: float = Field(default=40, gt=0)
    text: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


class Week(ContentModel):
    """A reference week: hours per activity, adding up to its own total."""

    total: float = Field(gt=0)
    hours: dict[str, float]
    sources: tuple[str, ...] = Field(min_length=1)

    def shares(self) -> dict[str, float]:
        """Return each activity's share of the week (0..1)."""
        return {k: v / self.total for k, v in self.hours.items()}


class Role(ContentModel):
    """A leadership shape: a reference week and, when scored, a questionnaire result."""

    id: str
    label: str = _text()
    summary: str = _text()
    description: str = _text()
    scored: bool
    sources: tuple[str, ...] = Field(min_length=1)
    week: Week


class Statement(ContentModel):
    """One questionnaire statement with its weight for every scored role."""

    id: str
    text: str = _text()
    weights: dict[str, int]
    rationale: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


class ContextQuestion(ContentModel):
    """A question about the participant's organisation, kept out of the score."""

    id: str
    text: str = _text()
    flags: tuple[str, ...] = Field(min_length=1)
    low_note: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)
