"""The time-allocation widget, driven from Python as a person's hand would drive it."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
import traitlets
import yaml

from kit import TimeAllocation
from kit import allocation as logic
from kit.answers import DemoStore
from kit.charts.core import ChartDisplay
from kit.content import load_content, packaged_content_dir


def _ids(content) -> list[str]:
    return [a.id for a in content.activities]


def _text(widget) -> str:
    """The text a person reads in an HTML child: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", widget.value))


def test_moving_one_slider_keeps_the_week_whole():
    week = TimeAllocation(total=40, store=None)
    seen = []
    week.observe(seen.append, names="value")
    week._sliders["current"]["hands_on_coding"].value = 20  # what a drag does
    assert sum(week.value["current"].values()) == 40
    assert week.value["current"]["hands_on_coding"] == 20
    assert len(seen) == 1  # one event, no feedback loop
    assert week.value["ideal"] == seen[0]["old"]["ideal"]  # the other week is untouched
    for aid, slider in week._sliders["current"].items():
        assert slider.value == week.value["current"][aid]


def test_default_value_is_an_even_split_in_half_hours(content):
    week = TimeAllocation(store=None)
    expected = logic.even_split(_ids(content), 40)
    assert week.value == {
        "total": 40,
        "current": expected,
        "ideal": expected,
        "unplaced": {"current": 0.0, "ideal": 0.0},
        "set": {"current": [], "ideal": []},
        "locked": {"current": [], "ideal": []},
    }
    assert "Each week adds up to 40 hours" in _text(week._total_status)
    assert week._total_field.value == 40


def test_a_lock_holds_while_the_others_move():
    week = TimeAllocation(store=None)
    before = week.value["current"]["code_review"]
    week._lock_buttons["current"]["code_review"].value = True
    slider = week._sliders["current"]["code_review"]
    assert slider.disabled
    assert week._lock_buttons["current"]["code_review"].description == "Locked"
    assert f"{before:g} h locked" in _text(week._free["current"])
    week._sliders["current"]["hands_on_coding"].value = 30
    week._sliders["current"]["hands_on_coding"].value = 40  # past what is free
    assert week.value["current"]["code_review"] == before
    assert week.value["current"]["hands_on_coding"] == 40 - before
    assert week._sliders["current"]["hands_on_coding"].value == 40 - before  # snapped back
    assert sum(week.value["current"].values()) == 40
    assert not week._sliders["ideal"]["code_review"].disabled  # locks belong to one week
    week._lock_buttons["current"]["code_review"].value = False
    assert not slider.disabled
    assert week._lock_buttons["current"]["code_review"].description == "Lock"


def test_a_slider_cannot_move_when_every_other_row_is_locked(content):
    week = TimeAllocation(store=None)
    for aid in _ids(content)[1:]:
        week._lock_buttons["ideal"][aid].value = True
    seen = []
    week.observe(seen.append, names="value")
    first = _ids(content)[0]
    start = week.value["ideal"][first]
    week._sliders["ideal"][first].value = 20
    assert seen == []
    assert week._sliders["ideal"][first].value == start
    assert _text(week._free["ideal"]) == f"{40 - start:g} h locked, {start:g} h free to move."


def test_reset_goes_back_to_an_even_split_and_unlocks(content):
    week = TimeAllocation(store=None, total=45)
    week._lock_buttons["ideal"]["hiring"].value = True
    week._sliders["ideal"]["hands_on_coding"].value = 30
    week._reset["ideal"].click()
    assert week.value["ideal"] == logic.even_split(_ids(content), 45)
    assert not week._sliders["ideal"]["hiring"].disabled
    assert not week._lock_buttons["ideal"]["hiring"].value
    week._lock_buttons["ideal"]["hiring"].value = True
    week._reset["ideal"].click()  # already even: no new value, but the lock still goes
    assert not week._lock_buttons["ideal"]["hiring"].value


def test_the_ideal_week_can_start_from_the_week_i_had():
    week = TimeAllocation(store=None)
    week._sliders["current"]["stakeholders"].value = 12
    week._copy_current.click()
    assert week.value["ideal"] == week.value["current"]
    assert week._sliders["ideal"]["stakeholders"].value == 12


