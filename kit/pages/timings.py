"""The facilitated timings in ``journey.yaml``: one source for every time the kit states.

Pure: reads the journey file's ``card_seconds``, ``segments`` and ``agendas`` into frozen
records and writes the text that the facilitator guide, the welcome page and the notebooks
show from them. The agendas in ``facilitator-guide/agendas.md`` and the timing tables in
``modules.md`` sit between ``<!-- timings: ... -->`` and ``<!-- /timings -->`` markers and are
rewritten from the file by ``python -m kit.pages.timings`` (run from the repository root);
``tests/test_timings.py`` checks that everything else that states a time agrees.

The participant's own steps and their self-paced minutes stay in :mod:`kit.pages.journey`;
this module reads the same file and refers to those steps by id.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kit.content import load_content
from kit.pages.journey import JOURNEY_FILE, Step, load_steps

__all__ = [
    "EXERCISE_KINDS",
    "KINDS",
    "TEACHING_KINDS",
    "Agenda",
    "Part",
    "Segment",
    "Slot",
    "Timings",
    "agenda_table",
    "load_timings",
    "module_table",
    "pace_text",
    "solo_sort_minutes",
    "step_line",
    "sync_text",
    "welcome_rows",
]

#: What the people in the room do in a part: the facilitator sets up or talks ("teaching" in
#: the guide's module notes), the participants work alone, in pairs, in groups or all
#: together ("exercise"), or nobody works.
KINDS = ("setup", "talk", "alone", "pairs", "groups", "plenary", "break")
TEACHING_KINDS = ("setup", "talk")
EXERCISE_KINDS = ("alone", "pairs", "groups", "plenary")
#: How a notebook's time line names each kind, for the participant.
_FOR_PARTICIPANTS = {
    "setup": "to get started",
    "talk": "listening",
    "alone": "on your own",
    "pairs": "with a partner",
    "groups": "in a small group",
    "plenary": "with the whole room",
}
#: The agenda that the notebooks, the welcome page and the deck's timing slides follow.
STANDARD = "standard"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: Minutes said in free text ("5 min", "ten minutes"): they belong in the parts.
_MIN_IN_TEXT = re.compile(
    r"(?i)\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)"
    r"[ -](?:min\b|minutes?\b)"
)


@dataclass(frozen=True)
class Part:
    """A timed part of a slot: minutes, the kind of work, and a few words on what happens."""

    minutes: int
    kind: str
    do: str | None = None


@dataclass(frozen=True)
class Segment:
    """What a session is made of: the card sort, a break, the lenses.

    ``step`` is the journey step (notebook) the segment runs in; ``where`` says what the room
    looks at otherwise ("slides"), and neither is set for a break.
    """

    id: str
    title: str
    step: str | None = None
    where: str | None = None


@dataclass(frozen=True)
class Slot:
    """One row of an agenda: a segment, its title there, what happens, and its parts."""

    segment: Segment
    title: str
    what: str | None
    parts: tuple[Part, ...]

    @property
    def minutes(self) -> int:
        """The minutes of all parts together."""
        return sum(p.minutes for p in self.parts)


@dataclass(frozen=True)
class Agenda:
    """One format of the workshop: its id, title, claimed length and slots in order."""

    id: str
    title: str
    minutes: int
    slots: tuple[Slot, ...]

    @property
    def heading(self) -> str:
        """The agenda's heading in the guide, e.g. '90 minutes' or 'Half day (210 minutes)'."""
        plain = f"{self.minutes} minutes"
        return self.title if self.title == plain else f"{self.title} ({plain})"

    @property
    def label(self) -> str:
        """The format as the module notes' tables name it, e.g. '90 minutes', 'half day'."""
        return self.title if self.title[0].isdigit() else self.title.lower()

    def of_segments(self, *ids: str) -> tuple[Slot, ...]:
        """Return the slots of the segments ``ids``, in agenda order."""
        return tuple(s for s in self.slots if s.segment.id in ids)

    def of_step(self, step: str) -> tuple[Slot, ...]:
        """Return the slots that run in the journey step ``step``, in agenda order."""
        return tuple(s for s in self.slots if s.segment.step == step)


@dataclass(frozen=True)
class Timings:
    """The facilitated timings: the card pace, the segments and the agendas."""

    card_seconds: int
    segments: tuple[Segment, ...]
    agendas: tuple[Agenda, ...]

    def agenda(self, agenda_id: str = STANDARD) -> Agenda:
        """Return the agenda ``agenda_id`` (default: the standard, 90-minute one)."""
        for agenda in self.agendas:
            if agenda.id == agenda_id:
                return agenda
        raise KeyError(f"no agenda {agenda_id!r}; known: {', '.join(a.id for a in self.agendas)}")


