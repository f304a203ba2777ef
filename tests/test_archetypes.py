"""Pure logic of the archetype matcher: scoring by hand, edge cases, ties, lenses, content.

Most scoring cases use a four-statement questionnaire small enough to compute by hand:

    ========  ==  ==  ==  ==  ===  ==
    statement TL  AR  SO  RH  TLM  EM
    ========  ==  ==  ==  ==  ===  ==
    s1         2   0   0   0    0   0
    s2         0   2   0   0    0   0
    s3         0   0   2   0    0   0
    s4         0   0   0   2    2   2
    ========  ==  ==  ==  ==  ===  ==

Each role's weights, measured from their mean (0.5), are (1.5, -0.5, -0.5, -0.5) in some
order, so every role's root of summed squared centred weights is sqrt(3).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit import archetypes as a
from kit.content import ContentError, load_content

ROLES = ("tech_lead", "architect", "solver", "right_hand", "tech_lead_manager", "eng_manager")

SCALE = """\
scale:
  1: Strongly disagree
  2: Disagree
  3: Neither agree nor disagree
  4: Agree
  5: Strongly agree
"""

CONTEXT = """\
context:
  - id: large_org
    text: My organisation has well over a hundred engineers.
    flags: [architect, right_hand]
    low_note: These two roles may not exist where you work yet.
    sources: [larson_2020_archetypes]
