"""Pure logic of the archetype matcher: scoring, ranking, why-this-result, its words.

The questionnaire's state is the plain dict of design.md's Contracts::

    {statement_id: 1..5}

over the preference statements and the context questions; unanswered statements and those
answered 'prefer not to say' are absent. Every function here is pure and returns frozen
values. Nothing here imports ipywidgets or matplotlib. The comparison with the ideal week
(the two lenses) lives in :mod:`kit.lenses`; its names are re-exported here, so callers keep
one import for the questionnaire.

How a role is scored (facilitator-guide/scoring.md tells the story with the numbers):

1. Take the answered preference statements only; context questions never enter the score.
2. Centre each answer on the respondent's own mean answer, so that a habit of agreeing (or
   disagreeing) with everything moves no role up or down.
3. For each role, add up ``weight x centred answer`` and divide by the root of the summed
   squared weights, each weight measured from the role's average weight over the answered
   statements, and by the root of the summed squared centred answers. The result is the
   correlation ``r`` (-1..1) between the participant's answers and the role's weights, so
   a role with more or heavier items is not favoured.
4. Show ``score = 50 + 50 r``: 100 means the answers follow the role's pattern exactly, 50
   no relation, 0 the opposite pattern. Each statement's signed share of ``score - 50`` is
   its contribution; the contributions add up to ``score - 50``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kit.content import Content
from kit.lenses import LensComparison, compare_lenses, lens_text

__all__ = [
    "CLOSE_GAP",
    "MIN_SHARE",
    "PREFER_NOT",
    "SCALE",
    "Availability",
    "Contribution",
    "LensComparison",
    "RoleScore",
    "ShapeResult",
    "answer_ids",
    "availability_text",
    "check_known",
    "compare_lenses",
    "empty",
    "headline",
    "lens_text",
    "progress",
    "result_text",
    "score_answers",
    "split_known",
    "validate",
    "why_lines",
]

#: The answers of the agreement scale (labels come from ``content.scale``).
SCALE = (1, 2, 3, 4, 5)
#: What the view uses for 'prefer not to say'; never stored in a value.
PREFER_NOT = "prefer_not"
#: A result is provisional while fewer than this share of the preference statements is
#: answered (10 of 19 with the packaged content).
MIN_SHARE = 0.5
#: Two shapes closer than this many points (0-100 scale) are read as equally close. Measured,
#: not chosen: in simulated retakes (each answer moving one step with a chance of 3 in 10) the
#: top shape changes for about one person in ten whose gap is at least this, and for about
#: four in ten below it (tests/test_archetypes_stability.py; facilitator-guide/scoring.md).
CLOSE_GAP = 10.0
#: Correlations closer than this are a tie (guards against floating-point noise only).
TIE_TOLERANCE = 1e-9
#: How many answers 'why this result' shows per role.
WHY_COUNT = 3

Status = Literal["no_answers", "no_lean", "lean"]
AvailabilityStatus = Literal["likely", "unsure", "may_not_exist", "unknown"]


def empty() -> dict:
    """Return the value of a questionnaire with nothing answered."""
    return {}


# --------------------------------------------------------------------------- validation
def validate(value: Any) -> dict:
    """Check the shape of an answers value and return a plain copy.

    Unknown statement ids pass here (saved answers for retired statements are kept, see
    :func:`split_known`); :func:`check_known` refuses them where that matters.

    Raises
    ------
    ValueError
        Naming the statement and what is expected.
    """
    if not isinstance(value, Mapping):
        raise ValueError(
            "questionnaire answers must be a dict of statement id -> answer "
            f"1 to 5, got {type(value).__name__}"
        )
    out = {}
    for sid, answer in value.items():
        if not isinstance(sid, str) or not sid:
            raise ValueError(f"statement id {sid!r} must be a non-empty string")
        if type(answer) is int and 1 <= answer <= 5:  # the common case, checked cheaply
            out[sid] = answer
            continue
        if (
            isinstance(answer, bool)
            or not isinstance(answer, numbers.Integral)
            or int(answer) not in SCALE
        ):
            raise ValueError(
                f"statement '{sid}': the answer must be a whole number from 1 "
                "to 5 (leave the statement out for 'prefer not to say'), got "
                f"{answer!r}"
            )
        out[sid] = int(answer)
    return out


def answer_ids(content: Content) -> tuple[str, ...]:
    """Return the ids a value may hold: preference statements, then context questions."""
    return (*(s.id for s in content.statements), *(q.id for q in content.context))


def check_known(value: Mapping[str, int], content: Content) -> None:
    """Refuse ids that are neither a statement nor a context question of ``content``.

    Raises
    ------
    ValueError
        Naming the first unknown id.
    """
    known = set(answer_ids(content))
    for sid in value:
        if sid not in known:
            raise ValueError(
                f"statement '{sid}' is not in the questionnaire; expected one "
                f"of {', '.join(answer_ids(content))}"
            )


def split_known(value: dict, content: Content) -> tuple[dict, dict]:
    """Split a saved value into what the content knows and what it no longer has.

    Returns
    -------
    (known, kept)
        ``known`` is a valid value; ``kept`` holds answers to ids missing from the content,
        to be saved back untouched and reported.
    """
    ids = set(answer_ids(content))
    known = {k: v for k, v in value.items() if k in ids}
    gone = {k: v for k, v in value.items() if k not in ids}
    return known, gone


def progress(value: Mapping[str, int], content: Content) -> tuple[int, int]:
    """Return (answered, total) over every row: preference statements and context."""
    ids = answer_ids(content)
    return sum(1 for i in ids if i in value), len(ids)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Contribution:
    """How much one answer moved one role's score.

    Attributes
    ----------
    statement_id, answer, weight
        The statement, the participant's answer (1-5) and the statement's weight for
        the role.
    points
        Signed points on the 0-100 scale; a role's contributions add up to its
        ``score - 50``.
    """

    statement_id: str
    answer: int
    weight: int
    points: float


@dataclass(frozen=True)
class RoleScore:
    """One scored role's place in the result.

    Attributes
    ----------
    role_id
        A scored role id.
    score
        0-100: 100 = the answers follow the role's pattern exactly, 50 = no relation,
        0 = the opposite pattern.
    rank
        1 for the top; tied roles share a rank ("1, 2, 2, 4").
    tied
        ``True`` when another role has the same score.
    contributions
        Every non-zero contribution, largest effect first (ties in content order).
    """

    role_id: str
    score: float
    rank: int
    tied: bool
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class Availability:
    """Whether a role is likely to exist where the participant works (context question).

    ``status`` is ``likely`` (answer 4-5), ``unsure`` (3), ``may_not_exist`` (1-2) or
    ``unknown`` (not answered).
    """

    role_id: str
    question_id: str
    status: AvailabilityStatus
    answer: int | None


@dataclass(frozen=True)
class ShapeResult:
    """The questionnaire's result.

    Attributes
    ----------
    status
        ``no_answers``; ``no_lean`` when the answers do not vary (all neutral, all
        'strongly agree', a single answer), so no role can stand out; else ``lean``.
    answered, total
        Preference statements answered, and how many there are.
    provisional
        Fewer than ``MIN_SHARE`` of the preference statements are answered.
    mean_answer
        The participant's mean answer over the answered preference statements.
    ranking
        Every scored role, best first; equal scores in content order.
    top
        The first two role ids of the ranking when there is a lean, else empty.
    gap
        Points between the first and the second role (``None`` without a lean).
    close
        The gap is under ``CLOSE_GAP`` points, within what a retake moves: read the two
        as equally close.
    ties
        Groups of two or more roles with equal scores, in ranking order.
    availability
        One entry per context question and role it flags.
    near_top
        Every role within ``CLOSE_GAP`` points of the top score, the top included, best
        first (empty without a lean): the shapes a retake could well put first.
    """

    status: Status
    answered: int
    total: int
    provisional: bool
    mean_answer: float | None
    ranking: tuple[RoleScore, ...]
    top: tuple[str, ...]
    gap: float | None
    close: bool
    ties: tuple[tuple[str, ...], ...]
    availability: tuple[Availability, ...]
    near_top: tuple[str, ...] = ()

    def role(self, role_id: str) -> RoleScore:
        """Return the :class:`RoleScore` of ``role_id``."""
        for item in self.ranking:
            if item.role_id == role_id:
                return item
        raise KeyError(role_id)

    def score(self, role_id: str) -> float:
        """Return the 0-100 score of ``role_id``."""
        return self.role(role_id).score

    @property
    def leading(self) -> tuple[str, ...]:
        """Roles ranked first or second, ties included (empty without a lean)."""
        if self.status != "lean":
            return ()
        return tuple(r.role_id for r in self.ranking if r.rank <= 2)

    def reasons(self, role_id: str, count: int = WHY_COUNT) -> tuple[Contribution, ...]:
        """Return the ``count`` answers that moved ``role_id`` most, signed."""
        return self.role(role_id).contributions[:count]

    def available(self, role_id: str) -> tuple[Availability, ...]:
        """Return the availability flags that concern ``role_id``."""
        return tuple(a for a in self.availability if a.role_id == role_id)


def _availability(answers: Mapping[str, int], content: Content) -> tuple[Availability, ...]:
    out = []
    for q in content.context:
        answer = answers.get(q.id)
        if answer is None:
            status: AvailabilityStatus = "unknown"
        elif answer <= 2:
            status = "may_not_exist"
        elif answer == 3:
            status = "unsure"
        else:
            status = "likely"
        out.extend(Availability(rid, q.id, status, answer) for rid in q.flags)
    return tuple(out)


def _rank(correlations: list[tuple[str, float]]) -> list[tuple[str, float, int, bool]]:
    """Order (role, r) best first, content order among equals; competition ranks."""
    ordered = sorted(enumerate(correlations), key=lambda item: (-item[1][1], item[0]))
    groups: list[list[tuple[int, str, float]]] = []
    for index, (rid, r) in ordered:
        if groups and abs(groups[-1][0][2] - r) <= TIE_TOLERANCE:
            groups[-1].append((index, rid, r))
        else:
            groups.append([(index, rid, r)])
    out, ahead = [], 0
    for group in groups:
        # Equal scores can differ in the last bits of a float: tied roles share the
        # group's score, and content order decides their order.
        shared = group[0][2]
        group.sort()
        out.extend((rid, shared, ahead + 1, len(group) > 1) for _, rid, _ in group)
        ahead += len(group)
    return out


def score_answers(answers: Mapping[str, int], content: Content) -> ShapeResult:
    """Score the answers for every scored role (see the module docstring for the rule).

    Parameters
    ----------
    answers
        ``{statement_id: 1..5}``; context questions and unknown ids are left out of the
        score.
    content
        The workshop content (statements, weights, scored roles).

    Returns
    -------
    ShapeResult
        Scores, ranking with ties, top two and gap, contributions and availability.
    """
    answers = validate(answers)
    roles = [r.id for r in content.scored_roles]
    used = [s for s in content.statements if s.id in answers]
    total = len(content.statements)
    n = len(used)
    provisional = n < math.ceil(total * MIN_SHARE)
    flags = _availability(answers, content)
    values = [answers[s.id] for s in used]
    mean = sum(values) / n if n else None
    centred = [a - mean for a in values] if mean is not None else []
    spread = math.sqrt(sum(c * c for c in centred))

    if n == 0 or spread < 1e-12:
        ranking = tuple(RoleScore(rid, 50.0, 1, len(roles) > 1, ()) for rid in roles)
        return ShapeResult(
            status="no_answers" if n == 0 else "no_lean",
            answered=n,
            total=total,
            provisional=provisional,
            mean_answer=mean,
            ranking=ranking,
            top=(),
            gap=None,
            close=False,
            ties=(tuple(roles),) if len(roles) > 1 else (),
            availability=flags,
        )

    correlations, contributions = [], {}
    order = {s.id: i for i, s in enumerate(used)}
    for rid in roles:
        weights = [s.weights.get(rid, 0) for s in used]
        average = sum(weights) / n
        norm = math.sqrt(sum((w - average) ** 2 for w in weights))
        if norm == 0:
            # The answered statements all weigh this role alike, so they cannot tell it
            # apart: no lean either way (only happens with very few answers).
            correlations.append((rid, 0.0))
            contributions[rid] = ()
            continue
        scale = norm * spread
        r = sum(w * c for w, c in zip(weights, centred, strict=True)) / scale
        correlations.append((rid, max(-1.0, min(1.0, r))))
        parts = [
            Contribution(s.id, a, w, 50 * w * c / scale)
            for s, a, w, c in zip(used, values, weights, centred, strict=True)
            if w != 0 and c != 0
        ]
        parts.sort(key=lambda p: (-abs(p.points), order[p.statement_id]))
        contributions[rid] = tuple(parts)

    ranked = _rank(correlations)
    ranking = tuple(
        RoleScore(rid, 50 + 50 * r, rank, tied, contributions[rid]) for rid, r, rank, tied in ranked
    )
    ties: list[tuple[str, ...]] = []
    for item in ranking:
        group = tuple(x.role_id for x in ranking if x.rank == item.rank)
        if len(group) > 1 and group not in ties:
            ties.append(group)
    first, second = ranking[0], ranking[1] if len(ranking) > 1 else None
    gap = first.score - second.score if second is not None else None
    return ShapeResult(
        status="lean",
        answered=n,
        total=total,
        provisional=provisional,
        mean_answer=mean,
        ranking=ranking,
        top=tuple(r.role_id for r in ranking[:2]),
        gap=gap,
        close=gap is not None and gap < CLOSE_GAP,
        near_top=tuple(r.role_id for r in ranking if first.score - r.score < CLOSE_GAP),
        ties=tuple(ties),
        availability=flags,
    )


# --------------------------------------------------------------------------- words
def _label(content: Content, role_id: str) -> str:
    return content.by_id["roles"][role_id].label


def _names(content: Content, role_ids: tuple[str, ...]) -> str:
    return " / ".join(_label(content, r) for r in role_ids)


def _points(value: float) -> str:
    shown = round(value)
    return f"+{shown}" if shown > 0 else ("0" if shown == 0 else f"\u2212{-shown}")


def headline(result: ShapeResult, content: Content) -> str:
    """Return the result in one to three plain sentences (top two, gap, provisional)."""
    t = content.text
    if result.status == "no_answers":
        return t("archetypes_no_answers")
    lines = []
    if result.status == "no_lean":
        lines.append(t("archetypes_no_lean"))
    else:
        first_rank = tuple(r.role_id for r in result.ranking if r.rank == 1)
        if len(first_rank) > 1:
            lines.append(t("archetypes_tied_top", names=_names(content, first_rank)))
        else:
            second = tuple(r.role_id for r in result.ranking if r.rank == 2)
            gap = round(result.gap or 0)
            lines.append(
                t(
                    "archetypes_top_two",
                    first=_label(content, first_rank[0]),
                    second=_names(content, second),
                    gap=gap,
                )
            )
            if result.close:
                lines.append(t("archetypes_gap_small", gap=gap))
    if result.provisional:
        lines.append(t("archetypes_provisional", answered=result.answered, total=result.total))
    return " ".join(lines)


def result_text(result: ShapeResult, content: Content) -> str:
    """Return the result as plain sentences with every score (the chart's text summary)."""
    scores = ", ".join(f"{_label(content, r.role_id)} {round(r.score)}" for r in result.ranking)
    return f"{headline(result, content)} {content.text('archetypes_summary_scores', scores=scores)}"


def why_lines(
    result: ShapeResult, role_id: str, content: Content, count: int = WHY_COUNT
) -> tuple[str, ...]:
    """Return one sentence per answer that moved ``role_id`` most, with its signed points."""
    statements = content.by_id["statements"]
    return tuple(
        content.text(
            "archetypes_why_line",
            answer=content.scale[c.answer],
            statement=statements[c.statement_id].text,
            points=_points(c.points),
        )
        for c in result.reasons(role_id, count)
    )


def availability_text(flag: Availability, content: Content) -> str:
    """Return what a context answer says about whether ``flag.role_id`` exists there."""
    if flag.status == "may_not_exist":
        return content.by_id["context"][flag.question_id].low_note
    return content.text(f"archetypes_available_{flag.status}", role=_label(content, flag.role_id))
