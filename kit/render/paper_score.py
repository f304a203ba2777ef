"""The paper score: a tally a person can do in five minutes, and how often it agrees.

The kit's score (:mod:`kit.archetypes`) is a correlation: on paper it takes a mean, a
deviation per statement and a product per statement and shape. The paper handout uses a
tally instead, on a small table that shows which statements point to which shape:

1. For each answer write its lean ``a - 3`` (-2 to +2); add the leans up: ``T``.
2. For each shape, add the lean of every statement marked ``+`` in its column, twice for
   ``++``, and subtract it for ``-`` (twice for ``--``): the marks are the weights, -2 to 2.
3. Subtract ``T`` times the shape's printed factor, the average of its weights. That is
   what keeps a habit of agreeing with everything from favouring the shapes with the most
   ``+`` marks, as centring on the mean does in the kit.

:func:`paper_agreement` measures how often the tally's top shape is the kit's, on
simulated respondents; the handout prints the figure for the content it was made from.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from kit import archetypes
from kit.content import Content

__all__ = [
    "AGREEMENT_PEOPLE",
    "AGREEMENT_SEED",
    "MARKS",
    "Agreement",
    "paper_agreement",
    "paper_factors",
    "paper_marks",
    "paper_tally",
    "simulated_answers",
]

#: How a weight is printed in the tally table.
MARKS: Mapping[int, str] = {2: "++", 1: "+", -1: "\u2212", -2: "\u2212\u2212"}
#: Simulated respondents behind the printed agreement figure, and their seed.
AGREEMENT_PEOPLE = 2000
AGREEMENT_SEED = 17


def paper_marks(content: Content) -> dict[str, dict[str, str]]:
    """Return ``{statement_id: {role_id: mark}}`` for every non-zero weight (see :data:`MARKS`).

    Raises
    ------
    ValueError
        For a weight that has no paper mark (outside -2..2), naming statement and shape.
    """
    out: dict[str, dict[str, str]] = {}
    for statement in content.statements:
        row = {}
        for role in content.scored_roles:
            weight = statement.weights.get(role.id, 0)
            if weight == 0:
                continue
            if weight not in MARKS:
                raise ValueError(
                    f"statement '{statement.id}': the weight {weight} for '{role.id}' has no "
                    "paper mark; the paper tally takes weights from -2 to 2."
                )
            row[role.id] = MARKS[weight]
        out[statement.id] = row
    return out


def paper_factors(content: Content) -> dict[str, float]:
    """Return each shape's printed factor: its average weight, to one decimal."""
    n = len(content.statements) or 1
    return {
        r.id: round(sum(s.weights.get(r.id, 0) for s in content.statements) / n, 1)
        for r in content.scored_roles
    }


def paper_tally(answers: Mapping[str, int], content: Content) -> dict[str, float]:
    """Work out the paper tally as a person would: role id -> tally (higher leans more).

    Passed statements (absent from ``answers``) are left out of both the tally and ``T``.
    """
    used = [s for s in content.statements if s.id in answers]
    lean = {s.id: answers[s.id] - 3 for s in used}
    total = sum(lean.values())
    factors = paper_factors(content)
    return {
        r.id: round(
            sum(lean[s.id] * s.weights.get(r.id, 0) for s in used) - total * factors[r.id], 1
        )
        for r in content.scored_roles
    }


def simulated_answers(content: Content, people: int, seed: int) -> list[dict[str, int]]:
    """Return ``people`` simulated questionnaires (seeded, so always the same ones).

    Each simulated person leans towards every shape by a random amount (normal, sd 1), has
    a habit of agreeing or disagreeing (sd 0.5 points), a strength of feeling (0.3-1.2) and
    answer noise (sd 0.9 points); an answer is rounded to the 1-5 scale, and one in twenty
    statements is passed.
    """
    rng = random.Random(seed)
    roles = [r.id for r in content.scored_roles]
    out = []
    for _ in range(people):
        pull = {r: rng.gauss(0, 1) for r in roles}
        habit, strength = rng.gauss(0, 0.5), rng.uniform(0.3, 1.2)
        answers = {}
        for s in content.statements:
            if rng.random() < 0.05:
                continue
            lean = sum(pull[r] * s.weights.get(r, 0) for r in roles) / 2.5
            value = round(3 + habit + strength * lean + rng.gauss(0, 0.9))
            answers[s.id] = min(5, max(1, value))
        out.append(answers)
    return out


@dataclass(frozen=True)
class Agreement:
    """How often the paper tally agrees with the kit's score on simulated respondents.

    Attributes
    ----------
    people
        Simulated respondents who lean somewhere (the kit finds a lean).
    top
        Share whose paper top shape is the kit's top shape (a tie counts when it holds it).
    top_two
        Share whose paper top shape is one of the kit's first two.
    close_points
        The tally gap that plays the part of the kit's :data:`kit.archetypes.CLOSE_GAP`:
        as many respondents have a paper gap under it as have a kit gap under ``CLOSE_GAP``
        (at least 1).
    """

    people: int
    top: float
    top_two: float
    close_points: int


def paper_agreement(
    content: Content, *, people: int = AGREEMENT_PEOPLE, seed: int = AGREEMENT_SEED
) -> Agreement:
    """Measure :class:`Agreement` of :func:`paper_tally` with the kit's own score.

    The kit's score is :func:`kit.archetypes.score_answers`; respondents come from
    :func:`simulated_answers`, and those with no lean (all answers alike) are not counted.
    """
    counted = same = near = 0
    kit_gaps: list[float] = []
    paper_gaps: list[float] = []
    for answers in simulated_answers(content, people, seed):
        result = archetypes.score_answers(answers, content)
        if result.status != "lean":
            continue
        tally = paper_tally(answers, content)
        ranked = sorted(tally.values(), reverse=True)
        paper_top = {r for r, v in tally.items() if v == ranked[0]}
        kit_top = {r.role_id for r in result.ranking if r.rank == 1}
        counted += 1
        same += bool(paper_top & kit_top)
        near += bool(paper_top & set(result.leading))
        kit_gaps.append(result.gap or 0.0)
        paper_gaps.append(ranked[0] - ranked[1] if len(ranked) > 1 else 0.0)
    if not counted:
        return Agreement(0, 0.0, 0.0, 1)
    close_share = sum(g < archetypes.CLOSE_GAP for g in kit_gaps) / counted
    paper_gaps.sort()
    at = min(int(close_share * counted), counted - 1)
    return Agreement(counted, same / counted, near / counted, max(1, round(paper_gaps[at])))
