"""The facilitator guide stays true to the kit: agendas add up, and the notebooks, commands
and ids it names exist."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from kit.cli import _parser
from kit.content import load_content

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "facilitator-guide"
NOTEBOOKS = ROOT / "notebooks"

#: Backticked snake_case words in the guide that are not content ids on purpose.
NON_CONTENT_WORDS = {
    "hands_on",  # an activity tag in activities.yaml, not an id
    "low_note",  # a field of a context question in statements.yaml
    "score_answers",  # a function in kit/archetypes.py, named in scoring.md
}

#: The agendas: heading in agendas.md -> total minutes.
AGENDAS = {
    "## 60 minutes": 60,
    "## 90 minutes": 90,
    "## Half day (210 minutes)": 210,
}

NOTEBOOK_RE = re.compile(r"\b\d\d-[a-z-]+\.ipynb\b")
CONTENT_ID_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
FENCE_RE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
BACKTICKED_RE = re.compile(r"`([^`\n]+)`")
#: Code in the guide: fenced blocks (also indented ones, in lists) and backticked spans.
CODE_RE = re.compile(r"^[ \t]*```.*?^[ \t]*```|`[^`\n]+`", re.MULTILINE | re.DOTALL)
#: ``workshop-kit`` with the words after it (not the tail of ``leadership-workshop-kit``).
COMMAND_RE = re.compile(r"(?<![\w-])workshop-kit((?:[ \t]+[a-z][a-z-]*)+)")


def _pages() -> dict[str, str]:
    pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(GUIDE.glob("*.md"))}
    assert pages, f"no Markdown pages in {GUIDE}"
    return pages


def _minutes(hmm: str) -> int:
    hours, minutes = hmm.strip().split(":")
    assert len(minutes) == 2, f"start {hmm!r} is not H:MM"
    return int(hours) * 60 + int(minutes)


def _section(text: str, heading: str) -> str:
    """Return the text under ``heading`` up to the next level-2 heading."""
    lines = text.splitlines()
    assert heading in lines, f"agendas.md has no heading {heading!r}"
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end])


def _agenda_rows(section: str) -> list[list[str]]:
    """Return the cells of the first table's body rows in ``section``."""
    table = []
    for line in section.splitlines():
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    assert len(table) > 2, "no agenda table found"
    header = [c.strip() for c in table[0].strip().strip("|").split("|")]
    assert header == ["Start", "Minutes", "Segment", "Notebook", "What happens"], header
    return [[c.strip() for c in row.strip().strip("|").split("|")] for row in table[2:]]


@pytest.mark.parametrize("heading", list(AGENDAS))
def test_agenda_minutes_add_up_and_starts_follow_on(heading):
    section = _section((GUIDE / "agendas.md").read_text(encoding="utf-8"), heading)
    total = AGENDAS[heading]
    stated = re.search(r"^Total: (\d+) minutes$", section, re.MULTILINE)
    assert stated, f"{heading}: no line 'Total: N minutes' under the table"
    assert int(stated.group(1)) == total
    clock = 0
    for row in _agenda_rows(section):
        start, minutes = _minutes(row[0]), int(row[1])
        assert start == clock, (
            f"{heading}: {row[2]!r} starts at {row[0]}, expected {clock // 60}:{clock % 60:02d}"
        )
        assert minutes > 0, f"{heading}: {row[2]!r} has no minutes"
        clock += minutes
    assert clock == total, f"{heading}: the minutes add up to {clock}, not {total}"


def test_every_notebook_the_guide_names_exists():
    existing = {p.name for p in NOTEBOOKS.glob("*.ipynb")}
    unknown = {}
    for name, text in _pages().items():
        for notebook in NOTEBOOK_RE.findall(text):
            if notebook not in existing:
                unknown.setdefault(notebook, []).append(name)
    assert not unknown, f"the guide names notebooks that do not exist: {unknown}"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Return a parser's subcommands (name -> parser); empty when it has none."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _guide_commands() -> dict[tuple[str, ...], list[str]]:
    """Return the words after each ``workshop-kit`` in the guide's code, up to the first
    option or placeholder (``--pdf``, ``CODE``, ``~/path``) -> the pages they appear on."""
    found: dict[tuple[str, ...], list[str]] = {}
    for name, text in _pages().items():
        for code in CODE_RE.findall(text):
            for words in COMMAND_RE.findall(code):
                found.setdefault(tuple(words.split()), []).append(name)
    return found


def test_the_guide_names_workshop_kit_commands():
    # A guard for the check below: if the scan found nothing, it would pass on anything.
    assert ("room", "create") in _guide_commands(), (
        "the scan for commands missed 'workshop-kit room create', which the guide names"
    )


def test_every_workshop_kit_command_the_guide_names_exists():
    unknown = {}
    for words, pages in _guide_commands().items():
        parser, path = _parser(), ["workshop-kit"]
        for word in words:
            choices = _subcommands(parser)
            if not choices:
                break  # a command without subcommands: the rest are its arguments
            if word not in choices:
                unknown[" ".join([*path, word])] = sorted(set(pages))
                break
            parser = choices[word]
            path.append(word)
    assert not unknown, (
        f"the guide names commands that 'workshop-kit --help' does not list: {unknown}"
    )


def _content_ids() -> set[str]:
    c = load_content()
    ids = set()
    for kind in (
        "cards",
        "themes",
        "pairs",
        "sources",
        "activities",
        "reference_lines",
        "roles",
        "statements",
        "context",
    ):
        ids |= {item.id for item in getattr(c, kind)}
    return ids | set(c.ui)


def test_every_backticked_id_in_the_guide_is_a_content_id():
    known = _content_ids()
    unknown = {}
    for name, text in _pages().items():
        prose = FENCE_RE.sub("", text)
        for token in BACKTICKED_RE.findall(prose):
            if CONTENT_ID_RE.match(token) and token not in known | NON_CONTENT_WORDS:
                unknown.setdefault(token, []).append(name)
    assert not unknown, (
        f"not content ids (fix the guide, or add to NON_CONTENT_WORDS if "
        f"they are not meant to be ids): {unknown}"
    )


def test_sources_page_cites_every_source():
    text = (GUIDE / "sources.md").read_text(encoding="utf-8")
    missing = [s.id for s in load_content().sources if f"`{s.id}`" not in text]
    assert not missing, f"sources.md does not cite: {missing}"