"""


def _statement(sid: str, weights: dict, text: str | None = None) -> str:
    lines = "".join(f"      {role}: {w}\n" for role, w in weights.items())
    return (
        f"  - id: {sid}\n    text: {text or 'Statement ' + sid + '.'}\n"
        f"    weights:\n{lines}"
        "    rationale: Chosen to be easy to compute by hand.\n"
        "    sources: [larson_2020_archetypes]\n"
    )


def _weights(tl=0, ar=0, so=0, rh=0, tlm=0, em=0) -> dict:
    return dict(zip(ROLES, (tl, ar, so, rh, tlm, em), strict=True))


SMALL = {
    "s1": _weights(tl=2),
    "s2": _weights(ar=2),
    "s3": _weights(so=2),
    "s4": _weights(rh=2, tlm=2, em=2),
}


def _folder(tmp_path: Path, statements: dict, context: str = CONTEXT) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    body = "".join(_statement(sid, w) for sid, w in statements.items())
    (folder / "statements.yaml").write_text(
        SCALE + "statements:\n" + body + context, encoding="utf-8"
    )
    return folder


@pytest.fixture
def small(tmp_path):
    return load_content(_folder(tmp_path, SMALL))


def _scores(result) -> dict[str, float]:
    return {r.role_id: r.score for r in result.ranking}


# --------------------------------------------------------------------------- by hand
def test_one_strong_answer_each_way_scored_by_hand(small):
    # Answers 5, 3, 1, 3: mean 3, centred (2, 0, -2, 0), spread sqrt(8).
    # Tech Lead: sum(w x c) = 2 x 2 = 4, r = 4 / (sqrt(3) sqrt(8)) = 2 / sqrt(6) = 0.8165.
    result = a.score_answers({"s1": 5, "s2": 3, "s3": 1, "s4": 3}, small)
    r = 2 / math.sqrt(6)
    assert result.status == "lean" and result.mean_answer == 3
    assert _scores(result) == pytest.approx(
        {
            "tech_lead": 50 + 50 * r,
            "architect": 50,
            "solver": 50 - 50 * r,
            "right_hand": 50,
            "tech_lead_manager": 50,
            "eng_manager": 50,
        }
    )
    # Four roles tie for second; they keep the content's order and share rank 2.
    assert [(x.role_id, x.rank, x.tied) for x in result.ranking] == [
        ("tech_lead", 1, False),
        ("architect", 2, True),
        ("right_hand", 2, True),
        ("tech_lead_manager", 2, True),
        ("eng_manager", 2, True),
        ("solver", 6, False),
    ]
    assert result.ties == (("architect", "right_hand", "tech_lead_manager", "eng_manager"),)
    assert result.top == ("tech_lead", "architect")
    assert result.leading == (
        "tech_lead",
        "architect",
        "right_hand",
        "tech_lead_manager",
        "eng_manager",
    )
    assert result.gap == pytest.approx(50 * r) and not result.close
    (why,) = result.reasons("tech_lead")
    assert (why.statement_id, why.answer, why.weight) == ("s1", 5, 2)
    assert why.points == pytest.approx(50 * r)
    (against,) = result.reasons("solver")
    assert (against.statement_id, against.answer) == ("s3", 1)
    assert against.points == pytest.approx(-50 * r)
    assert result.reasons("architect") == ()  # answered at the mean: moves nothing


def test_all_extreme_answers_scored_by_hand(small):
    # Answers 5, 1, 1, 1: mean 2, centred (3, -1, -1, -1), spread sqrt(12).
    # Tech Lead: 2 x 3 / (sqrt(3) sqrt(12)) = 1 -> 100; every other role: -2 / 6 -> 33.3.
    result = a.score_answers({"s1": 5, "s2": 1, "s3": 1, "s4": 1}, small)
    assert _scores(result) == pytest.approx(
        {
            "tech_lead": 100,
            "architect": 100 / 3,
            "solver": 100 / 3,
            "right_hand": 100 / 3,
            "tech_lead_manager": 100 / 3,
            "eng_manager": 100 / 3,
        }
    )
    assert result.ranking[0].role_id == "tech_lead"
    assert [x.rank for x in result.ranking] == [1, 2, 2, 2, 2, 2]
    assert result.gap == pytest.approx(200 / 3)


def test_a_tie_at_the_top_is_reported_not_broken_silently(small, content):
    # Answers 5, 5, 1, 1: centred (2, 2, -2, -2). Tech Lead and Architect both get
    # 4 / (sqrt(3) x 4) = 1 / sqrt(3) -> 78.9; the others -1 / sqrt(3) -> 21.1.
    result = a.score_answers({"s1": 5, "s2": 5, "s3": 1, "s4": 1}, small)
    assert result.score("tech_lead") == pytest.approx(50 + 50 / math.sqrt(3))
    assert [(x.role_id, x.rank) for x in result.ranking[:3]] == [
        ("tech_lead", 1),
        ("architect", 1),
        ("solver", 3),
    ]
    assert result.ties == (
        ("tech_lead", "architect"),
        ("solver", "right_hand", "tech_lead_manager", "eng_manager"),
    )
    assert result.top == ("tech_lead", "architect")
    assert result.gap == 0 and result.close
    assert a.headline(result, small) == "Tech Lead / Architect are tied at the top."


def test_a_close_second_is_called_close_by_hand(tmp_path):
    # s1 weighs Tech Lead 2 and Architect 2, s4 Architect 1. Answers 5, 1, 3, 3: centred
    # (2, -2, 0, 0), spread sqrt(8). Architect's weights (2, 0, 0, 1) centre to
    # (1.25, -0.75, -0.75, 0.25), root of squares sqrt(2.75): r = 4 / sqrt(22) -> 92.64.
    # Tech Lead: r = 2 / sqrt(6) -> 90.82. Gap 1.8 points: close.
    content = load_content(
        _folder(
            tmp_path,
            {
                "s1": _weights(tl=2, ar=2),
                "s2": _weights(so=2),
                "s3": _weights(rh=2, tlm=2, em=2),
                "s4": _weights(ar=1),
            },
        )
    )
    result = a.score_answers({"s1": 5, "s2": 1, "s3": 3, "s4": 3}, content)
    assert result.score("architect") == pytest.approx(50 + 50 * 4 / math.sqrt(22))
    assert result.score("tech_lead") == pytest.approx(50 + 50 * 2 / math.sqrt(6))
    assert result.top == ("architect", "tech_lead")
    assert result.gap == pytest.approx(50 * (4 / math.sqrt(22) - 2 / math.sqrt(6)))
    assert result.close
    assert a.headline(result, content) == (
        "Your answers lean most towards Architect, then Tech Lead, 2 points behind. "
        "A gap of 2 points is within what answering again on another day can change: read "
        "the two as equally close."
    )


def test_missing_answers_are_left_out_of_mean_and_weights(small):
    # Only s1 = 5 and s3 = 1: mean 3, centred (2, -2). Over these two statements Tech
    # Lead's weights (2, 0) centre to (1, -1): r = 4 / (sqrt(2) sqrt(8)) = 1 -> 100.
    # Architect weighs both 0: the answers cannot tell it apart, so it stays at 50.
    result = a.score_answers({"s1": 5, "s3": 1}, small)
    assert _scores(result) == pytest.approx(
        {
            "tech_lead": 100,
            "architect": 50,
            "solver": 0,
            "right_hand": 50,
            "tech_lead_manager": 50,
            "eng_manager": 50,
        }
    )
    assert (result.answered, result.total) == (2, 4)
    assert not result.provisional  # half of four is enough


def test_the_context_question_never_moves_a_score(small):
    plain = a.score_answers({"s1": 5, "s2": 3, "s3": 1, "s4": 3}, small)
    for answer in (1, 5):
        with_context = a.score_answers(
            {"s1": 5, "s2": 3, "s3": 1, "s4": 3, "large_org": answer}, small
        )
        assert with_context.ranking == plain.ranking


# --------------------------------------------------------------------------- edge cases
@pytest.mark.parametrize("answer", [3, 5, 1], ids=["all-neutral", "all-agree", "all-disagree"])
def test_the_same_answer_everywhere_is_no_lean_not_a_winner(content, answer):
    result = a.score_answers({s.id: answer for s in content.statements}, content)
    assert result.status == "no_lean"
    assert {x.score for x in result.ranking} == {50}
    assert result.top == () and result.gap is None and not result.close
    assert result.leading == ()
    assert result.ties == (ROLES,)
    assert a.headline(result, content) == content.text("archetypes_no_lean")


def test_no_answers_at_all(content):
    result = a.score_answers({}, content)
    assert result.status == "no_answers" and result.provisional
    assert result.mean_answer is None and result.top == ()
    assert a.headline(result, content) == content.text("archetypes_no_answers")
    assert "Tech Lead 50" in a.result_text(result, content)


def test_few_answers_make_a_provisional_result(content):
    ids = [s.id for s in content.statements]
    need = math.ceil(len(ids) / 2)  # 10 of 19
    few = a.score_answers({sid: 1 + i % 5 for i, sid in enumerate(ids[: need - 1])}, content)
    enough = a.score_answers({sid: 1 + i % 5 for i, sid in enumerate(ids[:need])}, content)
    assert few.provisional and not enough.provisional
    assert f"{need - 1} of the {len(ids)} scored statements answered" in a.headline(few, content)
    assert "Provisional" not in a.headline(enough, content)


def test_a_single_answer_is_no_lean_and_provisional(small):
    result = a.score_answers({"s1": 5}, small)
    assert result.status == "no_lean" and result.provisional


@pytest.mark.parametrize("role", ROLES)
def test_answering_exactly_a_roles_pattern_gives_it_100_and_the_mirror_0(content, role):
    # The weights run from -2 to 2, so "3 + weight" is an answer: a perfect match.
    pattern = {s.id: 3 + s.weights[role] for s in content.statements}
    mirror = {s.id: 3 - s.weights[role] for s in content.statements}
    assert a.score_answers(pattern, content).score(role) == pytest.approx(100)
    assert a.score_answers(pattern, content).ranking[0].role_id == role
    assert a.score_answers(mirror, content).score(role) == pytest.approx(0)


# --------------------------------------------------------------------------- properties
def _answers(content, *, low=1, high=5):
    ids = [s.id for s in content.statements]
    return st.dictionaries(st.sampled_from(ids), st.integers(low, high), min_size=2)


_packaged = load_content()


@settings(max_examples=150, deadline=None)
@given(_answers(_packaged))
def test_scores_stay_in_range_and_contributions_add_up(answers):
    result = a.score_answers(answers, _packaged)
    for item in result.ranking:
        assert 0 <= item.score <= 100
        assert sum(c.points for c in item.contributions) == pytest.approx(item.score - 50, abs=1e-9)
        sizes = [abs(c.points) for c in item.contributions]
        assert sizes == sorted(sizes, reverse=True)
    ranks = [x.rank for x in result.ranking]
    assert ranks == sorted(ranks) and ranks[0] == 1
    if result.status == "lean":
        assert result.close == (result.gap < a.CLOSE_GAP)
        small_gap = _packaged.text("archetypes_gap_small", gap=round(result.gap))
        tied_top = result.ranking[1].rank == 1
        assert (small_gap in a.headline(result, _packaged)) == (result.close and not tied_top)


@settings(max_examples=100, deadline=None)
@given(_answers(_packaged, high=4))
def test_agreeing_one_step_more_with_everything_changes_nothing(answers):
    # The habit of agreeing is centred away: only the pattern of answers counts.
    before = a.score_answers(answers, _packaged)
    after = a.score_answers({k: v + 1 for k, v in answers.items()}, _packaged)
    assert _scores(after) == pytest.approx(_scores(before))
    assert [x.role_id for x in after.ranking] == [x.role_id for x in before.ranking]


@settings(max_examples=100, deadline=None)
@given(_answers(_packaged))
def test_reversing_every_answer_mirrors_every_score(answers):
    before = a.score_answers(answers, _packaged)
    after = a.score_answers({k: 6 - v for k, v in answers.items()}, _packaged)
    for role in ROLES:
        assert after.score(role) == pytest.approx(100 - before.score(role))


# --------------------------------------------------------------------------- availability
@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (None, "unknown"),
        (1, "may_not_exist"),
        (2, "may_not_exist"),
        (3, "unsure"),
        (4, "likely"),
        (5, "likely"),
    ],
)
def test_the_context_answer_flags_architect_and_right_hand(content, answer, status):
    answers = {"guide_one_team": 5, "own_domain": 1}
    if answer is not None:
        answers["large_org"] = answer
    result = a.score_answers(answers, content)
    assert {(f.role_id, f.status) for f in result.availability} == {
        ("architect", status),
        ("right_hand", status),
    }
    assert result.available("tech_lead") == ()
    (flag,) = result.available("architect")
    text = a.availability_text(flag, content)
    if status == "may_not_exist":
        assert text == content.by_id["context"]["large_org"].low_note
    else:
        assert "Architect" in text


# --------------------------------------------------------------------------- words
def test_headline_names_the_top_two_and_the_gap(small):
    result = a.score_answers({"s1": 5, "s2": 3, "s3": 1, "s4": 3}, small)
    assert a.headline(result, small) == (
        "Your answers lean most towards Tech Lead, then Architect / Right Hand / "
        "Tech Lead Manager / Engineering Manager, 41 points behind."
    )
    text = a.result_text(result, small)
    assert text.endswith(
        "Tech Lead 91, Architect 50, Right Hand 50, Tech Lead Manager 50, "
        "Engineering Manager 50, Solver 9."
    )


def test_why_lines_quote_the_statement_answer_and_signed_points(small):
    result = a.score_answers({"s1": 5, "s2": 3, "s3": 1, "s4": 3}, small)
    assert a.why_lines(result, "tech_lead", small) == (
        "Strongly agree: \u201cStatement s1.\u201d (+41 points)",
    )
    assert a.why_lines(result, "solver", small) == (
        "Strongly disagree: \u201cStatement s3.\u201d (\u221241 points)",
    )


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize(
    "bad",
    [
        {"guide_one_team": 6},
        {"guide_one_team": 0},
        {"guide_one_team": "4"},
        {"guide_one_team": 4.0},
        {"guide_one_team": True},
        {"guide_one_team": None},
    ],
    ids=["six", "zero", "text", "float", "bool", "none"],
)
def test_validate_names_the_statement_and_the_scale(bad):
    with pytest.raises(ValueError, match=r"statement 'guide_one_team'.*1 to 5"):
        a.validate(bad)


@pytest.mark.parametrize("bad", [[("a", 1)], "a=1", {3: 4}, {"": 2}])
def test_validate_refuses_other_shapes(bad):
    with pytest.raises(ValueError, match=r"dict|statement id"):
        a.validate(bad)


def test_validate_returns_a_plain_copy():
    value = {"guide_one_team": 4}
    checked = a.validate(value)
    assert checked == value and checked is not value


def test_unknown_ids_are_kept_on_restore_and_refused_on_set(content):
    known, kept = a.split_known({"guide_one_team": 4, "large_org": 2, "retired": 1}, content)
    assert known == {"guide_one_team": 4, "large_org": 2}
    assert kept == {"retired": 1}
    with pytest.raises(ValueError, match="statement 'retired' is not in the questionnaire"):
        a.check_known({"retired": 1}, content)
    a.check_known(known, content)


def test_progress_counts_statements_and_context(content):
    total = len(content.statements) + len(content.context)
    assert a.progress({}, content) == (0, total)
    assert a.progress({"guide_one_team": 2, "large_org": 5, "retired": 1}, content) == (2, total)


# --------------------------------------------------------------------------- two lenses
def _pattern(content, role):
    return {s.id: 3 + s.weights[role] for s in content.statements}


def _week(content, role, scale=1.0):
    return {k: v * scale for k, v in content.by_id["roles"][role].week.hours.items()}


def test_lenses_agree_when_the_ideal_week_matches_a_top_shape(content):
    result = a.score_answers(_pattern(content, "tech_lead"), content)
    lens = a.compare_lenses(result, _week(content, "tech_lead", 45 / 40), content)
    assert lens.status == "agree" and lens.nearest == "tech_lead"
    assert lens.distance == pytest.approx(0)  # a 45-hour week compares as shares
    assert "the two lenses agree" in a.lens_text(lens, content)


def test_lenses_differ_when_the_week_points_elsewhere(content):
    result = a.score_answers(_pattern(content, "tech_lead"), content)
    assert "eng_manager" not in result.leading
    lens = a.compare_lenses(result, _week(content, "eng_manager"), content)
    assert lens.status == "differ" and lens.nearest == "eng_manager"
    text = a.lens_text(lens, content)
    assert "Engineering Manager profile" in text and "Tech Lead" in text


def test_a_senior_ic_week_gets_its_own_kind_reading(content):
    from kit.allocation import nearest_profiles

    result = a.score_answers(_pattern(content, "architect"), content)
    week = _week(content, "senior_ic")
    lens = a.compare_lenses(result, week, content)
    scored = {r.id for r in content.scored_roles}
    expected = next(rid for rid, _ in nearest_profiles(week, content) if rid in scored)
    assert lens.status == "senior_ic" and lens.nearest == "senior_ic"
    assert lens.nearest_scored == expected
    text = a.lens_text(lens, content)
    assert text.startswith("Your ideal week looks like a strong IC week")
    assert "Senior IC profile" in text and content.by_id["roles"][expected].label in text
    # Even with no questionnaire answers, the Senior IC reading comes first.
    assert a.compare_lenses(a.score_answers({}, content), week, content).status == "senior_ic"


@pytest.mark.parametrize(
    "ideal",
    [
        None,
        {},
        {"hands_on_coding": 0},
        {"hands_on_coding": "lots"},
        {"hands_on_coding": -4},
        [("hands_on_coding", 10)],
    ],
    ids=["none", "empty", "zero", "text", "negative", "list"],
)
def test_no_usable_week_yet(content, ideal):
    result = a.score_answers(_pattern(content, "solver"), content)
    lens = a.compare_lenses(result, ideal, content)
    assert lens.status == "no_week" and lens.nearest is None
    assert a.lens_text(lens, content) == content.text("archetypes_lens_no_week")


def test_a_week_without_a_questionnaire_lean_waits_for_answers(content):
    neutral = a.score_answers({s.id: 3 for s in content.statements}, content)
    lens = a.compare_lenses(neutral, _week(content, "solver"), content)
    assert lens.status == "no_shape" and lens.nearest == "solver"
    assert "Solver profile" in a.lens_text(lens, content)


# --------------------------------------------------------------------------- content
def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return list(info.value.problems)


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            {"s1": {**_weights(tl=2), "staff_wizard": 1}},
            ["statement 's1'", "field 'weights.staff_wizard'", "not a scored role id"],
        ),
        (
            {"s1": {k: v for k, v in _weights(tl=2).items() if k != "eng_manager"}},
            ["statement 's1'", "field 'weights'", "no weight for role 'eng_manager'"],
        ),
        (
            {"s1": _weights(tl=3)},
            ["statement 's1'", "field 'weights.tech_lead'", "from -2 to 2, got 3"],
        ),
        (
            {"s1": _weights(so=-5)},
            ["statement 's1'", "field 'weights.solver'", "from -2 to 2, got -5"],
        ),
        (
            {"s1": {**_weights(), "architect": "lots"}},
            ["statement 's1'", "field 'weights.architect'", "'lots'"],
        ),
        (
            {"s1": {**_weights(), "senior_ic": 1}},
            ["statement 's1'", "field 'weights.senior_ic'", "not a scored role id"],
        ),
    ],
    ids=["unknown-role", "missing-weight", "too-high", "too-low", "not-a-number", "unscored-role"],
)
def test_bad_weights_name_file_statement_and_field(tmp_path, statements, expected):
    folder = _folder(tmp_path, statements)
    problems = _problems(folder)
    assert any(
        all(part in p for part in expected) and str(folder / "statements.yaml") in p
        for p in problems
    ), problems


def test_bad_context_question_is_named(tmp_path):
    context = CONTEXT.replace("[architect, right_hand]", "[architect, chief_wizard]")
    problems = _problems(_folder(tmp_path, SMALL, context))
    assert any(
        "context question 'large_org'" in p
        and "field 'flags'" in p
        and "'chief_wizard' is not a role id" in p
        for p in problems
    ), problems


def test_a_statement_and_a_context_question_cannot_share_an_id(tmp_path):
    problems = _problems(_folder(tmp_path, {**SMALL, "large_org": _weights(tl=1)}))
    assert any(
        "id 'large_org' is used by a statement and a context question" in p for p in problems
    ), problems


def test_a_missing_statement_field_is_named(tmp_path):
    folder = _folder(tmp_path, SMALL)
    path = folder / "statements.yaml"
    path.write_text(
        path.read_text().replace("    rationale: Chosen to be easy to compute by hand.\n", "", 1)
    )
    problems = _problems(folder)
    assert any(
        "statement 's1'" in p and "field 'rationale'" in p and "missing" in p for p in problems
    ), problems


# --------------------------------------------------------------------------- the shapes
LARSON = ("tech_lead", "architect", "solver", "right_hand")


def test_the_tech_lead_manager_is_a_scored_shape_with_its_own_week(content):
    role = content.by_id["roles"]["tech_lead_manager"]
    assert role.scored and role in content.scored_roles
    assert {"larson_2018_sizing_teams", "larson_2020_archetypes"} <= set(role.sources)
    # Its own pattern: no other shape's weights are proportional to it (it would always tie).
    mine = [s.weights["tech_lead_manager"] for s in content.statements]
    for other in ROLES:
        if other != "tech_lead_manager":
            theirs = [s.weights[other] for s in content.statements]
            assert abs(_correlation(mine, theirs)) < 0.9, other
    # Answering its pattern puts it first, with a lean the margin calls clear.
    result = a.score_answers(_pattern(content, "tech_lead_manager"), content)
    assert result.ranking[0].role_id == "tech_lead_manager" and not result.close


def _correlation(x: list[int], y: list[int]) -> float:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


@pytest.mark.parametrize("role_id", [*LARSON, "tech_lead_manager"])
def test_the_result_card_says_larsons_archetypes_are_staff_plus_roles(content, role_id):
    # The card under a top shape shows its description: the four archetypes say they are
    # Staff-plus roles, some years away, and the Tech Lead Manager says the same of them.
    description = content.by_id["roles"][role_id].description
    assert "Staff-plus" in description and "years away" in description


def test_larsons_nuances_are_kept(content):
    roles = content.by_id["roles"]
    tech_lead = roles["tech_lead"].description
    assert "most complex projects" in tech_lead  # Larson: complex, not the 'best'
    assert "interesting" not in tech_lead and "best" not in tech_lead
    assert "stay with one area for a long time" in roles["solver"].description
    assert "moves on once" not in roles["solver"].summary  # not every Solver moves on


def test_the_lens_module_imports_no_view_and_not_the_questionnaire():
    import subprocess
    import sys

    code = (
        "import sys, kit.lenses; "
        "print(sorted(m for m in ('ipywidgets', 'matplotlib', 'kit.archetypes') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
