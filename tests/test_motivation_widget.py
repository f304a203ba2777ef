"""The card sort widget, driven from Python as a person's hand would drive it."""

from __future__ import annotations

import html
import json

import pytest
import traitlets

from kit import MotivationSort


def _sorted_all(content) -> dict:
    return {
        "cards": {c.id: {"bucket": c.reading, "frequency": "sometimes"} for c in content.cards},
        "own": [],
    }


def _sort_into(sort, bucket: str, frequency: str = "sometimes") -> None:
    """What a hand does: say how often (unless already said), then press the column."""
    if sort._frequency.value is None:
        sort._frequency.value = frequency
    sort._buckets[bucket].click()


def test_a_column_waits_until_how_often_is_said(content):
    sort = MotivationSort(store=None)
    assert all(b.disabled for b in sort._buckets.values())
    assert content.text("sort_how_often_first") in sort._bucket_hint.value
    sort._frequency.value = "rarely"
    assert not any(b.disabled for b in sort._buckets.values())
    assert sort._bucket_hint.value == ""
    sort._buckets["healthy"].click()
    assert list(sort.value["cards"].values()) == [{"bucket": "healthy", "frequency": "rarely"}]
    assert all(b.disabled for b in sort._buckets.values())  # the next card starts unmarked


def test_choosing_a_column_places_the_card_and_deals_the_next(content):
    sort = MotivationSort(store=None)
    first = sort.current_card
    sort._frequency.value = "often"
    sort._buckets["watch"].click()
    assert sort.value == {"cards": {first: {"bucket": "watch", "frequency": "often"}}, "own": []}
    assert sort.current_card != first
    assert sort._frequency.value is None  # the next card starts unmarked
    assert sort._progress.value == f"1 of {len(content.cards)} sorted"
    assert sort._progress_bar.value == 1
    text = content.by_id["cards"][first].text
    assert html.escape(text) in sort._columns["watch"].value
    assert "(1)" in sort._columns["watch"].value


def test_cards_are_dealt_in_a_seeded_shuffle(content):
    a, b = MotivationSort(store=None, seed=1), MotivationSort(store=None, seed=1)
    plain = MotivationSort(store=None, seed=None)
    assert a._deck == b._deck
    assert plain._deck == tuple(c.id for c in content.cards)
    assert a._deck != plain._deck


def test_setting_value_redraws_once_and_replaces(content):
    sort = MotivationSort(store=None)
    seen = []
    sort.observe(seen.append, names="value")
    value = {"cards": {"faster_myself": {"bucket": "not_me", "frequency": None}}, "own": []}
    sort.value = value
    sort.value = json.loads(json.dumps(value))  # an equal dict: no second event
    assert len(seen) == 1
    assert sort._progress.value.startswith("1 of ")
    sort.value = {"cards": {}, "own": []}
    assert sort.value == {"cards": {}, "own": []}
    assert "(0)" in sort._columns["not_me"].value


def test_a_bad_value_is_refused_with_a_clear_error():
    sort = MotivationSort(store=None)
    with pytest.raises((ValueError, traitlets.TraitError), match="'bucket' must be one of"):
        sort.value = {"cards": {"faster_myself": {"bucket": "later"}}, "own": []}
    assert sort.value == {"cards": {}, "own": []}


def test_previous_and_next_walk_the_deck(content):
    sort = MotivationSort(store=None, seed=None)
    assert sort.current_card == content.cards[0].id
    sort._next.click()
    assert sort.current_card == content.cards[1].id
    sort._previous.click()
    sort._previous.click()
    assert sort.current_card == content.cards[-1].id  # wraps around


def test_own_reason_joins_the_deck_escaped(content):
    sort = MotivationSort(store=None)
    sort._own_text.value = "<b>I</b> like it & it's quiet"
    sort._own_add.click()
    assert sort.value["own"] == [
        {"id": "own_1", "text": "<b>I</b> like it & it's quiet", "bucket": None, "frequency": None}
    ]
    assert sort.current_card == "own_1"
    assert "&lt;b&gt;I&lt;/b&gt; like it &amp; it&#x27;s quiet" in sort._card.value
    assert "<b>I</b>" not in sort._card.value
    _sort_into(sort, "healthy")
    assert sort.value["own"][0]["bucket"] == "healthy"
    assert "&lt;b&gt;I&lt;/b&gt;" in sort._columns["healthy"].value
    sort._own_add.click()  # empty text
    assert sort._own_message.value == content.text("own_empty")
    assert len(sort.value["own"]) == 1


