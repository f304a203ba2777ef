"""Pure logic of the card sort: state changes, validation, summary and debrief pairs."""

from __future__ import annotations

import pytest

from kit import motivations as m


def test_place_returns_a_new_value_and_not_me_has_no_frequency(content):
    start = m.empty()
    one = m.place(start, "faster_myself", "watch", "often")
    two = m.place(one, "faster_myself", "not_me", "often")
    assert start == m.empty()
    assert one["cards"]["faster_myself"] == {"bucket": "watch", "frequency": "often"}
    assert two["cards"]["faster_myself"] == {"bucket": "not_me", "frequency": None}


@pytest.mark.parametrize(("bucket", "freq"), [("maybe", None), ("watch", "daily")])
def test_place_rejects_unknown_words(bucket, freq):
    with pytest.raises(ValueError, match="must be one of"):
        m.place(m.empty(), "faster_myself", bucket, freq)


def test_own_cards_get_stable_ids_and_sort_like_others(content):
    value, first = m.add_own(m.empty(), "  I   like the quiet  ")
    value, second = m.add_own(value, "Pairing keeps me honest")
    assert (first, second) == ("own_1", "own_2")
    assert value["own"][0]["text"] == "I like the quiet"
    value = m.place(value, "own_2", "healthy", "sometimes")
    assert m.placement(value, "own_2") == {"bucket": "healthy", "frequency": "sometimes"}
    assert m.placement(value, "own_1") is None
    assert m.progress(value, content) == (1, len(content.cards) + 2)
    assert m.deck(content, value)[-2:] == ("own_1", "own_2")


@pytest.mark.parametrize(("text", "reason"), [("   ", "empty"), ("x" * 201, "too_long")])
def test_own_card_text_is_checked(text, reason):
    with pytest.raises(ValueError, match=reason):
        m.add_own(m.empty(), text)


def test_own_cards_are_limited():
    value = m.empty()
    for i in range(m.MAX_OWN):
        value, _ = m.add_own(value, f"reason {i}")
    with pytest.raises(ValueError, match="limit"):
        m.add_own(value, "one too many")


def test_deck_shuffle_is_seeded_and_complete(content):
    a = m.deck(content, m.empty(), seed=7)
    assert a == m.deck(content, m.empty(), seed=7)
    assert a != m.deck(content, m.empty(), seed=8)
    assert sorted(a) == sorted(c.id for c in content.cards)
    assert m.deck(content, m.empty()) == tuple(c.id for c in content.cards)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "must be a dict"),
        ({"cards": {}, "extra": 1}, "unknown key"),
        ({"cards": {"a": {"bucket": "up"}}}, "card 'a': 'bucket' must be one of"),
        ({"cards": {"a": {"bucket": "watch", "frequency": "daily"}}}, "'frequency'"),
        ({"own": [{"id": "x", "text": "t"}]}, "'own_<n>'"),
        ({"own": [{"id": "own_1", "text": ""}]}, "non-empty text"),
    ],
)
def test_validate_names_what_is_wrong(value, message):
    with pytest.raises(ValueError, match=message):
        m.validate(value)


def test_validate_normalises_and_copies():
    raw = {"cards": {"a": {"bucket": "watch"}}}
    checked = m.validate(raw)
    assert checked == {"cards": {"a": {"bucket": "watch", "frequency": None}}, "own": []}
    checked["cards"]["a"]["bucket"] = "healthy"
    assert raw["cards"]["a"]["bucket"] == "watch"


def test_split_known_keeps_cards_the_content_no_longer_has(content):
    value = {
        "cards": {
            "faster_myself": {"bucket": "watch", "frequency": None},
            "retired_card": {"bucket": "healthy", "frequency": "often"},
        },
        "own": [],
    }
    known, kept = m.split_known(value, content)
    assert list(known["cards"]) == ["faster_myself"]
    assert kept == {"cards": {"retired_card": {"bucket": "healthy", "frequency": "often"}}}


def _sort_everything_as_the_key(content) -> dict:
    value = m.empty()
    for card in content.cards:
        value = m.place(value, card.id, card.reading, "sometimes")
    return value


def test_summary_counts_themes_and_key_differences(content):
    value = _sort_everything_as_the_key(content)
    healthy = sum(c.reading == "healthy" for c in content.cards)
    s = m.summarize_sort(value, content)
    assert s.counts == {"healthy": healthy, "watch": len(content.cards) - healthy, "not_me": 0}
    assert s.differs_from_key == ()
    assert all(p.status == "as_key" and not p.worth_discussing for p in s.pairs)
    # Move the ground-truth card to watch, often: it now differs from the key, its theme
    # leads the watch themes, and its pair is in the same column.
    value = m.place(value, "feel_the_friction", "watch", "often")
    s = m.summarize_sort(value, content)
    assert s.differs_from_key == ("feel_the_friction",)
    assert s.often_watch == ("feel_the_friction",)
    assert ("ground_truth", 1) in s.watch_themes
    pair = next(p for p in s.pairs if "feel_the_friction" in p.cards)
    assert pair.status == "same_column" and pair.worth_discussing


def test_crossed_pair_is_worth_discussing(content):
    pair = content.pairs[0]
    healthy_id, watch_id = pair.cards
    value = m.place(m.empty(), healthy_id, "watch", None)
    value = m.place(value, watch_id, "healthy", None)
    (report,) = [p for p in m.debrief_pairs(value, content) if p.pair_id == pair.id]
    assert report.status == "crossed" and report.worth_discussing
    value = m.place(value, watch_id, "not_me", None)
    (report,) = [p for p in m.debrief_pairs(value, content) if p.pair_id == pair.id]
    assert report.status == "not_me" and not report.worth_discussing


def test_summary_text_is_plain_and_kind(content):
    assert (
        m.summary_text(m.summarize_sort(m.empty(), content), content) == "No cards are sorted yet."
    )
    value = m.place(m.empty(), "faster_myself", "watch", "often")
    value = m.place(value, "feel_the_friction", "healthy", "rarely")
    text = m.summary_text(m.summarize_sort(value, content), content)
    assert text.startswith(f"You sorted 2 of {len(content.cards)} cards: 1 as")
    assert "1 card happens often" in text
    assert "mistake" not in text or "not a mistake" in text
