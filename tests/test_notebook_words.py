"""What the notebooks say agrees with the content and the journey: headings, counts, steps.

- Each step's notebook is headed by the step's title from ``kit/pages/journey.yaml``, the
  title the participant pages show ("Step 3 of 6: Where the week goes"), with no number of
  its own to compete with the pages' count.
- No notebook text states a count that the content decides (how many cards, activities,
  statements, profiles, look-alike pairs, or the default hours of a week): the content can
  change under the prose, so the prose says it without a number.
- The first and final positions, the three lenses and the role-design conversation each
  have their place in the notebooks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kit.pages.journey import load_steps

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
STEPS = load_steps()


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def headings(cell: dict) -> list[str]:
    """The Markdown headings of a cell as stored in the file, without their ``#``'s."""
    if cell["cell_type"] != "markdown":
        return []
    return [h.strip() for h in _HEADING.findall("".join(cell["source"]))]


def _notebook(stem: str) -> dict:
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))


def _markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _code(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


# --------------------------------------------------------------------------- headings
#: A heading that starts with a number of its own ("2 · Why ...", "3. Where ...").
NUMBERED = re.compile(r"^\s*(?:step\s+)?\d+\s*(?:[·.:)\-–—]|of\b)", re.IGNORECASE)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.id)
def test_each_notebook_is_headed_by_its_step_title(step):
    nb = _notebook(step.notebook)
    assert nb["metadata"]["title"] == step.title  # the decks' and pages' title
    (first,) = headings(nb["cells"][0])[:1] or [None]
    if step.id == "welcome":  # the welcome's heading is the workshop's own question
        assert first and not NUMBERED.match(first)
        return
    assert first == step.title, f"{step.notebook} is headed {first!r}, its step {step.title!r}"


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.id)
def test_no_heading_of_a_step_carries_a_number_of_its_own(step):
    """The pages count the steps; a notebook of the journey never numbers itself."""
    nb = _notebook(step.notebook)
    numbered = [h for c in nb["cells"] for h in headings(c) if NUMBERED.match(h)]
    assert not numbered, f"{step.notebook}: headings with their own numbers: {numbered}"


# --------------------------------------------------------------------------- counts
_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:-\w+)?|thirty(?:-\w+)?|"
    r"forty|fifty|(?:a\s+)?dozen|(?:a\s+)?score)"
)
#: What the content decides the number of: the prose may name them, never count them.
_COUNTED = r"(?:cards|activities|statements|questions|profiles|pairs|themes|sliders|roles)"
BARE_COUNT = re.compile(rf"\b{_NUMBER}\s+(?:[\w'-]+\s+)?{_COUNTED}\b", re.IGNORECASE)


def bare_counts(text: str, default_hours: int) -> list[str]:
    """Counts in ``text`` that the content decides, as they are written."""
    found = [m.group() for m in BARE_COUNT.finditer(text)]
    # The week the exercise starts from is activities.yaml's default_total_hours.
    hours = re.compile(rf"\b{default_hours}\b(?!\s*(?:min|minutes|%))")
    found += [m.group() for m in hours.finditer(text)]
    return found


def test_the_count_check_finds_what_the_issue_found():
    """The phrases that once hard-coded the content's numbers are each caught."""
    for phrase in (
        "split your working week across a dozen activities twice",
        "Check the hours in your week (40 unless you change it)",
        "rate 15 statements about the work that gives you energy",
        "a deck of 29 cards",
        "the five look-alike pairs",
        "twelve activities",
    ):
        assert bare_counts(phrase, 40), phrase
    for phrase in (
        "Two kinds of reasons",  # words of the source, not a count of content
        "Pick one card you called healthy",
        "Larson found four patterns",
        "About 20 minutes",
        "Three commitments",
    ):
        assert not bare_counts(phrase, 40), phrase


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebook_text_states_no_count_the_content_decides(path, content):
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = [
        count for text in _markdown(nb) for count in bare_counts(text, content.default_total_hours)
    ]
    assert not found, (
        f"{path.name} states counts the content decides: {found}. Say it without the number, "
        "or print it from the content in a code cell."
    )


