"""Load and validate the kit's content files into frozen models.

Content is data: YAML files a facilitator can edit (see ``kit/content/README.md``). Loading
checks every file, every entry and every cross-reference, and reports *all* problems at once
in a :class:`ContentError` whose lines name the file, the entry id and the field.

A facilitator's folder is read within bounds (regular files only, sizes, counts and aliases
limited, see ``kit._yaml``; the kit's own files are parsed faster, by libyaml), and nothing
in it is ever evaluated: an on-screen text's ``{placeholders}`` are plain names, filled in
by ``kit._ui_text``. The models of the entries live in ``kit._content_models`` and the
cross-references are checked in ``kit._content_checks``; all of them are public from here.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kit._content_checks import cross_check, describe, shown
from kit._content_error import ENV_CONTENT, ContentError
from kit._content_models import (
    MAX_TEXT_LENGTH,
    ROLE_IDS,
    URL_SCHEMES,
    Activity,
    Card,
    ContentModel,
    ContextQuestion,
    Pair,
    ReferenceLine,
    Role,
    Source,
    Statement,
    Theme,
    Week,
)
from kit._ui_text import fill, placeholders
from kit._yaml import YamlProblem, read_yaml

__all__ = [
    "DEFAULT_WEEK_HOURS",
    "MAX_ACTIVITIES",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_ID_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_WEEK_HOURS",
    "MIN_WEEK_HOURS",
    "ROLE_IDS",
    "URL_SCHEMES",
    "WEEK_STEP",
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


#: Most entries in any list of a content file (cards, statements, sources, ...). A room share
#: names every card, so the room accepts shares of this many entries and no more.
MAX_ENTRIES = 500
#: Most activities (sliders) in a week; a week's share names each one twice.
MAX_ACTIVITIES = 30
#: Longest id: shares name ids, and 500 ids of this length still fit in one share.
MAX_ID_LENGTH = 40
#: Largest content file; the packaged ones are under 25 KB.
MAX_FILE_BYTES = 1_000_000
#: The participant's week: its bounds, its step and where a new week starts.
MIN_WEEK_HOURS = 1
MAX_WEEK_HOURS = 100
WEEK_STEP = 0.5
DEFAULT_WEEK_HOURS = 40

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


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
    #: Hours of the week a participant starts from (``default_total_hours`` in activities.yaml).
    default_total_hours: float = DEFAULT_WEEK_HOURS

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
        """Return the UI string ``key`` with ``{placeholders}`` filled in.

        Only plain names are filled in (``{total}``), each with ``str(value)``; nothing in the
        text is evaluated, so a facilitator's text cannot reach into the values.
        """
        template = self.ui[key]
        return fill(template, values) if values else template

    @property
    def scored_roles(self) -> tuple[Role, ...]:
        """The roles the questionnaire scores (all but the Senior IC baseline)."""
        return tuple(r for r in self.roles if r.scored)


# --------------------------------------------------------------------------- files
# file name -> (top-level key, model, entry noun) for the list sections of each file.
_LISTS: dict[str, tuple[tuple[str, type[ContentModel], str], ...]] = {
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
_OTHER_KEYS = {"statements.yaml": ("scale",), "activities.yaml": ("default_total_hours",)}
_LIMITS = {"activities": MAX_ACTIVITIES}
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
    from_env = path is None and bool(os.environ.get(ENV_CONTENT))
    if path is None:
        path = os.environ.get(ENV_CONTENT) or None
    custom = Path(path).expanduser().resolve() if path is not None else None
    try:
        return _load_cached(custom, _fingerprint(custom))
    except ContentError as exc:
        exc.folder, exc.from_env = custom, from_env
        raise


def _fingerprint(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the files involved, so edits invalidate the cache."""
    folders = [packaged_content_dir()] + ([folder] if folder and folder.is_dir() else [])
    out = []
    for d in folders:
        for p in sorted(d.glob("*.y*ml")):
            try:
                st = p.stat()
            except OSError:  # a broken link: the loader names it
                continue
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
        self.unreadable: set[str] = set()

    # ---- helpers
    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def own(self, filename: str) -> Path | None:
        """The facilitator's file of that name, when their folder has anything by that name.

        Anything at all: a folder or a broken link named ``cards.yaml`` is their mistake to
        hear about, never a reason to quietly use the packaged file instead.
        """
        if self.custom is not None and os.path.lexists(self.custom / filename):
            return self.custom / filename
        return None

    def where(self, filename: str) -> str:
        """Show a file as the facilitator knows it: theirs by path, ours by name."""
        own = self.own(filename)
        return str(own) if own is not None else f"{filename} (packaged)"

    def read(self, filename: str, base: Path) -> Any:
        p = base / filename
        try:
            return read_yaml(p, max_bytes=MAX_FILE_BYTES, packaged=base == self.packaged)
        except YamlProblem as exc:
            self.problem(str(p), str(exc))
            self.unreadable.add(filename)
            return None

    # ---- main
    def load(self) -> Content:
        if self.custom is not None:
            if not self.custom.is_dir():
                what = "not a folder" if os.path.lexists(self.custom) else "no such folder"
                raise ContentError(
                    [
                        f"{self.custom}: {what}. Give the path of a "
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
            own = self.own(filename)
            data = self.read(filename, own.parent if own is not None else self.packaged)
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
        scale = (
            {i: str(i) for i in range(1, 6)}
            if "statements.yaml" in self.unreadable
            else self.scale(*raw_other["scale"])
        )
        week_hours = self.week_hours(*raw_other["default_total_hours"])
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
            default_total_hours=week_hours,
        )
        if not self.unreadable:  # references into a file that could not be read are noise
            cross_check(content, self.where, self.problem)
        if self.problems:
            raise ContentError(self.problems)
        return content

    def entries(
        self, where: str, raw: Any, key: str, model: type[ContentModel], noun: str
    ) -> tuple:
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            self.problem(
                where,
                f"'{key}' should be a list of entries (lines starting with "
                f"'- id: ...'), not a {type(raw).__name__}.",
            )
            return ()
        limit = _LIMITS.get(key, MAX_ENTRIES)
        if len(raw) > limit:
            self.problem(
                where,
                f"'{key}' has {len(raw)} entries; the kit takes at most {limit} "
                "(a room share must name every one of them).",
            )
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
            if not isinstance(ident, str) or not _ID_RE.match(ident) or len(ident) > MAX_ID_LENGTH:
                self.problem(
                    f"{where}, {label}",
                    f"field 'id': expected up to {MAX_ID_LENGTH} lower-case letters, "
                    f"digits and underscores starting with a letter, got {shown(ident)}.",
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
                    self.problem(f"{where}, {label}", describe(err, model))
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

    def week_hours(self, where: str, raw: Any) -> float:
        if raw is None:
            return DEFAULT_WEEK_HOURS
        if (
            isinstance(raw, bool)
            or not isinstance(raw, (int, float))
            or not MIN_WEEK_HOURS <= raw <= MAX_WEEK_HOURS
            or not float(raw / WEEK_STEP).is_integer()
        ):
            self.problem(
                where,
                f"'default_total_hours': expected the hours of a week from {MIN_WEEK_HOURS} to "
                f"{MAX_WEEK_HOURS} in steps of {WEEK_STEP:g} (such as 40 or 37.5), "
                f"got {shown(raw)}.",
            )
            return DEFAULT_WEEK_HOURS
        return int(raw) if float(raw).is_integer() else float(raw)

    def ui_texts(self, where: str, data: Any, names: Mapping[str, frozenset[str]]) -> dict:
        """Check one ui.yaml; ``names`` holds the placeholders each known key takes."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.problem(
                where,
                "should be a mapping of text keys, e.g. 'bucket_watch: Worth a second look'.",
            )
            return {}
        good = {}
        for key, value in data.items():
            if names and key not in names:
                self.problem(
                    where,
                    f"key {shown(key)}: not a text the kit shows; check the "
                    "spelling against the packaged ui.yaml.",
                )
            elif not isinstance(value, str) or not value.strip():
                self.problem(where, f"key '{key}': expected some text, got {shown(value)}.")
            elif len(value) > MAX_TEXT_LENGTH:
                self.problem(
                    where,
                    f"key '{key}': {len(value):,} characters; keep it under "
                    f"{MAX_TEXT_LENGTH:,}. It starts {shown(value)}.",
                )
            else:
                try:
                    found = placeholders(value)
                except ValueError as exc:
                    self.problem(where, f"key '{key}': the text {exc}.")
                    continue
                need = names.get(key, found)
                if found != need:
                    listed = ", ".join("{" + p + "}" for p in sorted(need)) or "(none)"
                    self.problem(
                        where,
                        f"key '{key}': keep exactly the placeholders {listed} in the text "
                        "(kit/content/README.md lists them for every key).",
                    )
                else:
                    good[key] = value
        return good

    def ui(self) -> dict[str, str]:
        packaged = self.ui_texts(
            "ui.yaml (packaged)", self.read("ui.yaml", self.packaged), names={}
        )
        names = {key: placeholders(text) for key, text in packaged.items()}
        own = self.own("ui.yaml")
        if own is None:
            return packaged
        return {**packaged, **self.ui_texts(str(own), self.read("ui.yaml", own.parent), names)}
