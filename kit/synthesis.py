"""Pure logic of the last page: the three exercises together, and a check-in later.

:func:`gather` reads a participant's answers (from their folder, the demo profile or a
snapshot) without changing them; :func:`summarize` turns them into sections of plain text
that the notebook, the report and the participant view all show the same way;
:func:`compare` says what moved since an earlier snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kit import allocation, archetypes, commitments, exercises, motivations, positions
from kit.content import Content

__all__ = ["Journey", "Section", "compare", "gather", "summarize"]


@dataclass(frozen=True)
class Journey:
    """One participant's answers to every exercise (``None`` where there are none).

    ``first_position`` and ``final_position`` are where the participant leaned after the
    opening story and at the close (:mod:`kit.positions`); page one of the report shows
    them side by side.
    """

    sort: dict | None = None
    week: dict | None = None
    shape: dict | None = None
    commitments: Mapping[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    first_position: dict | None = None
    final_position: dict | None = None

    @property
    def empty(self) -> bool:
        """Whether no exercise has any answer yet."""
        return (
            (not self.sort or not (self.sort["cards"] or self.sort["own"]))
            and not self.week
            and not self.shape
            and not self.commitments
        )


def gather(store: Any, content: Content) -> Journey:
    """Read every exercise's answers through ``store`` (an answers or demo store).

    Only :meth:`~kit.answers.AnswerStore.peek` is used: no file is moved, renamed or
    changed, not even a damaged one (that is said in ``notices``). Answers that no longer
    fit the content are left out here and stay in their files.
    """
    found: dict[str, Any] = {}
    notices: list[str] = []
    for name in exercises.names():
        entry = exercises.get(name)
        loaded = store.peek(name)
        if loaded.notice:
            notices.append(loaded.notice)
        if loaded.value is None:
            found[name] = None
            continue
        try:
            known, _gone = entry.split_known(entry.validate(loaded.value), content)
        except ValueError as exc:
            notices.append(f"Your saved {entry.words} could not be used here ({exc}).")
            found[name] = None
            continue
        if name == "allocation":
            known = allocation.complete(known, content)
        found[name] = known or None
    return Journey(
        sort=found.get("motivations"),
        week=found.get("allocation"),
        shape=found.get("archetypes"),
        commitments=found.get("commitments") or {},
        notices=tuple(notices),
        first_position=found.get("first_position"),
        final_position=found.get("final_position"),
    )


@dataclass(frozen=True)
class Section:
    """One part of the last page: a heading, sentences, and what to do when it is empty.

    For the card sort, ``items`` are the reasons to watch that happen often and ``healthy``
    the healthy reasons, most frequent first (at most :data:`HEALTHY_SHOWN`).
    """

    key: str
    heading: str
    text: str
    done: bool
    items: tuple[str, ...] = ()
    healthy: tuple[str, ...] = ()


def _sort_section(journey: Journey, content: Content) -> Section:
    heading = content.text("path_sort_heading")
    value = journey.sort
    if not value or not (value["cards"] or value["own"]):
        return Section("sort", heading, content.text("path_sort_missing"), False)
    summary = motivations.summarize_sort(value, content)
    cards = content.by_id["cards"]
    watch = [
        cards[c].text
        for c, p in value["cards"].items()
        if p["bucket"] == "watch" and c in cards and p["frequency"] == "often"
    ]
    watch += [o["text"] for o in value["own"] if o["bucket"] == "watch"]
    return Section(
        "sort",
        heading,
        motivations.summary_text(summary, content),
        True,
        tuple(watch),
        healthy=_healthy(value, content),
    )


#: The most healthy reasons the summary lists (the most frequent first).
HEALTHY_SHOWN = 6


def _healthy(value: dict, content: Content) -> tuple[str, ...]:
    """The healthy reasons, most frequent first: what a "Keep" commitment can build on."""
    cards = content.by_id["cards"]
    order = {"often": 0, "sometimes": 1, "rarely": 2, None: 3}
    found = [
        (order.get(p["frequency"], 3), cards[c].text)
        for c, p in value["cards"].items()
        if p["bucket"] == "healthy" and c in cards
    ]
    found += [
        (order.get(o["frequency"], 3), o["text"]) for o in value["own"] if o["bucket"] == "healthy"
    ]
    found.sort(key=lambda pair: pair[0])  # stable: the sort's own order within a frequency
    return tuple(text for _, text in found[:HEALTHY_SHOWN])


def _week_section(journey: Journey, content: Content) -> Section:
    heading = content.text("path_week_heading")
    if not journey.week:
        return Section("week", heading, content.text("path_week_missing"), False)
    comparison = allocation.compare(journey.week, content)
    text = (
        allocation.gap_text(comparison, content)
        + " "
        + allocation.comparison_text(comparison, content)
    )
    return Section("week", heading, text, True)


def _shape_section(journey: Journey, content: Content) -> Section:
    heading = content.text("path_shape_heading")
    if not journey.shape:
        return Section("shape", heading, content.text("path_shape_missing"), False)
    result = archetypes.score_answers(journey.shape, content)
    ideal = journey.week["ideal"] if journey.week else None
    lenses = archetypes.compare_lenses(result, ideal, content)
    text = archetypes.headline(result, content) + " " + archetypes.lens_text(lenses, content)
    return Section("shape", heading, text, True)


def _commitments_section(journey: Journey, content: Content) -> Section:
    heading = content.text("path_commit_heading")
    items = tuple(
        f"{content.text('commit_' + k)}: {journey.commitments[k]}"
        for k in commitments.KINDS
        if k in journey.commitments
    )
    if not items:
        return Section("commitments", heading, content.text("path_commit_missing"), False)
    return Section("commitments", heading, "", True, items)


def summarize(journey: Journey, content: Content) -> tuple[Section, ...]:
    """Return the last page's sections, each saying what to do if it is still empty."""
    return (
        _sort_section(journey, content),
        _week_section(journey, content),
        _shape_section(journey, content),
        _commitments_section(journey, content),
    )