# --------------------------------------------------------------------------- the journey
def test_the_first_position_is_taken_in_01_and_shown_again_in_05():
    assert "FirstPosition()" in _code(_notebook("01-the-dilemma"))
    path = _notebook("05-your-path")
    code = _code(path)
    assert "FinalPosition()" in code
    assert code.index("FinalPosition()") < code.index("Commitments()")  # before the plan


#: The lens cells, in order: the slide, one sub-slide per lens, the speaker notes.
LENS_CELLS = ("lenses", "lens-leverage", "lens-snacking", "lens-critical-path", "lenses-notes")
LENS_TITLES = (
    "Three lenses",
    "Leverage",
    "Snacking, preening and chasing ghosts",
    "The critical path and the pendulum",
)


def _cell_with(nb: dict, test) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if test(c))


def test_the_three_lenses_follow_the_card_sort_at_the_end_of_02():
    """Every agenda has the lenses right after the card sort: the deck and 02 do too."""
    nb = _notebook("02-why-leaders-still-build")
    ids = [c.get("id") for c in nb["cells"]]
    missing = [cid for cid in LENS_CELLS if cid not in ids]
    assert not missing, f"02 lacks the lens cells {missing}"
    at = [ids.index(cid) for cid in LENS_CELLS]
    assert at == list(range(at[0], at[0] + len(at))), "the lens cells stay together, in order"
    assert [h for i in at for h in headings(nb["cells"][i])] == list(LENS_TITLES)
    sort = _cell_with(nb, lambda c: "MotivationSort()" in "".join(c["source"]))
    summary = _cell_with(nb, lambda c: any(h.startswith("Reflect") for h in headings(c)))
    assert sort < summary < at[0], "the lenses come after the card sort and its reflection"
    # Nothing after them starts a slide of the card sort again.
    later = [h for c in nb["cells"][at[-1] + 1 :] for h in headings(c)]
    assert not any(h.startswith(("Sort the cards", "Reflect", "Your sort")) for h in later)

    cells = {c["id"]: c for c in nb["cells"]}
    assert cells["lenses"]["metadata"]["slideshow"]["slide_type"] == "slide"
    assert "just sorted" in "".join(cells["lenses"]["source"])  # it follows the sort
    for cid in ("lens-leverage", "lens-snacking", "lens-critical-path"):
        assert cells[cid]["metadata"]["slideshow"]["slide_type"] == "subslide"
        assert "*Ask:*" in "".join(cells[cid]["source"])  # each lens ends with a question
    assert cells["lenses-notes"]["metadata"]["slideshow"]["slide_type"] == "notes"


def test_05_only_reminds_of_the_lenses_before_the_commitments():
    nb = _notebook("05-your-path")
    assert not {c.get("id") for c in nb["cells"]} & set(LENS_CELLS)
    titles = [h for c in nb["cells"] for h in headings(c)]
    assert not set(titles) & set(LENS_TITLES), "the lenses moved to 02, after the card sort"
    reminder = _cell_with(nb, lambda c: "three lenses after the card sort" in "".join(c["source"]))
    commitments = _cell_with(nb, lambda c: "Three commitments" in headings(c))
    assert reminder < commitments


def test_the_lenses_cite_sources_the_content_knows(content):
    text = " ".join(" ".join(_markdown(_notebook("02-why-leaders-still-build"))).split())
    known = {(s.author, s.title) for s in content.sources}
    for author, title in (
        ("Will Larson", "Work on what matters"),
        ("Charity Majors", "The Engineer/Manager Pendulum"),
        ("Andy Grove", "High Output Management"),
    ):
        assert title in text and author in text
        assert any(title in t for _, t in known), title


def test_the_commitments_point_at_the_role_design_conversation_guide():
    from kit.commitments import GUIDE

    text = " ".join(" ".join(_markdown(_notebook("05-your-path"))).split())
    assert "role-design conversation with your manager" in text
    # Named, not linked: an installed workspace and the participant pages carry no guide.
    page, anchor = GUIDE.split("#")
    guide = (NOTEBOOKS.parent / page).read_text(encoding="utf-8")
    (title,) = [
        line[3:]
        for line in guide.splitlines()
        if line.startswith("## ") and line[3:].lower().replace(" ", "-") == anchor
    ]
    assert f'"{title}"' in text and "After the workshop" in text
    assert "facilitator-guide/" not in text