# --- loading and checking -------------------------------------------------------------------


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fields(entry: object, where: str, required: tuple, optional: tuple) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: expected a mapping with {', '.join(required)}"]
    out = [f"{where}: missing {key!r}" for key in required if key not in entry]
    extra = sorted(set(entry) - set(required) - set(optional))
    if extra:
        out.append(f"{where}: unknown field(s) {', '.join(map(str, extra))}")
    return out


def _segment_problems(entry: object, where: str, steps: set[str]) -> list[str]:
    out = _fields(entry, where, ("id", "title"), ("step", "where"))
    if not isinstance(entry, dict):
        return out
    if "id" in entry and not (isinstance(entry["id"], str) and _ID.match(entry["id"])):
        out.append(f"{where}: id must be snake_case text")
    if "title" in entry and not _text(entry["title"]):
        out.append(f"{where}: title must be non-empty text")
    if "step" in entry and not (isinstance(entry["step"], str) and entry["step"] in steps):
        out.append(f"{where}: step must be one of the steps' ids ({', '.join(sorted(steps))})")
    if "where" in entry and not _text(entry["where"]):
        out.append(f"{where}: where must be non-empty text")
    if "step" in entry and "where" in entry:
        out.append(f"{where}: give step or where, not both")
    return out


def _part_problems(entry: object, where: str) -> list[str]:
    out = _fields(entry, where, ("minutes", "kind"), ("do",))
    if not isinstance(entry, dict):
        return out
    if "minutes" in entry and not _whole(entry["minutes"], 1, 240):
        out.append(f"{where}: minutes must be a whole number from 1 to 240")
    if "kind" in entry and entry["kind"] not in KINDS:
        out.append(f"{where}: kind must be one of {', '.join(KINDS)}")
    if "do" in entry and not _text(entry["do"]):
        out.append(f"{where}: do must be non-empty text")
    return out


def _slot_problems(entry: object, where: str, segments: set[str]) -> list[str]:
    out = _fields(entry, where, ("segment", "parts"), ("title", "what"))
    if not isinstance(entry, dict):
        return out
    if "segment" in entry and not (
        isinstance(entry["segment"], str) and entry["segment"] in segments
    ):
        out.append(f"{where}: segment must be one of {', '.join(sorted(segments))}")
    for key in ("title", "what"):
        if key in entry and not _text(entry[key]):
            out.append(f"{where}: {key} must be non-empty text")
    if _text(entry.get("what")) and _MIN_IN_TEXT.search(entry["what"]):
        out.append(f"{where}: what must not state minutes; put them in the parts")
    parts = entry.get("parts")
    if "parts" in entry and not (isinstance(parts, list) and parts):
        out.append(f"{where}: parts must be a list of at least one part")
    elif isinstance(parts, list):
        for n, part in enumerate(parts, 1):
            out += _part_problems(part, f"{where}, part {n}")
    return out


def _agenda_problems(entry: object, where: str, segments: set[str]) -> list[str]:
    out = _fields(entry, where, ("id", "title", "minutes", "slots"), ())
    if not isinstance(entry, dict):
        return out
    if "id" in entry and not (isinstance(entry["id"], str) and _ID.match(entry["id"])):
        out.append(f"{where}: id must be snake_case text")
    if "title" in entry and not _text(entry["title"]):
        out.append(f"{where}: title must be non-empty text")
    if "minutes" in entry and not _whole(entry["minutes"], 1, 600):
        out.append(f"{where}: minutes must be a whole number from 1 to 600")
    slots = entry.get("slots")
    if "slots" in entry and not (isinstance(slots, list) and slots):
        return [*out, f"{where}: slots must be a list of at least one slot"]
    if not isinstance(slots, list):
        return out
    for n, slot in enumerate(slots, 1):
        name = slot.get("segment") if isinstance(slot, dict) else None
        name = name if isinstance(name, str) else None
        out += _slot_problems(slot, f"{where}, slot {n}" + (f" ({name})" if name else ""), segments)
    if not out and sum(p["minutes"] for s in slots for p in s["parts"]) != entry["minutes"]:
        total = sum(p["minutes"] for s in slots for p in s["parts"])
        out.append(f"{where}: the parts add up to {total} minutes, not {entry['minutes']}")
    return out


def _ids(entries: list, where: str, kind: str) -> list[str]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        name = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(name, str):
            if name in seen:
                out.append(f"{where}, {kind} {name}: the id is used twice")
            seen.add(name)
    return out


