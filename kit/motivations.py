"""Pure logic of the motivation card sort: state changes, summary and debrief pairs.

The sort's state is a plain dict, the widget's ``.value``::

    {"cards": {card_id: {"bucket": ..., "frequency": ...}},
     "own": [{"id": "own_1", "text": ..., "bucket": ..., "frequency": ...}]}

Unsorted cards are absent from ``"cards"``; an own card is in ``"own"`` from the moment it
is written, with ``bucket`` ``None`` until it is sorted. Every function returns a new value
and never changes its argument. Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kit.content import Content

__all__ = [
    "BUCKETS",
    "FREQUENCIES",
    "MAX_OWN",
    "OWN_TEXT_LIMIT",
    "PairReport",
    "SortSummary",
    "add_own",
    "debrief_pairs",
    "deck",
    "empty",
    "place",
    "progress",
    "split_known",
    "summarize_sort",
    "summary_text",
    "validate",
]

BUCKETS = ("healthy", "watch", "not_me")
FREQUENCIES = ("rarely", "sometimes", "often")
OWN_TEXT_LIMIT = 200
MAX_OWN = 5


def empty() -> dict:
    """Return the value of a sort with nothing placed."""
    return {"cards": {}, "own": []}


# --------------------------------------------------------------------------- validation
def _check_placement(where: str, entry: Any, *, own: bool) -> None:
    if not isinstance(entry, Mapping):
        raise ValueError(
            f"{where}: expected a dict with 'bucket' and 'frequency', got {type(entry).__name__}"
        )
    bucket, freq = entry.get("bucket"), entry.get("frequency")
    if bucket not in BUCKETS and not (own and bucket is None):
        raise ValueError(f"{where}: 'bucket' must be one of {', '.join(BUCKETS)}, got {bucket!r}")
    if freq is not None and freq not in FREQUENCIES:
        raise ValueError(
            f"{where}: 'frequency' must be one of {', '.join(FREQUENCIES)} or None, got {freq!r}"
        )


def validate(value: Any) -> dict:
    """Check the shape of a sort value and return a normalised deep copy.

    Raises
    ------
    ValueError
        Naming the entry and the field that is wrong and what is expected.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"a card sort value must be a dict, got {type(value).__name__}")
    unknown = set(value) - {"cards", "own"}
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)}; expected 'cards' and 'own'")
    cards = value.get("cards", {})
    own = value.get("own", [])
    if not isinstance(cards, Mapping):
        raise ValueError("'cards' must be a dict of card id -> {bucket, frequency}")
    if not isinstance(own, list):
        raise ValueError("'own' must be a list of own cards")
    out_cards = {}
    for cid, entry in cards.items():
        if not isinstance(cid, str):
            raise ValueError(f"card id {cid!r} must be a string")
        _check_placement(f"card '{cid}'", entry, own=False)
        out_cards[cid] = {"bucket": entry["bucket"], "frequency": entry.get("frequency")}
    out_own, seen = [], set()
    for i, entry in enumerate(own, start=1):
        if not isinstance(entry, Mapping):
            raise ValueError(f"own card #{i}: expected a dict, got {type(entry).__name__}")
        oid, text = entry.get("id"), entry.get("text")
        if not isinstance(oid, str) or not oid.startswith("own_") or oid in seen:
            raise ValueError(f"own card #{i}: 'id' must be a unique 'own_<n>', got {oid!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"own card '{oid}': 'text' must be non-empty text")
        if len(text) > OWN_TEXT_LIMIT:
            raise ValueError(f"own card '{oid}': 'text' is longer than {OWN_TEXT_LIMIT} characters")
        _check_placement(f"own card '{oid}'", entry, own=True)
        seen.add(oid)
        out_own.append(
            {
                "id": oid,
                "text": text,
                "bucket": entry.get("bucket"),
                "frequency": entry.get("frequency"),
            }
        )
    return {"cards": out_cards, "own": out_own}


def split_known(value: dict, content: Content) -> tuple[dict, dict]:
    """Split a saved value into what the content knows and what it no longer has.

    Returns
    -------
    (known, kept)
        ``known`` is a valid sort value; ``kept`` holds the placements of card ids missing
        from the content, to be saved back untouched and reported.
    """
    known_ids = {c.id for c in content.cards}
    cards = value.get("cards", {})
    known = {
        "cards": {k: v for k, v in cards.items() if k in known_ids},
        "own": list(value.get("own", [])),
    }
    gone = {k: v for k, v in cards.items() if k not in known_ids}
    return known, ({"cards": gone} if gone else {})


# --------------------------------------------------------------------------- changes
def deck(content: Content, value: dict, seed: int | None = None) -> tuple[str, ...]:
    """Return the order in which the cards are dealt: content cards, then own cards.

    With a ``seed`` the content cards are shuffled reproducibly; own cards always come last,
    in the order they were written.
    """
    ids = [c.id for c in content.cards]
    if seed is not None:
        random.Random(seed).shuffle(ids)
    return (*ids, *(o["id"] for o in value["own"]))


def place(value: dict, card_id: str, bucket: str, frequency: str | None) -> dict:
    """Return a new value with ``card_id`` (a content or own card) placed in ``bucket``.

    'Not me' carries no frequency.
    """
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {', '.join(BUCKETS)}, got {bucket!r}")
    if frequency is not None and frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}, got {frequency!r}")
    if bucket == "not_me":
        frequency = None
    new = copy.deepcopy(value)
    for own in new["own"]:
        if own["id"] == card_id:
            own["bucket"], own["frequency"] = bucket, frequency
            return new
    new["cards"][card_id] = {"bucket": bucket, "frequency": frequency}
    return new


