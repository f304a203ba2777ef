"""One set of timings: every time the kit states comes from ``journey.yaml`` or agrees with it.

The agendas (``agendas.md``) and the module notes' timing tables (``modules.md``) are
generated from the file; the welcome page's table, the notebooks' time lines and speaker
notes, the deck's timing slides (``kit/templates/room.yaml``), the card sort's pace and the
READMEs' formats are checked against it here. A failure says which place disagrees and what
the file says instead.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kit.content import load_content
from kit.decks.room_slides import load_room
from kit.pages import timings as tm
from kit.pages.journey import load_steps

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "facilitator-guide"
NOTEBOOKS = ROOT / "notebooks"
REGENERATE = "run `python -m kit.pages.timings` from the repository root"

_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_NUMBER = r"(?:\d+|" + "|".join(_WORDS) + r")"
#: "20 minutes", "3 min", "a 10-minute timer", "Ten minutes" (not "20 seconds").
_MINUTES = re.compile(rf"(?i)\b({_NUMBER})[ -](?:min\b|minutes?\b)")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS.index(word.lower())


@pytest.fixture(scope="module")
def timings():
    return tm.load_timings()


@pytest.fixture(scope="module")
def steps():
    return load_steps()


def _cells(notebook: str) -> list[dict]:
    import nbformat

    return nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4).cells


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- the file itself --------------------------------------------------------------------------


def test_every_agenda_adds_up_to_the_length_it_claims(timings):
    assert [a.id for a in timings.agendas] == ["short", "standard", "half_day"]
    for agenda in timings.agendas:
        assert sum(slot.minutes for slot in agenda.slots) == agenda.minutes, agenda.id
        assert all(p.minutes > 0 for slot in agenda.slots for p in slot.parts)
    assert [a.minutes for a in timings.agendas] == [60, 90, 210]


def test_every_step_runs_in_every_agenda_and_every_segment_is_used(timings, steps):
    for agenda in timings.agendas:
        assert {s.segment.step for s in agenda.slots} - {None} == {s.id for s in steps}
    used = {slot.segment.id for a in timings.agendas for slot in a.slots}
    assert used == {s.id for s in timings.segments}


def test_the_solo_card_sort_allows_every_card_at_the_stated_pace(timings, steps):
    cards = len(load_content().cards)
    need = tm.solo_sort_minutes(cards, timings.card_seconds)
    assert need * 60 >= cards * timings.card_seconds
    alone_at_home = next(s.minutes for s in steps if s.id == "motivations")
    assert alone_at_home > need, "self-paced, the step also holds the reading and the key"
    for agenda in timings.agendas:
        alone = sum(
            p.minutes for s in agenda.of_segments("card_sort") for p in s.parts if p.kind == "alone"
        )
        assert alone >= need, (
            f"agenda {agenda.id}: {alone} solo minutes for {cards} cards; at "
            f"{timings.card_seconds} s a card they need {need}"
        )
        assert alone * 60 / cards >= 18, "a card needs time for two decisions"


def test_every_place_that_states_the_pace_states_the_files(timings):
    seconds = re.compile(r"(\d+|twenty|thirty) seconds a card", re.IGNORECASE)
    texts = {
        "notebook 02": "\n".join(c.source for c in _cells("02-why-leaders-still-build")),
        "room.yaml": (ROOT / "kit" / "templates" / "room.yaml").read_text(encoding="utf-8"),
        "modules.md": (GUIDE / "modules.md").read_text(encoding="utf-8"),
    }
    for where, text in texts.items():
        found = seconds.findall(text)
        assert found, f"{where} does not say how long a card takes"
        assert {_number(n) for n in found} == {timings.card_seconds}, where


@pytest.mark.parametrize(
    "change, expected",
    [
        ("card_seconds: 20", "card_seconds must be a whole number"),
        ("  - {id: break, title: Break}", "segment break: unknown field(s) colour"),
        ("step: motivations", "segment card_sort: step must be one of the steps' ids"),
        ("{minutes: 12, kind: talk", "agenda half_day, slot 4 (lenses), part 1: kind must be"),
        ("{minutes: 2, kind: talk}", "agenda short: the parts add up to 61 minutes, not 60"),
        ("{minutes: 5, kind: break}", "agenda standard, slot 6 (break), part 1: missing 'minutes'"),
        ("segment: debate", "agenda half_day, slot 9 (debates): segment must be one of"),
        ("what: Short stretch.", "slot 7 (break): what must not state minutes"),
        ("id: standard", "agenda short: the id is used twice"),
    ],
)
def test_a_bad_timings_file_names_file_agenda_slot_and_field(tmp_path, change, expected):
    text = tm.JOURNEY_FILE.read_text(encoding="utf-8")
    assert change in text
    broken = {
        "card_seconds: 20": "card_seconds: twenty",
        "  - {id: break, title: Break}": "  - {id: break, title: Break, colour: red}",
        "step: motivations": "step: sorting",
        "{minutes: 12, kind: talk": "{minutes: 12, kind: lecture",
        "{minutes: 2, kind: talk}": "{minutes: 3, kind: talk}",
        "{minutes: 5, kind: break}": "{kind: break}",
        "segment: debate": "segment: debates",
        "what: Short stretch.": "what: Stretch for 10 minutes.",
        "id: standard": "id: short",
    }[change]
    path = tmp_path / "journey.yaml"
    path.write_text(text.replace(change, broken, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"journey\.yaml") as info:
        tm.load_timings(path)
    assert expected in str(info.value)


@pytest.mark.parametrize(
    "change, broken, expected",
    [
        ("segment: debate", "segment: [debate]", "slot 9: segment must be one of"),
        ("step: motivations", "step: {id: x}", "segment card_sort: step must be one of"),
        ("  - id: short\n", "  - id: Short-1\n", "agenda Short-1: id must be snake_case"),
        (
            '{minutes: 5, kind: plenary, do: "close"}',
            "five minutes",
            "agenda half_day, slot 11 (close), part 1: expected a mapping",
        ),
        ("card_seconds: 20", "card_seconds: [20", "journey.yaml: not valid YAML"),
    ],
)
def test_odd_shapes_are_named_not_crashed_on(tmp_path, change, broken, expected):
    text = tm.JOURNEY_FILE.read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "journey.yaml"
    path.write_text(text.replace(change, broken, 1), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        tm.load_timings(path)
    assert expected in str(info.value)


def test_every_problem_is_reported_at_once(tmp_path):
    text = tm.JOURNEY_FILE.read_text(encoding="utf-8")
    text = text.replace("kind: pairs", "kind: duos").replace("kind: groups", "kind: teams")
    path = tmp_path / "journey.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        tm.load_timings(path)
    problems = str(info.value).splitlines()
    assert len(problems) > 10 and all("kind must be one of" in p for p in problems)


def test_a_journey_file_without_timings_still_gives_its_steps(tmp_path):
    path = tmp_path / "journey.yaml"
    path.write_text("steps:\n  - {id: a, title: A, notebook: 01-a, minutes: 3}\n")
    assert [s.id for s in load_steps(path)] == ["a"]
    with pytest.raises(ValueError, match="card_seconds"):
        tm.load_timings(path)


def test_the_timings_module_is_logic_without_ui():
    code = (
        "import sys, kit.pages.timings; "
        "print(sorted(m for m in ('ipywidgets', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the guide ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["agendas.md", "modules.md"])
def test_the_guides_generated_tables_equal_the_file(page, timings, steps):
    text = (GUIDE / page).read_text(encoding="utf-8")
    assert "<!-- timings:" in text
    expected = tm.sync_text(text, timings, steps, len(load_content().cards))
    assert text == expected, f"{page} disagrees with journey.yaml: {REGENERATE}"


def test_agendas_md_has_one_table_per_agenda_under_its_heading(timings):
    text = (GUIDE / "agendas.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    blocks = re.findall(r"^<!-- timings: agenda (\S+) -->$", text, re.MULTILINE)
    assert blocks == [a.id for a in timings.agendas]
    for agenda in timings.agendas:
        assert agenda.heading in headings
        section = text.split(f"## {agenda.heading}\n", 1)[1].split("\n## ", 1)[0]
        assert f"<!-- timings: agenda {agenda.id} -->" in section, agenda.heading


def test_modules_md_times_every_segment_but_the_break(timings):
    text = (GUIDE / "modules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- timings: module ([^>]+?) -->", text)
    named = {segment for block in blocks for segment in block.split()}
    assert named == {s.id for s in timings.segments} - {"break"}


def test_the_transitions_say_the_minutes_their_agenda_gives(timings):
    """'Eight minutes, then you get your hands back' is the lenses' time in that agenda."""
    text = (GUIDE / "agendas.md").read_text(encoding="utf-8")
    text = re.sub(r"<!-- timings:.*?<!-- /timings -->", "", text, flags=re.DOTALL)
    for agenda in timings.agendas:
        section = text.split(f"## {agenda.heading}\n", 1)[1].split("\n## ", 1)[0]
        said = section.split("**What to say at each transition**", 1)[1].split("**Logistics", 1)[0]
        allowed = {s.minutes for s in agenda.slots} | {
            p.minutes for s in agenda.slots for p in s.parts
        }
        for number in _MINUTES.findall(said):
            assert _number(number) in allowed, (
                f"{agenda.heading}: '{number} minutes' is no time of it"
            )


