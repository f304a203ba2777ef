"""The facilitator guide stays true to the kit: agendas add up; the notebooks, commands and
ids it names exist; the opener story is one text; the sections a facilitator runs from are
there; and every source it cites has a full citation in sources.md."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml

from kit.cli import _parser
from kit.content import load_content, packaged_content_dir
from kit.pages.timings import load_timings

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "facilitator-guide"
NOTEBOOKS = ROOT / "notebooks"

#: Backticked snake_case words in the guide that are not content ids on purpose.
NON_CONTENT_WORDS = {
    "hands_on",  # an activity tag in activities.yaml, not an id
    "low_note",  # a field of a context question in statements.yaml
    "score_answers",  # a function in kit/archetypes.py, named in scoring.md
}

#: The agendas: heading in agendas.md -> total minutes, from the one timings file (its tables
#: are checked against the file in tests/test_timings.py; this reads the page as written).
AGENDAS = {f"## {a.heading}": a.minutes for a in load_timings().agendas}

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


def _guide_source_ids() -> set[str]:
    """Return the ids of the entries in sources.md (the list's ids plus the guide's own)."""
    return {m.group(1) for m in map(ENTRY_ID_RE.match, _source_entries()) if m}


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
    return ids | set(c.ui) | _guide_source_ids()


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


# --------------------------------------------------------------------------- the story
STORY = packaged_content_dir() / "story.yaml"


def _story() -> dict:
    return yaml.safe_load(STORY.read_text(encoding="utf-8"))


def _flat(text: str) -> str:
    """Collapse whitespace and drop Markdown quote markers, so that wrapping never matters."""
    unquoted = re.sub(r"^[ \t]*>[ \t]?", "", text, flags=re.MULTILINE)
    return " ".join(unquoted.split())


def test_story_file_has_the_shape_the_notebook_reads():
    story = _story()
    assert isinstance(story["title"], str) and story["title"].strip()
    paragraphs = story["paragraphs"]
    assert paragraphs and all(isinstance(p, str) and p.strip() for p in paragraphs)
    assert isinstance(story["note"], str) and story["note"].strip()
    assert story["source_id"] in {s.id for s in load_content().sources}
    questions = {q["id"]: q for q in story["questions"]}
    first = questions["first_position"]
    assert first["text"].strip()
    choice_ids = [c["id"] for c in first["choices"]]
    assert choice_ids == ["yes", "no", "it_depends"], choice_ids  # strings, not YAML booleans
    assert all(isinstance(c["label"], str) and c["label"].strip() for c in first["choices"])


def test_modules_tells_the_story_word_for_word():
    modules = _flat((GUIDE / "modules.md").read_text(encoding="utf-8"))
    story = _story()
    missing = [p[:60] for p in story["paragraphs"] if _flat(p) not in modules]
    assert not missing, (
        f"modules.md does not tell these story paragraphs as story.yaml does: {missing}"
    )
    assert _flat(story["note"]) in modules
    assert f'## Module 01: the opener, "{story["title"]}"' in modules


def test_notebook_01_tells_the_same_story_word_for_word():
    import json

    nb = json.loads((ROOT / "notebooks" / "01-the-dilemma.ipynb").read_text(encoding="utf-8"))
    text = _flat(" ".join("".join(c["source"]) for c in nb["cells"]))
    story = _story()
    missing = [p[:60] for p in story["paragraphs"] if _flat(p) not in text]
    assert not missing, f"notebook 01 does not tell these paragraphs as story.yaml does: {missing}"
    assert _flat(story["note"]) in text and f"## {story['title']}" in text
    assert _flat(story["questions"][0]["text"]) in text


def test_story_keeps_the_facts_of_its_source():
    text = _flat(" ".join(_story()["paragraphs"])).lower()
    # What the journal entry says (abhijith_2024_em_ic_dilemma).
    for fact in (
        "six months as lead",  # how long he led, not how long he went without code
        "one whole week",  # a week without code is what frightened him
        "frightened",
        "judge himself on both",  # his change of view
        "hybrid role",  # what his organisation offered
        "balance between work and the rest of life",  # the seniors' warning
        "architect and the solver",  # the bridge to the questionnaire
    ):
        assert fact in text, f"the story has lost a fact of its source: {fact!r}"
    # What earlier drafts added and the source does not say.
    for invention in ("reorganisation", "friday", "wore them out", "without a commit"):
        assert invention not in text, f"the story says {invention!r}, which its source does not"


# --------------------------------------------------------------------------- sections
#: Page -> headings a facilitator needs to find there.
REQUIRED_SECTIONS = {
    "README.md": ["## Pages in this guide", "## Licence"],
    "preparing.md": [
        "## Workshop outcomes",
        "## Materials checklist",
        "## Invitation and pre-work",
    ],
    "remote.md": [
        "## Before the session",
        "## During the session",
        "## Hybrid: some in the room, some on the call",
    ],
    "accessibility.md": ["## Mobility", "## Screen readers and low vision", "## Hearing"],
    "challenging-moments.md": [
        "## The cynic",
        "## The dominant senior",
        '## "I was forced to manage"',
    ],
    "after-the-workshop.md": [
        "## Evaluation",
        "### Minute cards (any format, two minutes)",
        "### The five-question form (60 and 90 minutes, three minutes)",
        "## The 30-day follow-up meeting",
        "## The role-design conversation with my manager",
    ],
    "privacy.md": ["## Handling emotional moments"],
    "reading-list.md": ["# Reading list for participants"],
}


@pytest.mark.parametrize("page", sorted(REQUIRED_SECTIONS))
def test_each_required_section_is_present(page):
    lines = (GUIDE / page).read_text(encoding="utf-8").splitlines()
    missing = [h for h in REQUIRED_SECTIONS[page] if h not in lines]
    assert not missing, f"{page} has no heading {missing}"


def _level2_sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_segment_has_objectives_key_points_and_timing():
    sections = _level2_sections((GUIDE / "modules.md").read_text(encoding="utf-8"))
    segments = {k: v for k, v in sections.items() if k != "Debriefs with the room picture"}
    assert len(segments) >= 8, sorted(segments)
    for heading, body in segments.items():
        for part in ("**Objectives.**", "**Key points.**", "| format | teaching | exercise |"):
            assert part in body, f"modules.md, {heading!r}: no {part}"


def test_the_workshop_outcomes_are_listed():
    outcomes = _level2_sections((GUIDE / "preparing.md").read_text(encoding="utf-8"))[
        "Workshop outcomes"
    ]
    assert len(re.findall(r"^\d+\. \*\*", outcomes, flags=re.MULTILINE)) >= 5


def test_the_invitation_asks_for_last_weeks_calendar():
    text = _flat((GUIDE / "preparing.md").read_text(encoding="utf-8"))
    assert "Bring last week's calendar" in text


def test_every_page_is_listed_in_the_guide_readme():
    readme = (GUIDE / "README.md").read_text(encoding="utf-8")
    pages = {p.name for p in GUIDE.glob("*.md")} - {"README.md"}
    unlisted = sorted(p for p in pages if f"]({p})" not in readme)
    assert not unlisted, f"README.md does not list: {unlisted}"


def test_the_guide_states_the_licences():
    licence = _flat(_level2_sections((GUIDE / "README.md").read_text(encoding="utf-8"))["Licence"])
    assert "CC BY 4.0" in licence and "MIT" in licence


#: Wording the issue found harsher than the source, or untrue to it.
UNWANTED = {
    "proof of your worth": "harsher than the source",
    "a place to hide": "harsher than the source",
    "best projects": "Larson's Tech Lead passes on the most complex projects",
    "six months without a commit": "he led for six months; a week without code scared him",
    "wore them out": "the seniors warned about work-life balance",
}


def test_the_guide_avoids_wording_untrue_to_the_sources():
    found = {
        (name, phrase): why
        for name, text in _pages().items()
        for phrase, why in UNWANTED.items()
        if phrase in _flat(text).lower()
    }
    assert not found, found


def test_the_second_hand_pendulum_figure_is_marked_unverified():
    for name in ("modules.md", "agendas.md"):
        text = (GUIDE / name).read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n", text):
            flat = _flat(block).lower()
            if re.search(r"\b(about five|after five)\b", flat):
                assert "unverified" in flat, (
                    f"{name}: the five-year figure without a caveat: {flat[:120]}"
                )


# --------------------------------------------------------------------------- sources
ENTRY_ID_RE = re.compile(r"^- `([a-z0-9_]+)`:")
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\bundated\b")
TITLE_RE = re.compile(r'"[^"]+"|\*[^*]+\*')
#: A backticked token shaped like a source id (author_year_words, or author_nd_words).
SOURCE_LIKE_RE = re.compile(r"^[a-z]+(_[a-z]+)*_(1[89]\d\d|20\d\d|nd)(_[a-z0-9]+)+$")


def _source_entries() -> list[str]:
    """Return the citation entries of sources.md: top-level bullets before the open items."""
    text = (GUIDE / "sources.md").read_text(encoding="utf-8").split("## Open items")[0]
    entries: list[list[str]] = []
    open_entry = False
    for line in text.splitlines():
        if line.startswith("- "):
            entries.append([line])
            open_entry = True
        elif open_entry and line.startswith("  "):
            entries[-1].append(line)  # the entry's continuation lines
        else:
            open_entry = False
    return [" ".join(" ".join(e).split()) for e in entries]


def test_every_source_entry_has_author_title_and_year():
    entries = _source_entries()
    assert len(entries) >= len(load_content().sources)
    bad = []
    for entry in entries:
        citation = ENTRY_ID_RE.sub("", entry).split("*Used in:*")[0].strip()
        title = TITLE_RE.search(citation)
        author = citation[: title.start()].strip(" .") if title else ""
        if not (title and author and YEAR_RE.search(citation)):
            bad.append(entry[:80])
    assert not bad, f"sources.md entries without author, title and year: {bad}"


def test_every_source_the_guide_cites_is_in_sources_md():
    defined = _guide_source_ids()
    source_ids = {s.id for s in load_content().sources} | defined
    unknown = {}
    for name, text in _pages().items():
        for token in BACKTICKED_RE.findall(FENCE_RE.sub("", text)):
            cited = token in source_ids or SOURCE_LIKE_RE.match(token)
            if cited and token not in defined:
                unknown.setdefault(token, []).append(name)
    assert not unknown, f"cited in the guide but without an entry in sources.md: {unknown}"


def test_every_reading_list_entry_cites_a_source():
    defined = _guide_source_ids()
    text = (GUIDE / "reading-list.md").read_text(encoding="utf-8")
    entries = [" ".join(e.split()) for e in re.split(r"\n(?=- )", text) if e.startswith("- ")]
    assert len(entries) >= 5
    for entry in entries:
        ids = [t for t in BACKTICKED_RE.findall(entry) if t in defined]
        assert ids, f"reading-list.md entry without a source id: {entry[:80]}"