def add_own(value: dict, text: str) -> tuple[dict, str]:
    """Return a new value with an own card holding ``text``, and the new card's id.

    Raises
    ------
    ValueError
        If the text is empty, longer than ``OWN_TEXT_LIMIT`` or there are already
        ``MAX_OWN`` own cards.
    """
    text = " ".join(text.split())
    if not text:
        raise ValueError("empty")
    if len(text) > OWN_TEXT_LIMIT:
        raise ValueError("too_long")
    if len(value["own"]) >= MAX_OWN:
        raise ValueError("limit")
    numbers = [int(o["id"][4:]) for o in value["own"] if o["id"][4:].isdigit()]
    new_id = f"own_{max(numbers, default=0) + 1}"
    new = copy.deepcopy(value)
    new["own"].append({"id": new_id, "text": text, "bucket": None, "frequency": None})
    return new, new_id


def placement(value: dict, card_id: str) -> dict | None:
    """Return ``{"bucket", "frequency"}`` of a card, or ``None`` if it is unsorted."""
    if card_id in value["cards"]:
        return value["cards"][card_id]
    for own in value["own"]:
        if own["id"] == card_id and own["bucket"] is not None:
            return {"bucket": own["bucket"], "frequency": own["frequency"]}
    return None


def progress(value: dict, content: Content) -> tuple[int, int]:
    """Return (sorted, total) over the content's cards and the participant's own cards."""
    known = {c.id for c in content.cards}
    done = sum(1 for k in value["cards"] if k in known)
    done += sum(1 for o in value["own"] if o["bucket"] is not None)
    return done, len(known) + len(value["own"])


# --------------------------------------------------------------------------- summary
@dataclass(frozen=True)
class PairReport:
    """How the participant sorted one look-alike pair."""

    pair_id: str
    cards: tuple[str, str]
    buckets: tuple[str | None, str | None]
    status: str  # 'unsorted', 'not_me', 'as_key', 'same_column', 'crossed'
    worth_discussing: bool
    prompt: str


@dataclass(frozen=True)
class SortSummary:
    """The participant's sort in numbers and lists (for text, charts and the report)."""

    sorted: int
    total: int
    counts: Mapping[str, int]  # bucket -> cards (content and own)
    by_frequency: Mapping[str, Mapping[str, int]]  # bucket -> frequency -> cards
    watch_themes: tuple[tuple[str, int], ...]  # theme id, count; most common first
    differs_from_key: tuple[str, ...]  # content cards placed against the key's reading
    often_watch: tuple[str, ...]  # cards in 'watch' marked 'often'
    pairs: tuple[PairReport, ...]