def load_timings(path: str | Path | None = None) -> Timings:
    """Return the facilitated timings of the journey file at ``path`` (default: packaged).

    Raises
    ------
    ValueError
        Naming the file, the agenda, slot or segment, and the field of every problem found.
    """
    path = Path(path) if path is not None else JOURNEY_FILE
    if path == JOURNEY_FILE:
        return _packaged()
    return _load(path)


@cache
def _packaged() -> Timings:
    return _load(JOURNEY_FILE)


def _load(path: Path) -> Timings:
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from exc
    steps = {s.id for s in load_steps(path)}
    problems: list[str] = []
    if not _whole(data.get("card_seconds"), 1, 600):
        problems.append(f"{name}: card_seconds must be a whole number of seconds from 1 to 600")
    segments, agendas = data.get("segments"), data.get("agendas")
    for key, value in (("segments", segments), ("agendas", agendas)):
        if not (isinstance(value, list) and value):
            problems.append(f"{name}: expected a list {key!r} with at least one entry")
    if problems:
        raise ValueError("\n".join(problems))
    for n, entry in enumerate(segments, 1):
        sid = entry.get("id") if isinstance(entry, dict) else None
        problems += _segment_problems(entry, f"{name}, segment {sid or n}", steps)
    problems += _ids(segments, name, "segment")
    known = {e["id"] for e in segments if isinstance(e, dict) and isinstance(e.get("id"), str)}
    for n, entry in enumerate(agendas, 1):
        aid = entry.get("id") if isinstance(entry, dict) else None
        problems += _agenda_problems(entry, f"{name}, agenda {aid or n}", known)
    problems += _ids(agendas, name, "agenda")
    if problems:
        raise ValueError("\n".join(problems))
    by_id = {e["id"]: Segment(**e) for e in segments}
    return Timings(
        card_seconds=data["card_seconds"],
        segments=tuple(by_id.values()),
        agendas=tuple(
            Agenda(
                id=a["id"],
                title=a["title"].strip(),
                minutes=a["minutes"],
                slots=tuple(_slot(s, by_id[s["segment"]]) for s in a["slots"]),
            )
            for a in agendas
        ),
    )


def _slot(entry: dict, segment: Segment) -> Slot:
    what = entry.get("what")
    return Slot(
        segment=segment,
        title=entry.get("title", segment.title).strip(),
        what=" ".join(what.split()) if what else None,
        parts=tuple(Part(**p) for p in entry["parts"]),
    )


# --- the text made from the timings --------------------------------------------------------


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _where(slot: Slot, steps: dict[str, Step]) -> str:
    if slot.segment.step:
        return f"`{steps[slot.segment.step].notebook}.ipynb`"
    return slot.segment.where or ""


def _happens(slot: Slot) -> str:
    said = [f"{p.minutes} min {p.do}" for p in slot.parts if p.do]
    timed = ", ".join(said) + "." if len(slot.parts) > 1 and said else ""
    return " ".join(t for t in (timed, slot.what or "") if t)


def agenda_table(agenda: Agenda, steps: tuple[Step, ...]) -> str:
    """Return the agenda as the guide shows it: a Markdown table and its total line."""
    by_id = {s.id: s for s in steps}
    rows = [
        "| Start | Minutes | Segment | Notebook | What happens |",
        "|---|---|---|---|---|",
    ]
    clock = 0
    for slot in agenda.slots:
        cells = (_clock(clock), str(slot.minutes), slot.title, _where(slot, by_id), _happens(slot))
        rows.append(("| " + " | ".join(cells) + " |").replace("|  |", "| |"))
        clock += slot.minutes
    return "\n".join(rows) + f"\n\nTotal: {clock} minutes"


def _minutes_of(parts: list[Part], kinds: tuple[str, ...]) -> int:
    return sum(p.minutes for p in parts if p.kind in kinds)


def module_table(timings: Timings, *segment_ids: str) -> str:
    """Return the module notes' timing table for the segments ``segment_ids``.

    One row per agenda that runs them: teaching minutes (set-up and talk) and exercise minutes
    (alone, in pairs, in groups, plenary), with what the exercise minutes are made of.
    """
    rows = ["| format | teaching | exercise |", "|---|---|---|"]
    for agenda in timings.agendas:
        parts = [p for slot in agenda.of_segments(*segment_ids) for p in slot.parts]
        if not parts:
            continue
        exercise = [p for p in parts if p.kind in EXERCISE_KINDS]
        said = [p for p in exercise if p.do]
        if len(exercise) == 1 and said:
            detail = f" ({said[0].do})"
        else:
            detail = " (" + ", ".join(f"{p.minutes} {p.do}" for p in said) + ")" if said else ""
        teaching = _minutes_of(parts, TEACHING_KINDS)
        exercising = _minutes_of(parts, EXERCISE_KINDS)
        rows.append(f"| {agenda.label} | {teaching} | {exercising}{detail} |")
    return "\n".join(rows)


