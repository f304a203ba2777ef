"""Answers kept for retired content are never dropped, whatever else is wrong with a file."""

from __future__ import annotations

import json

from kit import MotivationSort, TimeAllocation
from kit.answers import AnswerStore

KEPT = {"cards": {"retired_card": {"bucket": "watch", "frequency": "often"}}}


def _write(home, exercise, value, kept):
    home.mkdir(exist_ok=True)
    data = {"schema": 1, "exercise": exercise, "value": value, "kept": kept}
    (home / f"{exercise}.json").write_text(json.dumps(data), encoding="utf-8")


def test_an_unusable_value_does_not_drop_the_kept_answers(home):
    unusable = {"cards": "not a map", "own": []}
    _write(home, "motivations", unusable, KEPT)
    sort = MotivationSort()
    assert any("could not be used" in n for n in sort.notices)
    sort._buckets["watch"].click()  # the first change saves
    saved = AnswerStore(home).load("motivations")
    assert saved.value == sort.value
    assert saved.kept["cards"] == KEPT["cards"]  # the retired card's answer is still there
    assert unusable in saved.kept.values()  # and so is the value that could not be used
    sort._buckets["healthy"].click()  # and after a second change too
    again = AnswerStore(home).load("motivations")
    assert again.kept["cards"] == KEPT["cards"] and unusable in again.kept.values()


def test_a_second_unusable_value_does_not_replace_the_first(home):
    first = {"cards": "first broken", "own": []}
    _write(home, "motivations", {"cards": "second broken", "own": []}, {"unusable": first})
    MotivationSort()._buckets["watch"].click()
    kept = AnswerStore(home).load("motivations").kept
    assert first in kept.values() and {"cards": "second broken", "own": []} in kept.values()


def test_hours_kept_from_two_retired_activities_add_up(home, content):
    ids = [a.id for a in content.activities]
    week = dict.fromkeys(ids, 0.0)
    week[ids[0]] = 30.0
    week["retired_now"] = 10.0  # retired since the last save
    value = {"total": 40, "current": week, "ideal": dict(week)}
    _write(home, "allocation", value, {"current": {"retired_long_ago": 2.0}})
    TimeAllocation()._reset_week("current")
    kept = AnswerStore(home).load("allocation").kept
    assert kept["current"] == {"retired_long_ago": 2.0, "retired_now": 10.0}
    assert kept["ideal"] == {"retired_now": 10.0}