def test_setting_value_replaces_and_redraws_a_45_hour_week(content):
    week = TimeAllocation(store=None)
    seen = []
    week.observe(seen.append, names="value")
    ids = _ids(content)
    value = {"total": 45, "current": {ids[0]: 40, ids[1]: 5}, "ideal": logic.even_split(ids, 45)}
    week.value = value
    week.value = json.loads(json.dumps(week.value))  # an equal dict: no second event
    assert len(seen) == 1
    assert week.value["total"] == 45 and sum(week.value["current"].values()) == 45
    assert list(week.value["current"]) == ids  # completed, in the content's order
    assert week.value["current"][ids[2]] == 0
    slider = week._sliders["current"][ids[0]]
    assert (slider.value, slider.max) == (40, 45)
    assert week._total_field.value == 45
    assert "Each week adds up to 45 hours" in _text(week._total_status)
    week.value = logic.empty(content)
    assert week._sliders["current"][ids[0]].max == 40
    assert week._sliders["current"][ids[0]].value == week.value["current"][ids[0]]


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (
            {"total": 40, "current": {"hands_on_coding": 39}, "ideal": {"hiring": 40}},
            "'current': the hours add up to 39",
        ),
        (
            {"total": 40, "current": {"ghost": 40}, "ideal": {"hiring": 40}},
            "'current.ghost': not an activity of this kit",
        ),
        ({"total": 500, "current": {}, "ideal": {}}, "'total': expected 1 to 100 hours"),
        ({"current": {}, "ideal": {}}, "'total': missing"),
    ],
    ids=["sum", "unknown-activity", "total-range", "no-total"],
)
def test_a_bad_value_is_refused_with_the_field_named(bad, match):
    week = TimeAllocation(store=None)
    before = week.value
    with pytest.raises((ValueError, traitlets.TraitError), match=re.escape(match)):
        week.value = bad
    assert week.value == before


def test_a_bad_constructor_total_is_refused():
    with pytest.raises(ValueError, match=r"steps of 0\.5"):
        TimeAllocation(store=None, total=40.2)


def test_typing_a_new_total_keeps_set_and_locked_rows_and_the_rest_make_room():
    week = TimeAllocation(store=None)
    week._sliders["current"]["hands_on_coding"].value = 20
    week._lock_buttons["current"]["one_on_ones"].value = True
    held = week.value["current"]["one_on_ones"]
    week._total_field.value = 32
    assert week.value["total"] == 32
    for name in logic.WEEKS:
        assert sum(week.value[name].values()) == 32
    assert week.value["current"]["one_on_ones"] == held
    assert week.value["current"]["hands_on_coding"] == 20  # the participant set it
    assert week._sliders["current"]["hands_on_coding"].max == 32
    week._total_field.value = 45.3  # off the half-hour grid
    assert week.value["total"] == 45.5 and week._total_field.value == 45.5


def test_a_total_too_small_for_the_locks_unlocks_that_week():
    week = TimeAllocation(store=None)
    week._sliders["ideal"]["design_architecture"].value = 30
    week._lock_buttons["ideal"]["design_architecture"].value = True
    week._total_field.value = 20
    assert sum(week.value["ideal"].values()) == 20
    assert not week._lock_buttons["ideal"]["design_architecture"].value


def test_live_feedback_shows_shares_nearest_profile_and_biggest_change(content):
    week = TimeAllocation(store=None)
    roles = content.by_id["roles"]
    week.value = {
        "total": 40,
        "current": dict(roles["senior_ic"].week.hours),
        "ideal": dict(roles["eng_manager"].week.hours),
    }
    shown = _text(week._feedback)
    assert "Hands-on share" in shown and "Meeting share" in shown
    assert "50%" in shown and "10%" in shown  # Senior IC / EM hands-on share
    assert "Senior IC: 100% of the week in common" in shown
    assert "Engineering Manager: 100% of the week in common" in shown
    assert "\u221213 h Hands-on coding & debugging" in shown
    assert "wk-hands-on-current" in week._feedback.value
    week._sliders["ideal"]["hands_on_coding"].value = 15
    assert "Engineering Manager: 100%" not in _text(week._feedback)


