"""Load and validate the kit's content files into frozen models.

Content is data: YAML files a facilitator can edit (see ``kit/content/README.md``). Loading
checks every file, every entry and every cross-reference, and reports *all* problems at once
in a :class:`ContentError` whose lines name the file, the entry id and the field.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "ROLE_IDS",
    "Activity",
    "Card",
    "Content",
    "ContentError",
    "ContextQuestion",
    "Pair",
    "ReferenceLine",
    "Role",
    "Source",
    "Statement",
    "Theme",
    "Week",
    "load_content",
    "packaged_content_dir",
]

ENV_CONTENT = "WORKSHOP_KIT_CONTENT"

#: The role ids shared by the week profiles and the questionnaire (design.md, Contracts).
ROLE_IDS = ("senior_ic", "tech_lead", "architect", "solver", "right_hand", "eng_manager")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")


class ContentError(ValueError):
    """Content that cannot be used, with one line per problem.

    Parameters
    ----------
    problems
        Each problem as a full sentence naming file, entry id and field.
    """

    def __init__(self, problems: Iterable[str]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the kit's content:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


# --------------------------------------------------------------------------- models
class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


def _text() -> Any:
    return Field(min_length=1)


class Source(_Model):
    """A citable source: who, what, when, where."""

    id: str
    author: str = _text()
    title: str = _text()
    year: int | Literal["n.d."] = Field(description='a year such as 2020, or "n.d."')
    venue: str | None = None
    url: str | None = None
    note: str | None = None

    def citation(self) -> str:
        """Return the source as one plain-text citation: author, title, venue, year."""
        parts = [self.author, f"\u201c{self.title}\u201d"]
        if self.venue:
            parts.append(self.venue)
        parts.append(str(self.year))
        return ", ".join(parts) + "."


class Theme(_Model):
    """A category of the card sort (``ground_truth``, ``insecurity``, ...)."""

    id: str
    label: str = _text()
    description: str = _text()


class Card(_Model):
    """One reason a leader keeps doing hands-on work."""

    id: str
    text: str = Field(min_length=1, max_length=200)
    reading: Literal["healthy", "watch"]
    theme: str
    note: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


class Pair(_Model):
    """Two look-alike cards that differ in motive, for the debrief."""

    id: str
    cards: tuple[str, str]
    prompt: str = _text()


class Activity(_Model):
    """One slice of a working week."""

    id: str
    label: str = Field(min_length=1, max_length=40)
    counts: str = _text()
    tags: tuple[Literal["hands_on", "meeting"], ...] = ()


class ReferenceLine(_Model):
    """A sourced fact shown beside the week (e.g. typical meeting load)."""

    id: str
    activity: str | None = None
    hours: float = Field(ge=0)
    total: float = Field(default=40, gt=0)
    text: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


class Week(_Model):
    """A reference week: hours per activity, adding up to its own total."""

    total: float = Field(gt=0)
    hours: dict[str, float]
    sources: tuple[str, ...] = Field(min_length=1)

    def shares(self) -> dict[str, float]:
        """Return each activity's share of the week (0..1)."""
        return {k: v / self.total for k, v in self.hours.items()}


class Role(_Model):
    """A leadership shape: a reference week and, when scored, a questionnaire result."""

    id: str
    label: str = _text()
    summary: str = _text()
    description: str = _text()
    scored: bool
    sources: tuple[str, ...] = Field(min_length=1)
    week: Week


class Statement(_Model):
    """One questionnaire statement with its weight for every scored role."""

    id: str
    text: str = _text()
    weights: dict[str, int]
    rationale: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