def solo_sort_minutes(cards: int, card_seconds: int) -> int:
    """Return the whole minutes a solo sort of ``cards`` cards needs at ``card_seconds`` each."""
    return math.ceil(cards * card_seconds / 60)


def pace_text(timings: Timings, cards: int) -> str:
    """Return the guide's sentence on the card sort's pace, for a deck of ``cards`` cards."""
    need = solo_sort_minutes(cards, timings.card_seconds)
    return (
        f"The solo card sort is timed at {timings.card_seconds} seconds a card: read it, say "
        f"how often, choose a column, on first instinct. The packaged deck of {cards} cards "
        f"needs {need} minutes at that pace, and every agenda gives the solo sort at least "
        "that. If you add cards to the deck, add solo minutes too (a third of a minute a card)."
    )


def step_line(timings: Timings, step: Step) -> str:
    """Return the time line a notebook states under its heading, in italics.

    It gives the self-paced minutes of the step and, for a room, the standard agenda's minutes
    for the step with what they are made of, kinds of work together.
    """
    agenda = timings.agenda(STANDARD)
    parts = [p for slot in agenda.of_step(step.id) for p in slot.parts]
    line = f"*About {step.minutes} minutes on your own"
    if parts:
        spent: dict[str, int] = {}
        for part in parts:
            spent[part.kind] = spent.get(part.kind, 0) + part.minutes
        said = ", ".join(f"{m} {_FOR_PARTICIPANTS[k]}" for k, m in spent.items())
        total = sum(spent.values())
        line += f"; in the {agenda.minutes}-minute workshop, {total}: {said}"
    return line + ".*"


def welcome_rows(timings: Timings, steps: tuple[Step, ...]) -> list[tuple[str, int | None, int]]:
    """Return the welcome page's rows: (title, self-paced minutes or None, agenda minutes).

    The rows follow the standard agenda: one per journey step (its self-paced minutes and the
    agenda's minutes in that step) and one per segment outside the notebooks (the lenses, a
    break), then a last row ``("in all", total self-paced, agenda length)``.
    """
    agenda = timings.agenda(STANDARD)
    by_id = {s.id: s for s in steps}
    rows: list[tuple[str, int | None, int]] = []
    seen: set[str] = set()
    for slot in agenda.slots:
        step = slot.segment.step
        if step is None:
            rows.append((slot.segment.title, None, slot.minutes))
        elif step not in seen:
            seen.add(step)
            room = sum(s.minutes for s in agenda.of_step(step))
            rows.append((by_id[step].title, by_id[step].minutes, room))
    rows.append(("in all", sum(s.minutes for s in steps), agenda.minutes))
    return rows


_BLOCK = re.compile(r"(<!-- timings: ([^>]*?) -->\n)(.*?)(<!-- /timings -->)", re.DOTALL)


def sync_text(text: str, timings: Timings, steps: tuple[Step, ...], cards: int) -> str:
    """Return ``text`` with every generated block rewritten from the timings.

    A block is ``<!-- timings: WHAT -->`` ... ``<!-- /timings -->`` where WHAT is
    ``agenda ID``, ``module SEGMENT [SEGMENT ...]`` or ``pace``.

    Raises
    ------
    ValueError
        For a block that names nothing the timings know.
    """

    def body(what: str) -> str:
        kind, _, rest = what.partition(" ")
        if kind == "agenda":
            return agenda_table(timings.agenda(rest.strip()), steps)
        if kind == "module":
            known = {s.id for s in timings.segments}
            ids = rest.split()
            if not ids or set(ids) - known:
                raise ValueError(f"timings block {what!r}: name segments among {sorted(known)}")
            return module_table(timings, *ids)
        if kind == "pace":
            return textwrap.fill(pace_text(timings, cards), width=95)
        raise ValueError(f"timings block {what!r}: expected 'agenda ID', 'module ID...' or 'pace'")

    def replace(match: re.Match) -> str:
        return f"{match.group(1)}{body(match.group(2).strip())}\n{match.group(4)}"

    return _BLOCK.sub(replace, text)


def _main(folder: str = "facilitator-guide") -> int:
    """Rewrite the generated blocks of every page in ``folder``; print the pages changed."""
    cards = len(load_content().cards)
    timings, steps = load_timings(), load_steps()
    for page in sorted(Path(folder).glob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = sync_text(text, timings, steps, cards)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"rewrote {page}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(*sys.argv[1:2]))
