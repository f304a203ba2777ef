"""How stable is a questionnaire result? Simulated retakes, seeded, with the figures printed.

The model of a retake (an assumption, stated, not measured for this questionnaire): each
answer independently stays the same with a chance of 7 in 10 and moves one step up or down
with a chance of 3 in 10 (half each way); it never moves two steps, and a step off the
scale (below 1, above 5) leaves the answer where it was. A pessimistic model moves half of
the answers. Two populations of first answers: random (every answer equally likely) and
agreeable (answers lean to agree, mean about 3.6, as people tend to answer statements
written about things they might enjoy). The agreeable population with the 3-in-10 model is
the main case; facilitator-guide/scoring.md reports every figure printed here.

What the tests hold the kit to:

- a 0-100 score moves a few points on a retake, and far more than the 1 point a rounded
  score suggests;
- a person between two shapes (answers halfway between the two patterns) sees the top shape
  change on roughly four retakes in ten;
- ``CLOSE_GAP`` is the measured margin: the smallest whole gap at which the top shape changes
  for fewer than one person in ten, among everyone whose gap is at least that.

Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import numpy as np
import pytest

from kit.archetypes import CLOSE_GAP, score_answers
from kit.content import load_content

SEED = 20240525
PEOPLE = 20_000
#: Chance that an answer moves one step on a retake: the main model, and a pessimistic one.
MOVE, MOVE_PESSIMISTIC = 0.3, 0.5
#: Probabilities of the answers 1..5.
POPULATIONS = {
    "random": (0.2, 0.2, 0.2, 0.2, 0.2),
    "agreeable": (0.05, 0.10, 0.25, 0.40, 0.20),
}
#: The share of people whose top shape may change, at most, once their gap reaches the margin.
CHANGE_LIMIT = 0.10

pytestmark = pytest.mark.slow

_content = load_content()
_ROLES = tuple(r.id for r in _content.scored_roles)
_IDS = tuple(s.id for s in _content.statements)
_WEIGHTS = np.array([[s.weights[r] for r in _ROLES] for s in _content.statements], float)


def _scores(answers: np.ndarray) -> np.ndarray:
    """The kit's scores for many complete answer rows at once (NaN where no lean)."""
    centred = answers - answers.mean(axis=1, keepdims=True)
    weights = _WEIGHTS - _WEIGHTS.mean(axis=0)
    spread = np.sqrt((centred**2).sum(axis=1, keepdims=True))
    norms = np.sqrt((weights**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return 50 + 50 * (centred @ weights) / (spread * norms)


def _retake(answers: np.ndarray, move: float, rng: np.random.Generator) -> np.ndarray:
    step = rng.choice((-1, 0, 1), size=answers.shape, p=(move / 2, 1 - move, move / 2))
    return np.clip(answers + step, 1, 5)


def _two_takes(population: str, move: float, seed: int = SEED):
    """First and second scores of the people of ``population``, both with a lean."""
    rng = np.random.default_rng(seed)
    first = rng.choice(np.arange(1, 6), size=(PEOPLE, len(_IDS)), p=POPULATIONS[population])
    second = _retake(first, move, rng)
    before, after = _scores(first), _scores(second)
    keep = ~(np.isnan(before).any(axis=1) | np.isnan(after).any(axis=1))
    return before[keep], after[keep]


def _gap(scores: np.ndarray) -> np.ndarray:
    ordered = np.sort(scores, axis=1)
    return ordered[:, -1] - ordered[:, -2]


def _top_changed(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return before.argmax(axis=1) != after.argmax(axis=1)


def test_the_fast_scores_here_are_the_kits_scores():
    rng = np.random.default_rng(SEED)
    rows = rng.integers(1, 6, size=(200, len(_IDS)))
    fast = _scores(rows)
    for row, expected in zip(rows.tolist(), fast, strict=True):
        result = score_answers(dict(zip(_IDS, row, strict=True)), _content)
        assert [result.score(r) for r in _ROLES] == pytest.approx(expected.tolist())


@pytest.mark.parametrize(
    ("population", "move", "mean", "p90"),
    [
        ("random", MOVE, 3.2, 6.8),
        ("agreeable", MOVE, 4.4, 9.2),
        ("random", MOVE_PESSIMISTIC, 4.2, 8.7),
        ("agreeable", MOVE_PESSIMISTIC, 5.6, 11.5),
    ],
)
def test_how_far_a_score_moves_on_a_retake(population, move, mean, p90):
    before, after = _two_takes(population, move)
    moved = np.abs(after - before)
    changed = _top_changed(before, after).mean()
    print(
        f"\n{population}, {move:.0%} of answers move: a score moves {moved.mean():.1f} points "
        f"on average, {np.percentile(moved, 90):.1f} or less for nine in ten; "
        f"the top shape changes for {changed:.0%}"
    )
    assert moved.mean() == pytest.approx(mean, abs=0.3)
    assert np.percentile(moved, 90) == pytest.approx(p90, abs=0.5)


def test_someone_between_two_shapes_often_gets_the_other_one_on_a_retake():
    # Answers halfway between two shapes' patterns (3 + the mean of the two weights; a
    # half step is rounded up or down at random), then taken twice with the main model.
    rng = np.random.default_rng(SEED)
    rates = {}
    for i, a in enumerate(_ROLES):
        for b in _ROLES[i + 1 :]:
            middle = 3 + (_WEIGHTS[:, i] + _WEIGHTS[:, _ROLES.index(b)]) / 2
            true = np.clip(np.floor(middle + rng.random((PEOPLE, len(_IDS)))), 1, 5)
            first, second = _retake(true, MOVE, rng), _retake(true, MOVE, rng)
            before, after = _scores(first), _scores(second)
            rates[(a, b)] = _top_changed(before, after).mean()
    low, high = min(rates, key=rates.get), max(rates, key=rates.get)
    average = float(np.mean(list(rates.values())))
    print(
        f"\nbetween two shapes: the top shape changes on {average:.0%} of retakes "
        f"(from {rates[low]:.0%} for {' + '.join(low)} to {rates[high]:.0%} for "
        f"{' + '.join(high)})"
    )
    assert 0.3 <= average <= 0.55
    assert all(0.2 <= r <= 0.65 for r in rates.values()), rates


def _margin(before: np.ndarray, after: np.ndarray) -> int:
    """Smallest whole gap g: among people whose gap is g or more, under 1 in 10 change top."""
    gap, changed = _gap(before), _top_changed(before, after)
    for g in range(1, 51):
        if changed[gap >= g].mean() < CHANGE_LIMIT:
            return g
    raise AssertionError("no margin up to 50 points")


def test_close_gap_is_the_margin_measured_on_retakes():
    before, after = _two_takes("agreeable", MOVE)
    gap, changed = _gap(before), _top_changed(before, after)
    margin = _margin(before, after)
    under = changed[gap < CLOSE_GAP].mean()
    over = changed[gap >= CLOSE_GAP].mean()
    print(
        f"\nmeasured margin {margin} points; under {CLOSE_GAP:g} points "
        f"({(gap < CLOSE_GAP).mean():.0%} of people) the top shape changes for {under:.0%}, "
        f"from {CLOSE_GAP:g} points up for {over:.0%}; under the old 5 points the top "
        f"changes for {changed[gap >= 5].mean():.0%} of the people it called not close"
    )
    assert margin == CLOSE_GAP
    assert over < CHANGE_LIMIT <= changed[gap >= CLOSE_GAP - 1].mean()
    assert under > 3 * over


def test_the_random_population_needs_a_smaller_margin_and_the_pessimistic_model_a_larger():
    # The kit's margin is set on the main case; the other cases bracket it.
    random_margin = _margin(*_two_takes("random", MOVE))
    pessimistic_margin = _margin(*_two_takes("agreeable", MOVE_PESSIMISTIC))
    print(f"\nmargin: random {random_margin}, agreeable and pessimistic {pessimistic_margin}")
    assert random_margin <= CLOSE_GAP <= pessimistic_margin


def test_a_result_names_every_shape_within_the_margin(content):
    result = score_answers({s.id: 3 + s.weights["tech_lead"] for s in content.statements}, content)
    assert result.near_top[0] == "tech_lead"
    top = result.ranking[0].score
    assert result.near_top == tuple(r.role_id for r in result.ranking if top - r.score < CLOSE_GAP)
    assert score_answers({}, content).near_top == ()