class ContextQuestion(_Model):
    """A question about the participant's organisation, kept out of the score."""

    id: str
    text: str = _text()
    flags: tuple[str, ...] = Field(min_length=1)
    low_note: str = _text()
    sources: tuple[str, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Content:
    """All validated content; every item has a stable ``.id``."""

    sources: tuple[Source, ...]
    themes: tuple[Theme, ...]
    cards: tuple[Card, ...]
    pairs: tuple[Pair, ...]
    activities: tuple[Activity, ...]
    reference_lines: tuple[ReferenceLine, ...]
    roles: tuple[Role, ...]
    statements: tuple[Statement, ...]
    context: tuple[ContextQuestion, ...]
    scale: Mapping[int, str]
    ui: Mapping[str, str]
    origin: str = field(default="packaged", compare=False)

    @functools.cached_property
    def by_id(self) -> Mapping[str, Mapping[str, Any]]:
        """Lookup tables: ``content.by_id["cards"]["faster_myself"]``."""
        kinds = (
            "sources",
            "themes",
            "cards",
            "pairs",
            "activities",
            "reference_lines",
            "roles",
            "statements",
            "context",
        )
        return {k: {item.id: item for item in getattr(self, k)} for k in kinds}

    def text(self, key: str, **values: Any) -> str:
        """Return the UI string ``key`` with ``{placeholders}`` filled in."""
        template = self.ui[key]
        return template.format(**values) if values else template

    @property
    def scored_roles(self) -> tuple[Role, ...]:
        """The roles the questionnaire scores (all but the Senior IC baseline)."""
        return tuple(r for r in self.roles if r.scored)


# --------------------------------------------------------------------------- files
# file name -> (top-level key, model, entry noun) for the list sections of each file.
_LISTS: dict[str, tuple[tuple[str, type[_Model], str], ...]] = {
    "sources.yaml": (("sources", Source, "source"),),
    "themes.yaml": (("themes", Theme, "theme"),),
    "cards.yaml": (("cards", Card, "card"), ("pairs", Pair, "pair")),
    "activities.yaml": (
        ("activities", Activity, "activity"),
        ("reference_lines", ReferenceLine, "reference line"),
    ),
    "roles.yaml": (("roles", Role, "role"),),
    "statements.yaml": (
        ("statements", Statement, "statement"),
        ("context", ContextQuestion, "context question"),
    ),
}
_OTHER_KEYS = {"statements.yaml": ("scale",)}
CONTENT_FILES = (*_LISTS, "ui.yaml", "story.yaml")  # story.yaml: the opener, read as a whole


def packaged_content_dir() -> Path:
    """Return the folder of the content that ships with the kit."""
    return Path(str(resources.files("kit") / "content"))


def load_content(path: str | os.PathLike[str] | None = None) -> Content:
    """Load and validate the workshop content.

    Parameters
    ----------
    path
        A facilitator's content folder. It may hold only the files it changes; the rest
        come from the packaged content. ``None`` means ``$WORKSHOP_KIT_CONTENT`` when set,
        else the packaged content.

    Returns
    -------
    Content
        Frozen, cross-checked content.

    Raises
    ------
    ContentError
        Listing every problem found, each naming file, entry id and field.
    """
    if path is None:
        path = os.environ.get(ENV_CONTENT) or None
    custom = Path(path).expanduser().resolve() if path is not None else None
    return _load_cached(custom, _fingerprint(custom))


def _fingerprint(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the files involved, so edits invalidate the cache."""
    folders = [packaged_content_dir()] + ([folder] if folder and folder.is_dir() else [])
    out = []
    for d in folders:
        for p in sorted(d.glob("*.y*ml")):
            st = p.stat()
            out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _load_cached(custom: Path | None, _fingerprint: tuple) -> Content:
    return _Loader(custom).load()


class _Loader:
    def __init__(self, custom: Path | None):
        self.custom = custom
        self.packaged = packaged_content_dir()
        self.problems: list[str] = []

    # ---- helpers
    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def where(self, filename: str) -> str:
        """Show a file as the facilitator knows it: theirs by path, ours by name."""
        if self.custom is not None and (self.custom / filename).is_file():
            return str(self.custom / filename)
        return f"{filename} (packaged)"

    def read(self, filename: str, base: Path) -> Any:
        p = base / filename
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problem(str(p), f"is not UTF-8 text ({exc.reason}); save it as UTF-8.")
            return None
        except OSError as exc:
            self.problem(str(p), f"cannot be read ({exc.strerror}).")
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            reason = getattr(exc, "problem", None) or str(exc)
            self.problem(
                str(p),
                f"is not valid YAML{at}: {reason}. Check the indentation "
                "and quote text that contains ': ' or starts with a symbol.",
            )
            return None

    # ---- main
    def load(self) -> Content:
        if self.custom is not None:
            if not self.custom.is_dir():
                raise ContentError(
                    [
                        f"{self.custom}: no such folder. Give the path of a "
                        "folder holding some of: " + ", ".join(CONTENT_FILES)
                    ]
                )
            for p in sorted(self.custom.glob("*.y*ml")):
                if p.name not in CONTENT_FILES:
                    self.problem(
                        str(p),
                        "is not a content file the kit knows; expected one "
                        f"of {', '.join(CONTENT_FILES)} (check the spelling).",
                    )
        sections: dict[str, tuple] = {}
        raw_other: dict[str, Any] = {}
        for filename, lists in _LISTS.items():
            base = (
                self.custom if self.custom and (self.custom / filename).is_file() else self.packaged
            )
            data = self.read(filename, base)
            where = self.where(filename)
            if data is None:
                if not any(where in p for p in self.problems):
                    self.problem(
                        where,
                        "is empty; it needs " + ", ".join(f"'{k}:'" for k, _, _ in lists) + ".",
                    )
                data = {}
            if not isinstance(data, dict):
                self.problem(
                    where,
                    "should be a mapping with the keys "
                    + ", ".join(f"'{k}'" for k, _, _ in lists)
                    + f", not a {type(data).__name__}.",
                )
                data = {}
            allowed = {k for k, _, _ in lists} | set(_OTHER_KEYS.get(filename, ()))
            for key in data:
                if key not in allowed:
                    self.problem(
                        where,
                        f"unknown top-level key '{key}'; expected "
                        + ", ".join(sorted(allowed))
                        + ".",
                    )
            for key, model, noun in lists:
                sections[key] = self.entries(where, data.get(key), key, model, noun)
            for key in _OTHER_KEYS.get(filename, ()):
                raw_other[key] = (where, data.get(key))
        scale = self.scale(*raw_other["scale"])
        ui = self.ui()
        content = Content(
            sources=sections["sources"],
            themes=sections["themes"],
            cards=sections["cards"],
            pairs=sections["pairs"],
            activities=sections["activities"],
            reference_lines=sections["reference_lines"],
            roles=sections["roles"],
            statements=sections["statements"],
            context=sections["context"],
            scale=scale,
            ui=ui,
            origin=str(self.custom) if self.custom else "packaged",
        )
        self.cross_check(content)
        if self.problems:
            raise ContentError(self.problems)
        return content

    def entries(self, where: str, raw: Any, key: str, model: type[_Model], noun: str) -> tuple:
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            self.problem(
                where,
                f"'{key}' should be a list of entries (lines starting with "
                f"'- id: ...'), not a {type(raw).__name__}.",
            )
            return ()
        out, seen = [], set()
        for index, entry in enumerate(raw, start=1):
            label = f"{noun} #{index}"
            if not isinstance(entry, dict):
                self.problem(
                    f"{where}, {label}",
                    "should be a mapping of fields (id, ...), not a " + type(entry).__name__ + ".",
                )
                continue
            ident = entry.get("id")
            if not isinstance(ident, str) or not _ID_RE.match(ident):
                self.problem(
                    f"{where}, {label}",
                    "field 'id': expected lower-case letters, "
                    f"digits and underscores starting with a letter, got {ident!r}.",
                )
            else:
                label = f"{noun} '{ident}'"
                if ident in seen:
                    self.problem(
                        f"{where}, {label}",
                        f"field 'id': duplicate id; every {noun} needs its own.",
                    )
                    continue
                seen.add(ident)
            try:
                out.append(model.model_validate(entry))
            except ValidationError as exc:
                for err in exc.errors():
                    self.problem(f"{where}, {label}", _describe(err, model))
        return tuple(out)

    def scale(self, where: str, raw: Any) -> dict[int, str]:
        if (
            not isinstance(raw, dict)
            or sorted(raw) != [1, 2, 3, 4, 5]
            or not all(isinstance(v, str) and v.strip() for v in raw.values())
        ):
            self.problem(
                f"{where}, scale",
                "expected the labels of the answers 1 to 5, "
                "e.g. '1: Strongly disagree' ... '5: Strongly agree'.",
            )
            return {i: str(i) for i in range(1, 6)}
        return {int(k): v for k, v in sorted(raw.items())}

    def ui(self) -> dict[str, str]:
        base = self.read("ui.yaml", self.packaged)
        if not isinstance(base, dict):
            self.problem("ui.yaml (packaged)", "should be a mapping of text keys.")
            return {}
        merged = dict(base)
        if self.custom and (self.custom / "ui.yaml").is_file():
            where = str(self.custom / "ui.yaml")
            own = self.read("ui.yaml", self.custom)
            if own is None:
                own = {}
            if not isinstance(own, dict):
                self.problem(
                    where,
                    "should be a mapping of text keys, e.g. 'bucket_watch: Worth a second look'.",
                )
                own = {}
            for key, value in own.items():
                if key not in base:
                    self.problem(
                        where,
                        f"key '{key}': not a text the kit shows; check the "
                        "spelling against the packaged ui.yaml.",
                    )
                elif not isinstance(value, str) or not value.strip():
                    self.problem(where, f"key '{key}': expected some text, got {value!r}.")
                elif set(_PLACEHOLDER_RE.findall(value)) != set(_PLACEHOLDER_RE.findall(base[key])):
                    need = ", ".join(
                        "{" + p + "}" for p in sorted(set(_PLACEHOLDER_RE.findall(base[key])))
                    )
                    self.problem(
                        where,
                        f"key '{key}': keep exactly the placeholders "
                        f"{need or '(none)'} in the text.",
                    )
                else:
                    merged[key] = value
        return merged

    def cross_check(self, c: Content) -> None:
        source_ids = {s.id for s in c.sources}
        theme_ids = {t.id for t in c.themes}
        card_ids = {k.id for k in c.cards}
        activity_ids = [a.id for a in c.activities]
        role_ids = {r.id for r in c.roles}
        scored = [r.id for r in c.roles if r.scored]

        def check_sources(filename: str, noun: str, item: Any, keys: Iterable[str]) -> None:
            for key in keys:
                if key not in source_ids:
                    self.problem(
                        f"{self.where(filename)}, {noun} '{item.id}'",
                        f"field 'sources': '{key}' is not an id in sources.yaml.",
                    )

        for card in c.cards:
            if card.theme not in theme_ids:
                self.problem(
                    f"{self.where('cards.yaml')}, card '{card.id}'",
                    f"field 'theme': '{card.theme}' is not a theme id; expected one "
                    f"of {', '.join(sorted(theme_ids))}.",
                )
            check_sources("cards.yaml", "card", card, card.sources)
        for pair in c.pairs:
            for cid in pair.cards:
                if cid not in card_ids:
                    self.problem(
                        f"{self.where('cards.yaml')}, pair '{pair.id}'",
                        f"field 'cards': '{cid}' is not a card id.",
                    )
            if pair.cards[0] == pair.cards[1]:
                self.problem(
                    f"{self.where('cards.yaml')}, pair '{pair.id}'",
                    "field 'cards': expected two different cards.",
                )
        for line in c.reference_lines:
            if line.activity is not None and line.activity not in activity_ids:
                self.problem(
                    f"{self.where('activities.yaml')}, reference line '{line.id}'",
                    f"field 'activity': '{line.activity}' is not an activity id.",
                )
            check_sources("activities.yaml", "reference line", line, line.sources)
        for role in c.roles:
            where = f"{self.where('roles.yaml')}, role '{role.id}'"
            if role.id not in ROLE_IDS:
                self.problem(
                    where,
                    f"field 'id': unknown role; the roles are "
                    f"{', '.join(ROLE_IDS)} (rename with the 'label' field).",
                )
            check_sources("roles.yaml", "role", role, role.sources)
            check_sources("roles.yaml", "role", role, role.week.sources)
            hours = role.week.hours
            for aid in activity_ids:
                if aid not in hours:
                    self.problem(
                        where,
                        f"field 'week.hours': no hours for activity '{aid}' "
                        "(write 0 if the role spends none).",
                    )
            for aid, h in hours.items():
                if aid not in activity_ids:
                    self.problem(
                        where, f"field 'week.hours.{aid}': not an activity id in activities.yaml."
                    )
                if h < 0 or not math.isfinite(h):
                    self.problem(
                        where, f"field 'week.hours.{aid}': expected 0 or more hours, got {h}."
                    )
            total = sum(hours.values())
            if not math.isclose(total, role.week.total, abs_tol=1e-6):
                self.problem(
                    where,
                    f"field 'week.hours': the hours add up to {total:g}, but "
                    f"'week.total' says {role.week.total:g}; make them agree.",
                )
        for rid in ROLE_IDS:
            if c.roles and rid not in role_ids:
                self.problem(
                    self.where("roles.yaml"),
                    f"role '{rid}' is missing; every role id is needed: {', '.join(ROLE_IDS)}.",
                )
        if not c.activities:
            self.problem(self.where("activities.yaml"), "'activities' has no entries.")
        for st in c.statements:
            where = f"{self.where('statements.yaml')}, statement '{st.id}'"
            for rid in scored:
                if rid not in st.weights:
                    self.problem(
                        where,
                        f"field 'weights': no weight for role '{rid}' "
                        "(write 0 if the statement says nothing about it).",
                    )
            for rid, w in st.weights.items():
                if rid not in scored:
                    self.problem(
                        where,
                        f"field 'weights.{rid}': not a scored role id; "
                        f"expected {', '.join(scored)}.",
                    )
                if not -2 <= w <= 2:
                    self.problem(
                        where,
                        f"field 'weights.{rid}': expected a whole number from -2 to 2, got {w}.",
                    )
            check_sources("statements.yaml", "statement", st, st.sources)
        for q in c.context:
            for rid in q.flags:
                if rid not in role_ids:
                    self.problem(
                        f"{self.where('statements.yaml')}, context question '{q.id}'",
                        f"field 'flags': '{rid}' is not a role id.",
                    )
            check_sources("statements.yaml", "context question", q, q.sources)
        ids_in_both = {s.id for s in c.statements} & {q.id for q in c.context}
        for ident in sorted(ids_in_both):
            self.problem(
                self.where("statements.yaml"),
                f"id '{ident}' is used by a statement and a context question; ids must be unique.",
            )
        for card in c.cards:
            if card.id.startswith("own_"):
                self.problem(
                    f"{self.where('cards.yaml')}, card '{card.id}'",
                    "field 'id': ids starting with 'own_' are kept for participants' own cards.",
                )


def _describe(err: Mapping[str, Any], model: type[_Model]) -> str:
    """Turn one pydantic error into 'field X: what is wrong; what is expected'."""
    loc = ".".join(str(p) for p in err["loc"]) or "(entry)"
    kind = err["type"]
    top = str(err["loc"][0]) if err["loc"] else ""
    info = model.model_fields.get(top)
    hint = f" ({info.description})" if info is not None and info.description else ""
    if kind == "missing":
        return f"field '{loc}': missing; this field is required{hint}."
    if kind == "extra_forbidden":
        known = ", ".join(model.model_fields)
        return f"field '{loc}': not a field the kit knows; expected only {known}."
    got = err.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    return f"field '{loc}': {err['msg']}{hint}; got {shown}."