def test_the_card_sort_read_out_gives_the_solo_minutes(timings):
    text = _flat((GUIDE / "modules.md").read_text(encoding="utf-8").replace("\n> ", "\n"))
    solo = sum(
        p.minutes
        for s in timings.agenda("standard").of_segments("card_sort")
        for p in s.parts
        if p.kind == "alone"
    )
    said = re.search(rf"You have ({_NUMBER}) minutes, about", text, re.IGNORECASE)
    assert said and _number(said.group(1)) == solo
    warn = re.search(r"at minute (\d+) that two minutes remain", text)
    assert warn and int(warn.group(1)) == solo - 2


def test_the_guide_readme_states_the_formats_and_the_self_study_time(timings, steps):
    text = (GUIDE / "README.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for agenda in timings.agendas:
        row = next((r for r in rows if r.startswith(f"| {agenda.title}")), None)
        assert row, f"README.md lists no format {agenda.title!r}"
        assert f"{agenda.minutes} minutes" in row
        breaks = any(s.segment.id == "break" for s in agenda.slots)
        assert ("no break" in row) == (not breaks), row
    self_study = re.search(r"in about (\d+)\s+minutes", _flat(text))
    assert self_study and int(self_study.group(1)) == sum(s.minutes for s in steps)


def test_the_guide_says_the_decks_follow_the_standard_agenda(timings):
    standard = f"{timings.agenda('standard').minutes}-minute agenda"
    for page in ("running.md", "customising.md"):
        assert standard in _flat((GUIDE / page).read_text(encoding="utf-8")), page


# --- the notebooks and the READMEs ----------------------------------------------------------


def _table(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[2:]]


def _min(cell: str) -> int | None:
    return int(cell.removesuffix(" min")) if cell else None


def test_the_welcome_table_is_the_journey_and_the_standard_agenda(timings, steps):
    first = _cells("00-welcome")[0].source
    rows = [(r[0], _min(r[2]), _min(r[3])) for r in _table(first)]
    assert rows == tm.welcome_rows(timings, steps), "00-welcome's table disagrees with journey.yaml"
    own, room = rows[-1][1:]
    assert own == sum(s.minutes for s in steps)
    assert room == timings.agenda("standard").minutes
    assert f"in the {room}-minute workshop" in first


@pytest.mark.parametrize("step_id", ["motivations", "week", "shape", "path"])
def test_notebooks_state_the_time_line_made_from_the_file(step_id, timings, steps):
    step = next(s for s in steps if s.id == step_id)
    heading = _flat(_cells(step.notebook)[0].source)
    line = tm.step_line(timings, step)
    assert line in heading, f"{step.notebook}.ipynb should say: {line}"


def test_notebook_01_states_its_self_paced_minutes(steps):
    step = next(s for s in steps if s.id == "dilemma")
    said = [_number(m) for m in _MINUTES.findall(_cells(step.notebook)[0].source)]
    assert said == [step.minutes]


@pytest.mark.parametrize("step_id", ["welcome", "dilemma", "motivations", "week", "shape", "path"])
def test_every_minute_a_notebook_mentions_is_one_of_its_times(step_id, timings, steps):
    """Notebook 00's table is checked above, not here."""
    step = next(s for s in steps if s.id == step_id)
    slots = timings.agenda("standard").of_step(step_id)
    allowed = {step.minutes, *(a.minutes for a in timings.agendas)}
    allowed |= {s.minutes for s in slots} | {p.minutes for s in slots for p in s.parts}
    cells = _cells(step.notebook)
    if step_id == "welcome":
        cells = cells[1:]
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        for said in _MINUTES.findall(cell.source):
            assert _number(said) in allowed, (
                f"{step.notebook}.ipynb says {said} minutes; the timings allow {sorted(allowed)}"
            )


def test_the_readme_lists_each_notebooks_self_paced_minutes(steps):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for step in steps:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{step.notebook}`"))
        assert row.rstrip().endswith(f"| {step.minutes} min |"), row


# --- the deck's timing slides ---------------------------------------------------------------

#: Who does a part, as a timing slide says it.
_WHO = {
    "alone": {"On your own"},
    "pairs": {"In pairs", "With one neighbour"},
    "groups": {"In small groups"},
    "plenary": {"Everyone"},
    "talk": {"Everyone"},
}


def _run_at(parts: list, minutes: list[float]) -> int | None:
    for at in range(len(parts) - len(minutes) + 1):
        if [p.minutes for p in parts[at : at + len(minutes)]] == minutes:
            return at
    return None


def test_each_timing_slide_shows_a_run_of_the_standard_agendas_parts(timings, steps):
    """A slide's steps are, in order, consecutive parts of its notebook's slots."""
    agenda = timings.agenda("standard")
    by_notebook = {s.notebook: s.id for s in steps}
    timed = [slide for slide in load_room() if slide.steps]
    assert {s.notebook for s in timed} == set(by_notebook)
    for slide in timed:
        parts = [p for s in agenda.of_step(by_notebook[slide.notebook]) for p in s.parts]
        minutes = [step.minutes for step in slide.steps]
        at = _run_at(parts, minutes)
        assert at is not None, (
            f"room.yaml, {slide.notebook} ({slide.title!r}): steps of {minutes} minutes are "
            f"not a run of the 90-minute agenda's parts {[p.minutes for p in parts]}"
        )
        for step, part in zip(slide.steps, parts[at:], strict=False):
            assert step.who in _WHO[part.kind], (slide.notebook, step.who, part.kind)


def test_room_yaml_says_which_agenda_it_follows(timings):
    text = (ROOT / "kit" / "templates" / "room.yaml").read_text(encoding="utf-8")
    head = text.split("\ndecks:")[0]
    assert f"{timings.agenda('standard').minutes}-minute agenda" in head
    assert yaml.safe_load(head) is None  # the header is comments only


# --- rewriting the guide --------------------------------------------------------------------


def test_the_command_rewrites_a_stale_table_and_then_leaves_it(tmp_path, monkeypatch, capsys):
    page = tmp_path / "agendas.md"
    page.write_text("# A\n\n<!-- timings: agenda short -->\n| old |\n<!-- /timings -->\n")
    (tmp_path / "other.md").write_text("no blocks here\n")
    assert tm._main(str(tmp_path)) == 0
    text = page.read_text()
    assert "| 0:00 | 2 | Welcome and ground rules |" in text and "| old |" not in text
    assert "Total: 60 minutes\n<!-- /timings -->" in text
    assert capsys.readouterr().out.strip() == f"rewrote {page}"
    tm._main(str(tmp_path))
    assert capsys.readouterr().out == "" and page.read_text() == text


def test_a_block_that_names_nothing_known_is_an_error(timings, steps):
    for what in ("agenda long", "module lunch", "menu"):
        with pytest.raises((ValueError, KeyError)):
            tm.sync_text(f"<!-- timings: {what} -->\n<!-- /timings -->", timings, steps, 29)
