"""The week's pure logic (rebalancing, comparisons, texts) and its content files' errors."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kit import allocation as logic
from kit.content import ContentError, load_content, packaged_content_dir

IDS = [f"a{i}" for i in range(12)]


def _week(*hours: float) -> dict[str, float]:
    return {f"a{i}": float(h) for i, h in enumerate(hours)}


# --------------------------------------------------------------------------- even split
def test_even_split_is_deterministic_in_half_hours_and_exact():
    week = logic.even_split(IDS, 40)
    assert list(week.values()) == [3.5] * 8 + [3.0] * 4  # earlier activities first
    assert sum(week.values()) == 40
    assert logic.even_split(IDS, 40) == week


@pytest.mark.parametrize(("total", "n"), [(40, 12), (45, 12), (32, 13), (37.5, 10), (1, 12)])
def test_even_split_adds_up_for_any_total(total, n):
    week = logic.even_split([f"x{i}" for i in range(n)], total)
    assert sum(week.values()) == total
    assert max(week.values()) - min(week.values()) <= logic.STEP
    assert all((h / logic.STEP).is_integer() for h in week.values())


def test_empty_value_splits_both_weeks_over_the_content(content):
    value = logic.empty(content, 45)
    assert value["total"] == 45 and isinstance(value["total"], int)
    ids = [a.id for a in content.activities]
    for week in logic.WEEKS:
        assert list(value[week]) == ids
        assert sum(value[week].values()) == 45


# --------------------------------------------------------------------------- rebalance
def test_rebalance_moves_one_and_shares_the_difference_in_proportion():
    week = {"a": 10.0, "b": 20.0, "c": 10.0}
    assert logic.rebalance(week, "a", 20) == {"a": 20.0, "b": 13.5, "c": 6.5}
    assert logic.rebalance(week, "a", 0) == {"a": 0.0, "b": 26.5, "c": 13.5}
    assert week == {"a": 10.0, "b": 20.0, "c": 10.0}  # the argument is left alone


def test_one_step_up_takes_one_step_from_one_other_only():
    week = logic.even_split(IDS, 40)
    new = logic.rebalance(week, "a0", 4.0)
    changed = {k: new[k] - week[k] for k in week if new[k] != week[k]}
    assert len(changed) == 2 and changed.pop("a0") == 0.5  # the largest remainder keeps
    assert list(changed.values()) == [-0.5]  # everyone else where they were
    assert sum(new.values()) == 40


def test_the_request_is_rounded_to_half_hours():
    week = _week(10, 10, 10, 10)
    assert logic.rebalance(week, "a0", 12.3)["a0"] == 12.5
    assert logic.rebalance(week, "a0", 12.2)["a0"] == 12.0
    assert logic.rebalance(week, "a0", 12.25)["a0"] == 12.5  # halves go up


def test_a_slider_pushed_past_what_is_free_stops_there():
    week = _week(10, 10, 10, 10)
    new = logic.rebalance(week, "a0", 39, locked={"a1"})
    assert new == _week(30, 10, 0, 0)
    assert logic.rebalance(week, "a0", -5) == _week(0, 13.5, 13.5, 13)


def test_nothing_moves_when_every_other_activity_is_locked():
    week = _week(10, 10, 20)
    assert logic.rebalance(week, "a0", 25, locked={"a1", "a2"}) == week


def test_time_freed_goes_equally_to_others_that_are_all_zero():
    week = _week(40, 0, 0, 0)
    assert logic.rebalance(week, "a0", 31) == _week(31, 3, 3, 3)
    assert logic.rebalance(week, "a0", 39) == _week(39, 0.5, 0.5, 0)  # earlier ones first


def test_the_moved_activity_moves_even_if_it_is_in_the_locked_set():
    assert logic.rebalance(_week(10, 10, 20), "a0", 20, locked={"a0", "a1"}) == _week(20, 10, 10)


@pytest.mark.parametrize(
    ("week", "changed", "new", "match"),
    [
        (_week(20, 20), "ghost", 1, "'ghost' is not an activity of this week"),
        (_week(20, 20), "a0", math.nan, "expected a number of hours"),
        ({"a0": 20.2, "a1": 19.8}, "a0", 1, "'a0': expected hours in steps of 0.5"),
        ({"a0": -1.0, "a1": 41.0}, "a0", 1, "'a0': expected 0 or more hours"),
    ],
    ids=["unknown-id", "nan", "off-step", "negative"],
)
def test_rebalance_refuses_what_it_cannot_honour(week, changed, new, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        logic.rebalance(week, changed, new)


STEPS = st.sampled_from([0.5, 0.25, 1.0])


@st.composite
def moves(draw):
    step = draw(STEPS)
    units = draw(st.lists(st.integers(0, 60), min_size=1, max_size=13))
    week = {f"a{i}": u * step for i, u in enumerate(units)}
    changed = draw(st.sampled_from(sorted(week)))
    locked = draw(st.sets(st.sampled_from(sorted(week))))
    total = sum(week.values())
    new = draw(st.floats(-10, total + 10, allow_nan=False))
    return week, changed, new, frozenset(locked), step


@given(moves())
def test_rebalance_keeps_the_week_whole_in_whole_steps(move):
    week, changed, new, locked, step = move
    out = logic.rebalance(week, changed, new, locked, step)
    assert list(out) == list(week)
    assert sum(out.values()) == sum(week.values())  # exactly, not approximately
    assert all(h >= 0 and (h / step).is_integer() for h in out.values())
    for key in locked - {changed}:
        assert out[key] == week[key]
    others_free = [k for k in week if k != changed and k not in locked]
    if others_free:
        room = sum(week.values()) - sum(week[k] for k in locked - {changed})
        asked = math.floor(new / step + 0.5) * step
        assert out[changed] == min(max(asked, 0), room)
    else:
        assert out == week


@given(moves())
def test_moving_a_slider_to_where_it_is_changes_nothing(move):
    week, changed, _new, locked, step = move
    assert logic.rebalance(week, changed, week[changed], locked, step) == week


@given(moves(), st.integers(2, 200))
def test_rescale_fits_any_total_and_keeps_locks_when_they_fit(move, new_units):
    week, _changed, _new, locked, step = move
    total = new_units * step
    held = sum(week[k] for k in locked)
    free = [k for k in week if k not in locked]
    if held > total or (not free and held != total):
        with pytest.raises(ValueError, match="cannot fit"):
            logic.rescale(week, total, locked, step)
        return
    out = logic.rescale(week, total, locked, step)
    assert sum(out.values()) == total
    assert all(out[k] == week[k] for k in locked)
    assert all(h >= 0 and (h / step).is_integer() for h in out.values())


# --------------------------------------------------------------------------- place: set rows stay
@st.composite
def placements(draw):
    """A week (rows, unplaced), a row to move, where to, and the rows the participant kept."""
    step = draw(STEPS)
    units = draw(st.lists(st.integers(0, 60), min_size=1, max_size=13))
    week = {f"a{i}": u * step for i, u in enumerate(units)}
    unplaced = draw(st.integers(0, 40)) * step
    changed = draw(st.sampled_from(sorted(week)))
    keep = frozenset(draw(st.sets(st.sampled_from(sorted(week)))))
    total = sum(week.values()) + unplaced
    new = draw(st.floats(-10, total + 10, allow_nan=False))
    return week, unplaced, changed, new, keep, step


@settings(deadline=None)  # a shared 2-core machine: time is no property here
@given(placements())
def test_place_never_changes_a_kept_row_and_keeps_the_week_whole(move):
    week, unplaced, changed, new, keep, step = move
    out, waiting = logic.place(week, unplaced, changed, new, keep, step)
    assert list(out) == list(week)
    assert sum(out.values()) + waiting == sum(week.values()) + unplaced  # exactly
    assert waiting >= 0 and (waiting / step).is_integer()
    assert all(h >= 0 and (h / step).is_integer() for h in out.values())
    for key in keep - {changed}:
        assert out[key] == week[key]  # a row the participant set or locked stays put
    free = [k for k in week if k != changed and k not in keep]
    most = week[changed] + unplaced + sum(week[k] for k in free)
    asked = math.floor(new / step + 0.5) * step
    assert out[changed] == min(max(asked, 0), most)  # exactly where asked, if it can be


@settings(deadline=None)  # a shared 2-core machine: time is no property here
@given(placements())
def test_untouched_rows_make_room_before_anything_waits_unplaced(move):
    week, unplaced, changed, new, keep, step = move
    out, waiting = logic.place(week, unplaced, changed, new, keep, step)
    free = [k for k in week if k != changed and k not in keep]
    moved = out[changed] - week[changed]
    if moved < 0:  # hours taken away: to the untouched rows, else they wait
        assert all(out[k] >= week[k] for k in free)
        assert waiting == (unplaced if free else unplaced - moved)
    if moved > 0:  # hours added: from the waiting ones first, then the untouched rows
        assert waiting == max(unplaced - moved, 0)
        assert all(out[k] <= week[k] for k in free)
    if moved == 0:
        assert (out, waiting) == (week, unplaced)


def test_the_issue_example_coding_stays_at_20_when_one_to_ones_move():
    week = logic.even_split(IDS, 40)
    week, waiting = logic.place(week, 0, "a0", 20)  # coding, nothing set yet
    week, waiting = logic.place(week, waiting, "a1", 8, keep={"a0"})  # then 1:1s
    assert (week["a0"], week["a1"], waiting) == (20, 8, 0)
    everything = set(IDS)
    week, waiting = logic.place(week, waiting, "a1", 2, keep=everything)
    assert (week["a0"], week["a1"], waiting) == (20, 2, 6)  # 6 h not yet placed
    week, waiting = logic.place(week, waiting, "a0", 40, keep=everything)
    assert (week["a0"], waiting) == (26, 0)  # only what waits can be added


@settings(deadline=None)  # a shared 2-core machine: time is no property here
@given(placements(), st.integers(2, 200))
def test_resize_keeps_the_week_whole_and_moves_set_rows_last(move, new_units):
    week, unplaced, _changed, _new, keep, step = move
    if step != logic.STEP:
        return  # the value's weeks are in half hours
    ids = sorted(week)
    locked = sorted(k for k in keep if ids.index(k) % 2)
    chosen = sorted(keep)
    value = {
        "total": sum(week.values()) + unplaced,
        "current": week,
        "ideal": week,
        "unplaced": {"current": unplaced, "ideal": unplaced},
        "set": {"current": chosen, "ideal": chosen},
        "locked": {"current": locked, "ideal": locked},
    }
    if not logic.MIN_TOTAL <= value["total"] <= logic.MAX_TOTAL:
        return
    total = min(max(new_units * step, logic.MIN_TOTAL), logic.MAX_TOTAL)
    out, unlocked = logic.resize(logic.validate(value), total)
    logic.validate(out)  # rows plus unplaced make the new total
    held = sum(week[k] for k in locked)
    assert unlocked == (("current", "ideal") if held > total else ())
    if held <= total:
        assert all(out["current"][k] == week[k] for k in locked)
    untouched = [k for k in ids if k not in keep]
    if total >= value["total"] and not untouched:
        assert out["current"] == week  # nothing to grow: the new hours wait, not yet placed
    if total <= value["total"] and value["total"] - total <= unplaced:
        assert out["current"] == week  # the waiting hours go first


def test_a_saved_week_without_the_new_keys_still_reads_and_gains_them():
    old = {"total": 40, "current": logic.even_split(IDS, 40), "ideal": logic.even_split(IDS, 40)}
    checked = logic.validate(old)
    assert checked["unplaced"] == {"current": 0.0, "ideal": 0.0}
    assert checked["set"] == checked["locked"] == {"current": [], "ideal": []}


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"unplaced": {"current": 2}}, "'current': the hours add up to 40 and 2 not yet placed"),
        ({"unplaced": {"later": 0}}, "'unplaced': unknown week(s) ['later']"),
        ({"unplaced": {"current": -1}}, "'unplaced.current': expected 0 or more"),
        ({"set": {"current": "a0"}}, "'set.current': expected a list of activity ids"),
        ({"locked": []}, "'locked': expected a dict with 'current' and 'ideal'"),
    ],
)
def test_validate_names_a_wrong_unplaced_set_or_locked_field(change, match):
    even = logic.even_split(IDS, 40)
    with pytest.raises(ValueError, match=re.escape(match)):
        logic.validate({"total": 40, "current": even, "ideal": even, **change})


def test_split_known_keeps_unplaced_hours_unplaced(content):
    ids = [a.id for a in content.activities]
    saved = {
        "total": 40,
        "current": {ids[0]: 30.0, "retired": 6.0},
        "ideal": logic.even_split(ids, 40),
        "unplaced": {"current": 4.0},
        "set": {"current": [ids[0], "retired"]},
    }
    known, kept = logic.split_known(logic.validate(saved), content)
    assert kept == {"current": {"retired": 6.0}}
    assert known["unplaced"]["current"] == 4.0
    assert sum(known["current"].values()) == 36
    assert known["set"]["current"] == [ids[0]]


# --------------------------------------------------------------------------- the value
def _value(total=40, **weeks):
    even = logic.even_split(IDS, 40)
    return {
        "total": total,
        "current": weeks.get("current", even),
        "ideal": weeks.get("ideal", even),
    }


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ([], "must be a dict with 'total', 'current' and 'ideal'"),
        ({**_value(), "notes": "x"}, "unknown key(s) ['notes']"),
        ({"total": 40, "current": {}}, "'ideal': missing"),
        (_value(True), "'total': expected a number of hours"),
        ({**_value(), "total": 0}, "'total': expected 1 to 100 hours"),
        ({**_value(), "total": 200}, "'total': expected 1 to 100 hours"),
        ({**_value(), "total": 40.3}, "'total': expected hours in steps of 0.5"),
        (_value(current=[1, 2]), "'current': expected a dict of activity id -> hours"),
        (_value(current={"a0": 41.0, "a1": -1.0}), "'current.a1': expected 0 or more"),
        (_value(ideal={"a0": 39.9, "a1": 0.1}), "'ideal.a0': expected hours in steps of 0.5"),
        (_value(ideal={"a0": "40"}), "'ideal.a0': expected a number of hours"),
        (_value(current={"a0": 39.5}), "'current': the hours add up to 39.5, but 'total' is"),
        (_value(current={1: 40.0}), "'current': activity id 1 must be a string"),
    ],
    ids=[
        "not-a-dict",
        "unknown-key",
        "missing-week",
        "bool-total",
        "zero-total",
        "huge-total",
        "off-step-total",
        "week-not-dict",
        "negative",
        "off-step",
        "text",
        "sum",
        "id-not-text",
    ],
)
def test_validate_names_the_field_that_is_wrong(value, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        logic.validate(value)


def test_validate_normalises_numbers():
    checked = logic.validate(
        {"total": 45.0, "current": {"a0": 45}, "ideal": {"a0": 44.5, "a1": 0.5}}
    )
    assert checked == {
        "total": 45,
        "current": {"a0": 45.0},
        "ideal": {"a0": 44.5, "a1": 0.5},
        "unplaced": {"current": 0.0, "ideal": 0.0},
        "set": {"current": [], "ideal": []},
        "locked": {"current": [], "ideal": []},
    }
    assert isinstance(checked["total"], int) and isinstance(checked["current"]["a0"], float)
    assert (
        logic.validate({"total": 37.5, "current": {"a": 37.5}, "ideal": {"a": 37.5}})["total"]
        == 37.5
    )


def test_complete_fills_missing_activities_and_refuses_unknown_ones(content):
    ids = [a.id for a in content.activities]
    value = logic.complete(
        {"total": 40, "current": {ids[3]: 40.0}, "ideal": {ids[0]: 40.0}}, content
    )
    assert list(value["current"]) == ids
    assert value["current"][ids[3]] == 40 and value["current"][ids[0]] == 0
    with pytest.raises(ValueError, match=r"'ideal\.ghost': not an activity of this kit"):
        logic.complete({"total": 40, "current": {}, "ideal": {"ghost": 40.0}}, content)


def test_split_known_keeps_retired_activities_and_keeps_the_week_whole(content):
    ids = [a.id for a in content.activities]
    saved = {
        "total": 45,
        "current": {ids[0]: 30.0, ids[1]: 10.0, "retired": 5.0},
        "ideal": {"retired": 45.0},
    }
    known, kept = logic.split_known(saved, content)
    assert kept == {"current": {"retired": 5.0}, "ideal": {"retired": 45.0}}
    assert known["total"] == 45
    assert known["current"][ids[0]] == 34 and known["current"][ids[1]] == 11  # 30:10 kept
    assert known["ideal"] == logic.even_split(ids, 45)
    assert logic.split_known(logic.empty(content), content) == (logic.empty(content), {})


# --------------------------------------------------------------------------- comparing
def test_a_45_hour_week_compares_fairly_with_a_40_hour_profile(content):
    role = content.by_id["roles"]["tech_lead"]
    scaled = logic.profile_hours(role, 45)
    assert math.isclose(sum(scaled.values()), 45)
    assert logic.distance(scaled, role.week.hours) == pytest.approx(0)
    assert logic.nearest_profiles(scaled, content)[0][0] == "tech_lead"


def test_nearest_profiles_ranks_every_role_nearest_first(content):
    em = content.by_id["roles"]["eng_manager"].week.hours
    ranked = logic.nearest_profiles(em, content)
    assert ranked[0] == ("eng_manager", 0.0)
    assert {r for r, _ in ranked} == {r.id for r in content.roles}
    assert [d for _, d in ranked] == sorted(d for _, d in ranked)


def test_ties_keep_the_content_order_despite_float_noise(content):
    # A week equally far from Senior IC and Solver, up to float noise in the shares.
    week = logic.empty(content)["current"]
    week = logic.rebalance(week, "hands_on_coding", 20)
    ranked = logic.nearest_profiles(week, content)
    order = [r.id for r in content.roles]
    tied = [r for r, d in ranked if math.isclose(d, ranked[0][1], abs_tol=1e-9)]
    assert tied == sorted(tied, key=order.index)


def test_distance_is_the_share_of_the_week_that_would_move():
    assert logic.distance({"a": 20, "b": 20}, {"a": 40, "b": 0}) == 0.5
    assert logic.distance({"a": 45}, {"b": 40}) == 1.0
    assert logic.distance({"a": 0}, {"a": 0}) == 0.0


def test_hands_on_and_meeting_shares_follow_the_activity_tags(content):
    roles = content.by_id["roles"]
    senior, em = roles["senior_ic"].week.hours, roles["eng_manager"].week.hours
    assert logic.hands_on_share(senior, content) == pytest.approx(0.5)  # brief C2: 50%
    assert logic.meeting_share(senior, content) == pytest.approx(6.5 / 40)  # 16%
    assert logic.hands_on_share(em, content) == pytest.approx(0.1)  # 10%
    assert logic.meeting_share(em, content) == pytest.approx(21 / 40)  # 53%
    doubled = {k: 2 * v for k, v in em.items()}
    assert logic.meeting_share(doubled, content) == pytest.approx(21 / 40)


def test_gaps_are_shares_of_the_week():
    assert logic.gaps({"a": 30, "b": 10}, {"a": 20, "b": 20}) == {"a": -0.25, "b": 0.25}
    assert logic.gaps({"a": 45}, {"a": 40}) == {"a": 0.0}


def _compared(content, profile_id=None, total=45):
    value = logic.empty(content, total)
    value["current"] = logic.rebalance(value["current"], "hands_on_coding", 20)
    value["ideal"] = logic.rebalance(value["ideal"], "design_architecture", 12)
    return value, logic.compare(value, content, profile_id)


def test_compare_gives_gaps_shares_nearest_and_a_scaled_profile(content):
    value, comparison = _compared(content)
    assert comparison.total == 45
    assert comparison.activities == tuple(a.id for a in content.activities)
    assert comparison.gap_hours["hands_on_coding"] == value["ideal"]["hands_on_coding"] - 20
    assert sum(comparison.gap_hours.values()) == 0
    assert comparison.profile_id == comparison.nearest["ideal"][0][0]  # default: nearest
    assert math.isclose(sum(comparison.profile.values()), 45)
    assert comparison.hands_on["current"] == pytest.approx(
        logic.hands_on_share(value["current"], content)
    )
    assert set(comparison.nearest) == set(logic.WEEKS)
    assert logic.compare(value, content, "right_hand").profile_id == "right_hand"
    with pytest.raises(ValueError, match="'boss' is not a role profile"):
        logic.compare(value, content, "boss")


def test_comparison_text_says_illustrative_and_cites_the_profile(content):
    _, comparison = _compared(content, "tech_lead")
    text = logic.comparison_text(comparison, content)
    assert "In the week you had (45 hours)" in text
    assert "The Tech Lead profile, scaled to 45 hours" in text
    assert "illustrative" in text
    assert content.by_id["sources"]["larson_2020_archetypes"].title in text
    assert ".;" not in text and text.endswith(").")


def test_gap_text_names_the_biggest_moves_with_signs(content):
    value, comparison = _compared(content)
    text = logic.gap_text(comparison, content)
    assert "Design & architecture (+" in text
    assert "Hands-on coding & debugging (\u2212" in text
    same = logic.compare({**value, "ideal": value["current"]}, content)
    assert logic.gap_text(same, content) == "The week you want is the same as the week you had."


def test_signed_hours():
    assert [logic.signed_hours(h) for h in (2.5, -3, 0)] == ["+2.5 h", "\u22123 h", "0 h"]


# --------------------------------------------------------------------------- content files
def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(packaged_content_dir(), folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return list(info.value.problems)


def _entry(data: dict, key: str, ident: str) -> dict:
    return next(e for e in data[key] if e["id"] == ident)


def _role_week(ident: str):
    def get(data):
        return _entry(data, "roles", ident)["week"]

    return get


def _set(getter, **fields):
    def change(data):
        getter(data).update(fields)

    return change


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "activities.yaml",
            _set(lambda d: _entry(d, "activities", "hiring"), tags=["coding"]),
            ["activities.yaml", "activity 'hiring'", "field 'tags.0'", "'coding'"],
        ),
        (
            "activities.yaml",
            _set(lambda d: _entry(d, "activities", "hiring"), label="H" * 41),
            ["activity 'hiring'", "field 'label'", "40 characters"],
        ),
        (
            "activities.yaml",
            _set(lambda d: _entry(d, "activities", "hiring"), counts=""),
            ["activity 'hiring'", "field 'counts'"],
        ),
        (
            "activities.yaml",
            lambda d: d["activities"].append(dict(_entry(d, "activities", "hiring"))),
            ["activity 'hiring'", "field 'id'", "duplicate id"],
        ),
        (
            "activities.yaml",
            lambda d: d["activities"].append(
                {"id": "learning", "label": "Learning", "counts": "Courses and reading."}
            ),
            ["roles.yaml", "role 'senior_ic'", "no hours for activity 'learning'"],
        ),
        (
            "activities.yaml",
            _set(
                lambda d: _entry(d, "reference_lines", "developer_active_coding"), activity="typing"
            ),
            [
                "reference line 'developer_active_coding'",
                "field 'activity'",
                "'typing' is not an activity id",
            ],
        ),
        (
            "activities.yaml",
            _set(lambda d: _entry(d, "reference_lines", "average_meetings"), sources=["nobody"]),
            [
                "reference line 'average_meetings'",
                "field 'sources'",
                "'nobody' is not an id in sources.yaml",
            ],
        ),
        (
            "activities.yaml",
            _set(lambda d: _entry(d, "reference_lines", "average_meetings"), hours=-15),
            ["reference line 'average_meetings'", "field 'hours'"],
        ),
        (
            "activities.yaml",
            _set(lambda d: _entry(d, "reference_lines", "average_meetings"), sources=[]),
            ["reference line 'average_meetings'", "field 'sources'"],
        ),
        (
            "roles.yaml",
            _set(lambda d: _role_week("solver")(d)["hours"], hiring=5),
            [
                "roles.yaml",
                "role 'solver'",
                "field 'week.hours'",
                "add up to 41",
                "'week.total' says 40",
            ],
        ),
        (
            "roles.yaml",
            _set(lambda d: _role_week("solver")(d)["hours"], hiring=3, ghost=1),
            ["role 'solver'", "field 'week.hours.ghost'", "not an activity id"],
        ),
        (
            "roles.yaml",
            _set(lambda d: _role_week("solver")(d)["hours"], hiring=-1, hands_on_coding=21),
            ["role 'solver'", "field 'week.hours.hiring'", "expected 0 or more hours"],
        ),
        (
            "roles.yaml",
            _set(lambda d: _entry(d, "roles", "solver"), id="fixer"),
            ["role 'fixer'", "field 'id'", "unknown role"],
        ),
        (
            "roles.yaml",
            lambda d: d["roles"].remove(_entry(d, "roles", "solver")),
            ["roles.yaml", "role 'solver' is missing"],
        ),
        (
            "roles.yaml",
            lambda d: _role_week("solver")(d).pop("total"),
            ["role 'solver'", "field 'week.total'", "missing"],
        ),
        (
            "roles.yaml",
            _set(_role_week("solver"), total=0),
            ["role 'solver'", "field 'week.total'", "greater than 0"],
        ),
        (
            "roles.yaml",
            _set(_role_week("solver"), sources=["nobody"]),
            ["role 'solver'", "field 'sources'", "'nobody' is not an id in sources.yaml"],
        ),
    ],
    ids=[
        "unknown-tag",
        "long-label",
        "empty-counts",
        "duplicate",
        "uncovered-activity",
        "line-unknown-activity",
        "line-unknown-source",
        "line-negative-hours",
        "line-no-sources",
        "role-sum",
        "role-unknown-activity",
        "role-negative-hours",
        "role-unknown-id",
        "role-missing",
        "role-week-no-total",
        "role-week-zero-total",
        "role-week-unknown-source",
    ],
)
def test_bad_week_content_names_file_entry_and_field(tmp_path, name, change, expected):
    folder = _copy(tmp_path)
    _edit(folder, name, change)
    problems = _problems(folder)
    assert any(all(part in p for part in expected) for p in problems), problems


def test_an_empty_activity_list_is_reported(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, "activities.yaml", lambda d: d.update(activities=[], reference_lines=[]))
    problems = _problems(folder)
    assert any("activities.yaml" in p and "'activities' has no entries" in p for p in problems), (
        problems
    )


def test_a_role_may_state_its_own_total_and_is_compared_by_shares(tmp_path):
    folder = _copy(tmp_path)

    def longer(data):
        week = _role_week("solver")(data)
        week["total"] = 45
        week["hours"]["hands_on_coding"] += 5

    _edit(folder, "roles.yaml", longer)
    content = load_content(folder)
    solver = content.by_id["roles"]["solver"]
    assert solver.week.total == 45
    assert logic.nearest_profiles(solver.week.hours, content)[0] == ("solver", 0.0)
    scaled = logic.profile_hours(solver, 40)
    assert math.isclose(sum(scaled.values()), 40)
    assert scaled["hands_on_coding"] == pytest.approx(21 / 45 * 40)


def test_the_room_share_holds_shares_of_the_placed_hours_only(content):
    from kit.room.shares import allocation_payload, check_week

    ids = [a.id for a in content.activities]
    value = logic.empty(content)
    value["current"], waiting = logic.place(value["current"], 0, ids[0], 0, keep=set(ids))
    value["unplaced"] = {"current": waiting, "ideal": 0.0}
    payload = check_week(allocation_payload(value, content))
    assert payload["current"][ids[0]] == 0 and set(payload) == {"current", "ideal"}
    nothing = {**value, "current": dict.fromkeys(ids, 0.0), "unplaced": {"current": 40.0}}
    assert allocation_payload(nothing, content) is None  # no hour placed: nothing to share