def test_every_label_from_content_is_escaped(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(packaged_content_dir(), folder)
    path = folder / "activities.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["activities"][0]["label"] = "Coding <b>&</b> fixing"
    data["reference_lines"][0]["text"] = "Typing <script>x</script> only"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    week = TimeAllocation(store=None, content=load_content(folder))
    week._sliders["ideal"][data["activities"][0]["id"]].value = 10
    for child in (week._feedback, week._references):
        assert "<b>&</b>" not in child.value and "<script>" not in child.value
    assert "Coding &lt;b&gt;&amp;&lt;/b&gt; fixing" in week._feedback.value
    assert "Typing &lt;script&gt;" in week._references.value
    # A slider's description is shown as plain text by ipywidgets: it stays unescaped.
    assert (
        week._sliders["ideal"][data["activities"][0]["id"]].description == "Coding <b>&</b> fixing"
    )


def test_reference_lines_and_profiles_are_shown_with_sources(content):
    week = TimeAllocation(store=None)
    shown = _text(week._references)
    sources = content.by_id["sources"]
    for line in content.reference_lines:
        assert line.text in shown
        for key in line.sources:
            assert sources[key].citation() in shown
    for role in content.roles:
        assert role.label in shown
    assert "ILLUSTRATIVE" in shown and "ILLUSTRATIVE" in _text(week._illustrative)
    for activity in content.activities:
        assert activity.counts in shown
    assert "https://staffeng.com" in week._references.value  # a real link, not a CDN load


def test_chart_button_draws_both_charts_with_their_text():
    week = TimeAllocation(store=None)
    week._sliders["ideal"]["design_architecture"].value = 12
    assert week._week_image.layout.display == "none"
    week._chart_button.click()
    for image in (week._week_image, week._gap_image):
        assert bytes(image.value).startswith(b"\x89PNG")
        assert image.layout.display is None
    assert "illustrative" in _text(week._week_caption)
    assert "Design & architecture (+" in _text(week._gap_caption)
    assert week._chart_note.value == ""
    week._sliders["ideal"]["design_architecture"].value = 14
    assert "press the button" in _text(week._chart_note)  # stale, not redrawn per step
    week._profile_choice.value = "right_hand"  # a choice redraws at once
    assert "The Right Hand profile" in _text(week._week_caption)
    assert week._chart_note.value == ""


def test_chart_methods_return_display_objects_for_notebook_cells():
    week = TimeAllocation(store=None, total=45)
    shown = week.chart("architect")
    assert isinstance(shown, ChartDisplay)
    assert "The Architect profile, scaled to 45 hours" in shown.summary
    assert week.chart().summary.startswith("In the week you had (45 hours)")
    gap = week.gap_chart()
    assert gap.summary == "The week you want is the same as the week you had."
    assert gap.png.startswith(b"\x89PNG")
    week._profile_choice.value = "solver"
    assert week.comparison().profile_id == "solver"  # None follows the drop-down
    with pytest.raises(ValueError, match="'boss' is not a role profile"):
        week.chart("boss")


def test_css_classes_for_browser_tests():
    week = TimeAllocation(store=None)
    assert "wk-time-allocation" in week._dom_classes
    assert "wk-total" in week._total_status._dom_classes
    assert (
        "wk-slider-current-hands_on_coding"
        in week._sliders["current"]["hands_on_coding"]._dom_classes
    )
    assert "wk-lock-ideal-hiring" in week._lock_buttons["ideal"]["hiring"]._dom_classes
    assert "wk-feedback" in week._feedback._dom_classes
    assert week._tabs.titles == ("The week I had", "The week I want")


def test_every_control_has_words_not_only_an_icon():
    week = TimeAllocation(store=None)
    buttons = [
        week._chart_button,
        week._copy_current,
        *week._reset.values(),
        *week._lock_buttons["current"].values(),
    ]
    assert all(b.description.strip() and not b.icon for b in buttons)
    assert all(s.description for s in week._sliders["ideal"].values())


# --------------------------------------------------------------------------- saving
def test_default_widget_saves_and_a_new_one_restores_a_45_hour_week(home):
    week = TimeAllocation(total=45)
    week._sliders["current"]["hands_on_coding"].value = 20
    saved = json.loads((home / "allocation.json").read_text())
    assert saved["exercise"] == "allocation" and saved["value"] == week.value
    again = TimeAllocation()  # its default total is 40, but the saved 45 wins
    assert again.value == week.value and again.value["total"] == 45
    assert again._sliders["current"]["hands_on_coding"].value == 20
    assert again._sliders["current"]["hands_on_coding"].max == 45
    assert str(home) in again._notice.value


def test_the_store_fixture_round_trip(store, content):
    value = logic.empty(content, 37.5)
    store.save("allocation", value)
    assert TimeAllocation(store=store).value == value


def test_locks_set_rows_and_unplaced_hours_are_saved_in_the_same_file(home):
    week = TimeAllocation()
    week._lock_buttons["current"]["hiring"].value = True
    week._sliders["current"]["hands_on_coding"].value = 10
    saved = json.loads((home / "allocation.json").read_text())
    assert set(saved["value"]) == {"total", "current", "ideal", "unplaced", "set", "locked"}
    assert saved["value"]["locked"]["current"] == ["hiring"]
    assert saved["value"]["set"]["current"] == ["hands_on_coding"]
    again = TimeAllocation()
    assert again._lock_buttons["current"]["hiring"].value
    assert again._sliders["current"]["hiring"].disabled
    assert again.value == week.value


def test_a_slider_never_changes_a_row_the_participant_set(content):
    """The issue's example: coding to 20 h, then 1:1s to 8 h; coding stays at 20."""
    week = TimeAllocation(store=None)
    sliders = week._sliders["current"]
    sliders["hands_on_coding"].value = 20
    sliders["one_on_ones"].value = 8
    assert week.value["current"]["hands_on_coding"] == 20
    assert week.value["current"]["one_on_ones"] == 8
    assert sum(week.value["current"].values()) == 40


def test_when_every_row_is_set_the_rest_waits_visibly_as_not_yet_placed(content):
    week = TimeAllocation(store=None)
    sliders = week._sliders["current"]
    week.value = {**week.value, "set": {"current": _ids(content), "ideal": []}}
    assert "Every hour is placed" in _text(week._free["current"])
    before = dict(week.value["current"])
    sliders["hands_on_coding"].value = before["hands_on_coding"] - 2
    assert week.value["unplaced"]["current"] == 2
    assert {k: v for k, v in week.value["current"].items() if k != "hands_on_coding"} == {
        k: v for k, v in before.items() if k != "hands_on_coding"
    }
    assert "2 h not yet placed" in _text(week._free["current"])
    sliders["hiring"].value = before["hiring"] + 5  # only the 2 waiting hours can go there
    assert week.value["current"]["hiring"] == before["hiring"] + 2
    assert sliders["hiring"].value == before["hiring"] + 2
    assert week.value["unplaced"]["current"] == 0
    week._reset["current"].click()
    assert week.value["set"]["current"] == [] and week.value["unplaced"]["current"] == 0


def test_unbound_widget_writes_nothing(home):
    TimeAllocation(store=None)._sliders["current"]["hiring"].value = 10
    assert not home.exists()


def test_hours_of_retired_activities_are_kept_and_reported(home, content):
    home.mkdir()
    ids = _ids(content)
    current = {**logic.even_split(ids, 36), "retired_activity": 4.0}
    (home / "allocation.json").write_text(
        json.dumps(
            {
                "schema": 1,
                "exercise": "allocation",
                "kept": {},
                "value": {"total": 40, "current": current, "ideal": logic.even_split(ids, 40)},
            }
        )
    )
    week = TimeAllocation()
    assert "retired_activity" not in week.value["current"]
    assert sum(week.value["current"].values()) == 40
    assert any("no longer in the kit" in n for n in week.notices)
    week._sliders["ideal"]["hiring"].value = 8
    saved = json.loads((home / "allocation.json").read_text())
    assert saved["kept"] == {"current": {"retired_activity": 4.0}}


def test_a_damaged_file_is_set_aside_and_the_exercise_still_opens(home, content):
    home.mkdir()
    (home / "allocation.json").write_text('{"schema": 1, "value": {"tot')
    week = TimeAllocation()
    assert week.value == logic.empty(content)
    (aside,) = home.glob("allocation.unreadable-*.json")
    assert aside.name in week._notice.value


def test_an_unusable_saved_week_is_kept_and_the_exercise_starts_fresh(home, content):
    home.mkdir()
    bad = {"total": 40, "current": {"hiring": 39}, "ideal": {"hiring": 40}}
    (home / "allocation.json").write_text(
        json.dumps({"schema": 1, "exercise": "allocation", "kept": {}, "value": bad})
    )
    week = TimeAllocation()
    assert week.value == logic.empty(content)
    assert any("could not be used" in n and "'current'" in n for n in week.notices)


def test_the_demo_profile_loads_and_saves_nothing(home):
    week = TimeAllocation(store=DemoStore())
    assert sum(week.value["current"].values()) == week.value["total"]
    week._sliders["current"]["hiring"].value = 10
    assert not home.exists()


# --------------------------------------------------------------------------- logic the view calls
def test_a_typed_total_is_rounded_to_half_hours_and_kept_in_range():
    from kit import allocation

    assert allocation.typed_total(37.3) == 37.5
    assert allocation.typed_total(37.25) == 37.5  # halves up, as the sliders do
    assert allocation.typed_total(40.0) == 40 and isinstance(allocation.typed_total(40.0), int)
    assert allocation.typed_total(0) == allocation.MIN_TOTAL
    assert allocation.typed_total(1000) == allocation.MAX_TOTAL


def test_resize_lets_go_of_locks_only_where_the_locked_hours_do_not_fit(content):
    from kit import allocation

    week = TimeAllocation(store=None)
    first = content.activities[0].id
    value = {
        **week.value,
        "current": allocation.rebalance(week.value["current"], first, 30),
        "locked": {"current": [first], "ideal": [first]},
    }
    new, unlocked = allocation.resize(value, 20)
    assert unlocked == ("current",)  # 30 locked hours cannot fit a 20-hour week
    assert sum(new["current"].values()) == 20 and sum(new["ideal"].values()) == 20
    assert new["ideal"][first] == value["ideal"][first]  # still locked where it fits


def test_the_biggest_change_is_the_largest_gap_earlier_activity_first():
    from kit import allocation

    same = {"a": 10.0, "b": 10.0}
    assert allocation.biggest_change({"total": 20, "current": same, "ideal": same}) is None
    moved = {"total": 20, "current": same, "ideal": {"a": 6.0, "b": 14.0}}
    assert allocation.biggest_change(moved) == ("a", -4.0)