def compare(then: Journey, now: Journey, content: Content) -> tuple[str, ...]:
    """Say in plain sentences what moved between an earlier snapshot and today.

    Covers cards that changed column, how far the real week is from the wanted one then
    and now, the leading shapes, and the commitments made then.
    """
    lines: list[str] = []
    label = {b: content.text(f"bucket_{b}") for b in motivations.BUCKETS}
    cards = content.by_id["cards"]
    if then.sort and now.sort:
        moved = []
        for cid, place in now.sort["cards"].items():
            before = then.sort["cards"].get(cid)
            if before and before["bucket"] != place["bucket"] and cid in cards:
                moved.append(
                    f"\u201c{cards[cid].text}\u201d: {label[before['bucket']]} "
                    f"\u2192 {label[place['bucket']]}"
                )
        if moved:
            lines.append(
                f"{len(moved)} card{'s' if len(moved) != 1 else ''} changed "
                "column: " + "; ".join(moved[:5]) + ("; ..." if len(moved) > 5 else ".")
            )
        else:
            lines.append("No card changed column.")
    if then.week and now.week:
        gap_then = allocation.distance(then.week["current"], then.week["ideal"])
        gap_now = allocation.distance(now.week["current"], now.week["ideal"])
        direction = (
            "closer to"
            if gap_now < gap_then - 0.005
            else "further from"
            if gap_now > gap_then + 0.005
            else "as far from"
        )
        lines.append(
            f"Then, {round(gap_then * 100)}% of your real week would have had to "
            f"move to match the week you wanted; now {round(gap_now * 100)}%: "
            f"your real week is {direction} the one you want."
        )
        ho_then = allocation.hands_on_share(then.week["current"], content)
        ho_now = allocation.hands_on_share(now.week["current"], content)
        lines.append(
            f"Hands-on work in your real week: {round(ho_then * 100)}% then, "
            f"{round(ho_now * 100)}% now."
        )
    if then.shape and now.shape:
        top_then = archetypes.score_answers(then.shape, content).leading
        top_now = archetypes.score_answers(now.shape, content).leading
        roles = content.by_id["roles"]
        if top_then and top_now:
            names = [" / ".join(roles[r].label for r in t) for t in (top_then, top_now)]
            lines.append(f"Leading shapes: {names[0]} then, {names[1]} now.")
    then_lean = positions.position_text(then.final_position or then.first_position, content)
    now_lean = positions.position_text(now.final_position or now.first_position, content)
    if then_lean and now_lean:
        lines.append(f"Where you leaned then: {then_lean}. Now: {now_lean}.")
    if then.commitments:
        lines.append(
            "What you committed to then: "
            + " | ".join(
                f"{content.text('commit_' + k)}: {then.commitments[k]}"
                for k in commitments.KINDS
                if k in then.commitments
            )
        )
    if not lines:
        lines.append("There is not enough in both sets of answers to compare yet.")
    return tuple(lines)