def test_key_opens_after_sorting_or_on_show_me_anyway(content):
    sort = MotivationSort(store=None)
    assert sort._reveal.disabled and sort._key.value == ""
    assert "to go" in sort._reveal_note.value
    sort._reveal_anyway.click()
    assert html.escape(content.text("key_heading")) in sort._key.value

    done = MotivationSort(store=None)
    done.value = _sorted_all(content)
    assert not done._reveal.disabled
    assert done._reveal_note.value == content.text("sort_all_done")
    done._reveal.click()
    key = done._key.value
    for card in content.cards[:3]:
        assert html.escape(content.by_id["themes"][card.theme].label) in key
    assert "wk-summary" in key


def test_chart_button_draws_a_png_with_its_summary(content):
    sort = MotivationSort(store=None)
    sort.value = _sorted_all(content)
    assert sort._chart_image.layout.display == "none"
    sort._chart_button.click()
    assert bytes(sort._chart_image.value).startswith(b"\x89PNG")
    assert sort._chart_image.layout.display is None
    assert "You sorted" in sort._chart_caption.value


def test_placing_a_card_marks_the_chart_out_of_date_without_redrawing(content):
    sort = MotivationSort(store=None)
    _sort_into(sort, "watch")
    sort._chart_button.click()
    drawn = bytes(sort._chart_image.value)
    _sort_into(sort, "healthy")
    assert bytes(sort._chart_image.value) == drawn  # no matplotlib work on a click
    assert html.escape(content.text("chart_stale")) in sort._chart_caption.value
    sort._chart_button.click()
    assert "1 as &#x27;Healthy reason&#x27;" in sort._chart_caption.value


def test_default_widget_restores_and_saves_in_the_participant_folder(home, content):
    sort = MotivationSort()
    _sort_into(sort, "healthy")
    saved = json.loads((home / "motivations.json").read_text())
    assert saved["schema"] == 1 and saved["value"] == sort.value
    again = MotivationSort()
    assert again.value == sort.value
    assert str(home) in again._notice.value


def test_unbound_widget_writes_nothing(home):
    _sort_into(MotivationSort(store=None), "watch")
    assert not home.exists()


def test_answers_for_retired_cards_are_kept_and_reported(home, content):
    home.mkdir()
    placed = {"bucket": "healthy", "frequency": "often"}
    (home / "motivations.json").write_text(
        json.dumps(
            {
                "schema": 1,
                "exercise": "motivations",
                "kept": {},
                "value": {"cards": {"retired_card": placed, "faster_myself": placed}, "own": []},
            }
        )
    )
    sort = MotivationSort()
    assert sort.value["cards"] == {"faster_myself": placed}
    assert any("no longer in the kit" in n for n in sort.notices)
    _sort_into(sort, "watch")
    saved = json.loads((home / "motivations.json").read_text())
    assert saved["kept"] == {"cards": {"retired_card": placed}}


def test_a_damaged_file_is_set_aside_and_the_exercise_still_opens(home):
    home.mkdir()
    (home / "motivations.json").write_text('{"schema": 1, "value": {"car')
    sort = MotivationSort()
    assert sort.value == {"cards": {}, "own": []}
    (aside,) = home.glob("motivations.unreadable-*.json")
    assert aside.read_text() == '{"schema": 1, "value": {"car'
    assert aside.name in sort._notice.value
    _sort_into(sort, "watch")
    assert json.loads((home / "motivations.json").read_text())["value"] == sort.value


def test_an_empty_sort_draws_a_friendly_sentence_not_empty_axes(content):
    sort = MotivationSort(store=None)
    sort._chart_button.click()
    assert sort._chart_image.value == b"" and sort._chart_image.layout.display == "none"
    assert content.text("chart_empty_sort") in sort._chart_caption.value
    assert "wk-empty-chart" in sort._chart_caption.value
    _sort_into(sort, "healthy")
    sort._chart_button.click()
    assert sort._chart_image.value != b""
