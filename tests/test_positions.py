"""The first and final position: the value contract, the registry, the widgets, the journey."""

from __future__ import annotations

import json

import pytest

from kit import FinalPosition, FirstPosition, exercises, positions, synthesis
from kit.answers import AnswerStore, DemoStore


# --------------------------------------------------------------------------- the value
def test_a_position_is_a_lean_and_an_optional_line():
    assert positions.empty() == {}
    assert positions.validate({"lean": "hybrid", "why": "both, for now"}) == {
        "lean": "hybrid",
        "why": "both, for now",
    }
    assert positions.validate({"lean": "unsure", "why": "   "}) == {"lean": "unsure"}
    assert positions.validate({"why": "not sure which word fits"}) == {
        "why": "not sure which word fits"
    }
    value = {"lean": "manage"}
    assert positions.validate(value) is not value  # a new dict, never the caller's


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["hybrid"], "a position must be a dict, got list"),
        ({"lean": "cto"}, "'lean' must be one of keep_building, hybrid, manage, unsure"),
        ({"lean": "hybrid", "mood": "fine"}, "unknown key(s) ['mood']"),
        ({"why": 3}, "'why' must be text, got int"),
        ({"why": "one\ntwo"}, "'why' must be one line"),
        ({"why": "x" * (positions.WHY_LIMIT + 1)}, f"at most {positions.WHY_LIMIT} fit"),
    ],
)
def test_a_wrong_position_is_refused_with_a_clear_error(value, message):
    with pytest.raises(ValueError) as caught:
        positions.validate(value)
    assert message in str(caught.value)


def test_a_position_reads_as_one_line_in_the_contents_words(content):
    text = positions.position_text
    assert text({}, content) == "" and text(None, content) == ""
    assert text({"lean": "hybrid"}, content) == content.text("position_lean_hybrid")
    assert text({"lean": "hybrid", "why": "both"}, content) == (
        content.text("position_lean_hybrid") + ": both"
    )
    assert text({"why": "undecided"}, content) == "undecided"
    for lean in positions.LEANS:  # every choice has its words in ui.yaml
        assert positions.lean_label(lean, content).strip()


# --------------------------------------------------------------------------- the registry
@pytest.mark.parametrize("name", ["first_position", "final_position"])
def test_positions_are_exercises_that_are_never_shared(name, content):
    entry = exercises.get(name)
    assert entry.empty(content) == {}
    assert entry.validate({"lean": "manage"}) == {"lean": "manage"}
    assert not entry.shared and entry.room_payload is None
    assert name not in exercises.room_exercises()
    with pytest.raises(ValueError, match="a room collects"):
        exercises.room_exercise(name)


def test_the_workshop_order_starts_and_ends_with_a_position():
    order = exercises.names()
    assert order[0] == "first_position"
    assert order.index("final_position") > order.index("archetypes")


# --------------------------------------------------------------------------- the widgets
def test_the_first_position_is_chosen_typed_saved_and_restored(home):
    first = FirstPosition()
    seen = []
    first.observe(seen.append, names="value")
    first._lean.value = "hybrid"  # what a click on a button does
    first._why.value = "I want both, for now"  # what typing does
    assert first.value == {"lean": "hybrid", "why": "I want both, for now"}
    assert len(seen) == 2
    saved = json.loads((home / "first_position.json").read_text(encoding="utf-8"))
    assert saved["value"] == first.value
    again = FirstPosition()
    assert again.value == first.value
    assert again._lean.value == "hybrid" and again._why.value == "I want both, for now"


def test_setting_the_value_from_python_redraws_the_view():
    first = FirstPosition(store=None)
    first.value = {"lean": "manage", "why": "I liked the 1:1s"}
    assert first._lean.value == "manage" and first._why.value == "I liked the 1:1s"
    first.value = {}
    assert first._lean.value is None and first._why.value == ""
    with pytest.raises(ValueError, match="'lean' must be one of"):
        first.value = {"lean": "cto"}