def debrief_pairs(value: dict, content: Content) -> tuple[PairReport, ...]:
    """Report how each look-alike pair was sorted and whether it is worth discussing."""
    reports = []
    cards = content.by_id["cards"]
    for pair in content.pairs:
        a, b = pair.cards
        pa, pb = placement(value, a), placement(value, b)
        ba, bb = (pa or {}).get("bucket"), (pb or {}).get("bucket")
        if ba is None or bb is None:
            status, worth = "unsorted", False
        elif "not_me" in (ba, bb):
            status, worth = "not_me", False
        elif ba == bb:
            status, worth = "same_column", True
        elif (ba, bb) == (cards[a].reading, cards[b].reading):
            status, worth = "as_key", False
        else:
            status, worth = "crossed", True
        reports.append(PairReport(pair.id, (a, b), (ba, bb), status, worth, pair.prompt))
    return tuple(reports)


def summarize_sort(value: dict, content: Content) -> SortSummary:
    """Summarise a sort: counts per column and frequency, themes, key differences, pairs."""
    cards = content.by_id["cards"]
    counts = Counter({b: 0 for b in BUCKETS})
    freq: dict[str, Counter] = {b: Counter({f: 0 for f in FREQUENCIES}) for b in BUCKETS}
    themes: Counter = Counter()
    differs, often_watch = [], []
    placed = [(cid, p) for cid, p in value["cards"].items() if cid in cards]
    placed += [(o["id"], o) for o in value["own"] if o["bucket"] is not None]
    for cid, p in placed:
        bucket, f = p["bucket"], p["frequency"]
        counts[bucket] += 1
        if f is not None:
            freq[bucket][f] += 1
        card = cards.get(cid)
        if bucket == "watch":
            if card is not None:
                themes[card.theme] += 1
            if f == "often":
                often_watch.append(cid)
        if card is not None and bucket != "not_me" and bucket != card.reading:
            differs.append(cid)
    done, total = progress(value, content)
    order = {c.id: i for i, c in enumerate(content.cards)}
    return SortSummary(
        sorted=done,
        total=total,
        counts=dict(counts),
        by_frequency={b: dict(c) for b, c in freq.items()},
        watch_themes=tuple(sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))),
        differs_from_key=tuple(sorted(differs, key=lambda c: order[c])),
        often_watch=tuple(often_watch),
        pairs=debrief_pairs(value, content),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_text(summary: SortSummary, content: Content) -> str:
    """Return the summary as a few plain sentences (the text beside the chart)."""
    if summary.sorted == 0:
        return "No cards are sorted yet."
    ui = content.text
    c = summary.counts
    lines = [
        f"You sorted {summary.sorted} of {summary.total} cards: "
        f"{c['healthy']} as '{ui('bucket_healthy')}', {c['watch']} as "
        f"'{ui('bucket_watch')}' and {c['not_me']} as '{ui('bucket_not_me')}'."
    ]
    often = summary.by_frequency["watch"]["often"]
    if c["watch"]:
        lines.append(
            f"Of your reasons to watch, {_plural(often, 'card')} "
            f"{'happens' if often == 1 else 'happen'} often."
        )
    if summary.watch_themes:
        themes = content.by_id["themes"]
        top = [themes[t].label.lower() for t, _ in summary.watch_themes[:3]]
        lines.append("Your reasons to watch are mostly about " + ", ".join(top) + ".")
    if summary.differs_from_key:
        lines.append(
            f"{_plural(len(summary.differs_from_key), 'card')} sit in a different "
            "column from the key: good material for a conversation, not a mistake."
        )
    worth = [p for p in summary.pairs if p.worth_discussing]
    if worth:
        lines.append(
            f"{_plural(len(worth), 'look-alike pair')} may be worth talking through with a partner."
        )
    return " ".join(lines)