def test_a_line_over_the_limit_stays_in_the_box_unsaved(home):
    first = FirstPosition()
    first._why.value = "short"
    long_line = "x" * (positions.WHY_LIMIT + 1)
    first._why.value = long_line
    assert first.value == {"why": "short"}  # the saved line is the last one that fit
    assert first._why.value == long_line  # nothing was cut
    assert str(positions.WHY_LIMIT) in first._warning.value
    first._why.value = "shorter again"
    assert first.value == {"why": "shorter again"} and first._warning.value == ""


def test_every_control_has_a_name_for_the_keyboard_and_screen_readers(content):
    first = FirstPosition(store=None)
    assert first._lean.description == content.text("position_lean_label")
    assert [label for label, _ in first._lean.options] == [
        content.text(f"position_lean_{lean}") for lean in positions.LEANS
    ]
    assert first._why.description == content.text("position_why_label")
    assert first._why.placeholder


def test_the_final_position_shows_the_first_beside_it(store, home, content):
    FirstPosition()._lean.value = "keep_building"
    final = FinalPosition()
    expected = content.text("position_lean_keep_building")
    assert expected in final._earlier.value
    final._lean.value = "unsure"
    assert final.value == {"lean": "unsure"}
    assert json.loads((home / "final_position.json").read_text())["value"] == final.value
    assert store.peek("first_position").value == {"lean": "keep_building"}  # untouched


def test_the_final_position_says_where_to_take_the_first_when_it_is_missing(home, content):
    final = FinalPosition()
    assert content.text("position_first_missing") in final._earlier.value
    FirstPosition()._why.value = "depends on the team"
    final.refresh()
    assert "depends on the team" in final._earlier.value


def test_positions_unbound_write_nothing(home):
    FirstPosition(store=None)._lean.value = "manage"
    FinalPosition(store=None)._lean.value = "manage"
    assert not AnswerStore(home).path("first_position").exists()
    assert not AnswerStore(home).path("final_position").exists()


def test_the_demo_profile_fills_both_positions_and_saves_nothing(home):
    first = FirstPosition(store=DemoStore())
    final = FinalPosition(store=DemoStore())
    assert first.value["lean"] in positions.LEANS and final.value["lean"] in positions.LEANS
    assert first.text() in final._earlier.value
    final._lean.value = "manage"
    assert not home.exists() or not any(home.iterdir())


# --------------------------------------------------------------------------- the journey
def test_the_journey_carries_both_positions(store, content):
    store.save("first_position", {"lean": "keep_building"})
    store.save("final_position", {"lean": "hybrid", "why": "both"})
    journey = synthesis.gather(store, content)
    assert journey.first_position == {"lean": "keep_building"}
    assert journey.final_position == {"lean": "hybrid", "why": "both"}
    assert journey.empty  # a position alone is not an exercise answered


def test_a_damaged_position_is_said_and_left_alone(store, home, content):
    home.mkdir(parents=True, exist_ok=True)
    (home / "first_position.json").write_text("{not json", encoding="utf-8")
    journey = synthesis.gather(store, content)
    assert journey.first_position is None
    assert any("first position" in n for n in journey.notices)
    assert (home / "first_position.json").read_text(encoding="utf-8") == "{not json"


def test_a_check_in_says_where_you_leaned_then_and_now(content):
    then = synthesis.Journey(first_position={"lean": "keep_building"})
    now = synthesis.Journey(final_position={"lean": "hybrid"})
    lines = synthesis.compare(then, now, content)
    assert any(
        content.text("position_lean_keep_building") in line
        and content.text("position_lean_hybrid") in line
        for line in lines
    )


def test_the_privacy_chapter_names_every_answers_file():
    """A facilitator's privacy promise lists what is saved: every exercise's file is in it."""
    from pathlib import Path

    guide = Path(__file__).resolve().parent.parent / "facilitator-guide" / "privacy.md"
    text = guide.read_text(encoding="utf-8")
    missing = [n for n in exercises.names() if f"| `{n}.json` |" not in text]
    assert not missing, f"privacy.md does not list: {missing}"
