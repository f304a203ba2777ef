"""The archetype matcher widget and its radar chart, driven from Python as a hand would."""

from __future__ import annotations

import html
import json

import ipywidgets as widgets
import pytest
import traitlets
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from kit import ArchetypeMatcher
from kit import archetypes as logic
from kit.charts import PALETTE, ChartDisplay, shape_chart
from kit.content import load_content, packaged_content_dir


def _pattern(content, role: str) -> dict:
    """Answer every statement as '3 + weight' for ``role``: a perfect match for it."""
    return {s.id: 3 + s.weights[role] for s in content.statements}


def _rows(content) -> int:
    return len(content.statements) + len(content.context)


# --------------------------------------------------------------------------- answering
def test_starts_unanswered_with_the_disclaimer(content):
    shape = ArchetypeMatcher(store=None)
    assert shape.value == {}
    assert all(choice.value is None for choice in shape._choices.values())
    assert set(shape._choices) == set(logic.answer_ids(content))
    assert shape._progress.value == f"0 of {_rows(content)} questions answered"
    card = shape._result_card.value
    assert html.escape(content.text("archetypes_disclaimer")) in card
    assert html.escape(content.text("archetypes_no_answers")) in card
    assert "wk-lens" not in card  # unbound: no ideal week to read


def test_choosing_an_answer_sets_value_once_and_counts_progress(content):
    shape = ArchetypeMatcher(store=None)
    seen = []
    shape.observe(seen.append, names="value")
    shape._choices["guide_one_team"].value = 4  # what a click does, minus the browser
    shape._choices["large_org"].value = 2
    assert shape.value == {"guide_one_team": 4, "large_org": 2}
    assert len(seen) == 2
    assert shape._progress.value == f"2 of {_rows(content)} questions answered"
    assert shape._progress_bar.value == 2 and shape._progress_bar.max == _rows(content)
    shape._choices["guide_one_team"].value = 5
    assert shape.value["guide_one_team"] == 5 and len(seen) == 3


def test_prefer_not_to_say_leaves_the_statement_out(content):
    shape = ArchetypeMatcher(store=None)
    shape._choices["own_reviews"].value = 2
    shape._choices["own_reviews"].value = logic.PREFER_NOT
    assert shape.value == {}
    assert shape._choices["own_reviews"].value == logic.PREFER_NOT  # still shown
    assert shape._progress.value == f"0 of {_rows(content)} questions answered, 1 passed"
    seen = []
    shape.observe(seen.append, names="value")
    shape._choices["borrowed_authority"].value = logic.PREFER_NOT  # nothing to remove
    assert seen == [] and shape.value == {}
    assert shape._progress.value.endswith("2 passed")


def test_setting_value_replaces_redraws_and_fires_once(content):
    shape = ArchetypeMatcher(store=None)
    shape._choices["next_fire"].value = logic.PREFER_NOT
    seen = []
    shape.observe(seen.append, names="value")
    value = {"guide_one_team": 5, "own_domain": 1, "large_org": 4}
    shape.value = value
    shape.value = json.loads(json.dumps(value))  # an equal dict: no second event
    assert len(seen) == 1
    assert shape._choices["guide_one_team"].value == 5
    assert shape._choices["own_domain"].value == 1
    assert shape._choices["next_fire"].value is None  # set from Python: the view is replaced
    assert shape._progress.value == f"3 of {_rows(content)} questions answered"
    shape.value = {}
    assert all(choice.value is None for choice in shape._choices.values())


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"guide_one_team": 6}, "statement 'guide_one_team'.*1 to 5"),
        ({"guide_one_team": "agree"}, "statement 'guide_one_team'"),
        ({"ghost_statement": 3}, "statement 'ghost_statement' is not in the questionnaire"),
        (["guide_one_team"], "expected a dict"),
    ],
    ids=["out-of-range", "text", "unknown-id", "not-a-dict"],
)
def test_a_bad_value_is_refused_naming_the_statement(bad, message):
    shape = ArchetypeMatcher(store=None)
    shape.value = {"guide_one_team": 2}
    with pytest.raises((ValueError, traitlets.TraitError), match=message):
        shape.value = bad
    assert shape.value == {"guide_one_team": 2}


def test_every_row_is_keyboard_buttons_with_the_scale_in_tooltips(content):
    shape = ArchetypeMatcher(store=None)
    for choice in shape._choices.values():
        assert isinstance(choice, widgets.ToggleButtons)  # <button>s: Tab, Enter, Space
        assert [v for _, v in choice.options] == [1, 2, 3, 4, 5, logic.PREFER_NOT]
        assert list(choice.tooltips[:5]) == list(content.scale.values())
        assert choice.options[-1][0] == content.text("archetypes_prefer_not")
    assert "wk-archetype-matcher" in shape._dom_classes
    rows = [c for c in shape.children if "wk-statement" in c._dom_classes]
    assert len(rows) == _rows(content)
    assert "wk-statement-guide_one_team" in rows[0]._dom_classes
    assert "wk-choice" in shape._choices["guide_one_team"]._dom_classes
    assert "wk-result" in shape._result_card._dom_classes


# --------------------------------------------------------------------------- result card
def test_result_card_shows_top_two_gap_descriptions_sources_and_why(content):
    shape = ArchetypeMatcher(store=None)
    shape.value = _pattern(content, "solver")
    result = shape.result()
    first, second = result.top
    assert first == "solver"
    card = shape._result_card.value
    assert html.escape(logic.headline(result, content)) in card
    roles = content.by_id["roles"]
    for rid in (first, second):
        assert f"wk-role-{rid}" in card
        assert html.escape(roles[rid].description) in card
        for key in roles[rid].sources:
            assert html.escape(content.by_id["sources"][key].citation()) in card
        for line in logic.why_lines(result, rid, content):
            assert html.escape(line) in card
    assert html.escape(content.text("archetypes_why_heading")) in card
    third = result.ranking[2].role_id
    assert f"wk-role-{third}" not in card  # only the top two are described
    for item in result.ranking:
        assert f"wk-score-{item.role_id}" in card  # every score as a bar


def test_a_small_gap_is_said_plainly(content):
    shape = ArchetypeMatcher(store=None)
    # Architect 73.3, Engineering Manager 66.3 with the packaged weights: a gap of 7 points,
    # inside the margin a retake moves (the rule itself is computed in test_archetypes.py).
    shape.value = {
        "guide_one_team": 3,
        "unblock_team": 3,
        "shape_many_teams": 4,
        "knotty_problems": 4,
        "executive_room": 4,
        "carry_priorities": 2,
        "grow_people": 4,
        "own_reviews": 3,
        "own_domain": 4,
        "next_fire": 3,
        "code_most_weeks": 2,
        "impact_through_others": 4,
        "product_partner": 4,
        "borrowed_authority": 4,
        "stable_team": 4,
        "org_design": 3,
        "no_code_week_fine": 4,
        "manage_small_team": 2,
        "switch_modes": 3,
    }
    result = shape.result()
    assert result.top == ("architect", "eng_manager")
    assert result.close and result.ranking[1].rank == 2
    sentence = content.text("archetypes_gap_small", gap=round(result.gap))
    assert html.escape(sentence) in shape._result_card.value


def test_all_neutral_answers_read_as_no_clear_lean(content):
    shape = ArchetypeMatcher(store=None)
    shape.value = {s.id: 3 for s in content.statements}
    card = shape._result_card.value
    assert html.escape(content.text("archetypes_no_lean")) in card
    assert "wk-role-" not in card  # no fake winner is described


def test_the_availability_flag_appears_for_a_flagged_top_shape(content):
    shape = ArchetypeMatcher(store=None)
    shape.value = {**_pattern(content, "architect"), "large_org": 1}
    assert "architect" in shape.result().top
    card = shape._result_card.value
    assert "wk-availability" in card
    assert html.escape(content.by_id["context"]["large_org"].low_note) in card
    shape.value = {**_pattern(content, "architect"), "large_org": 5}
    assert (
        html.escape(content.text("archetypes_available_likely", role="Architect"))
        in shape._result_card.value
    )
    shape.value = _pattern(content, "tech_lead")
    assert not {"architect", "right_hand"} & set(shape.result().top)
    assert "wk-availability" not in shape._result_card.value


def test_content_text_is_escaped_everywhere(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    text = (packaged_content_dir() / "statements.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "text: In most weeks I still want to be writing production code.",
        'text: "In most weeks I <b>still</b> want to write code & ship it."',
    )
    (folder / "statements.yaml").write_text(text, encoding="utf-8")
    content = load_content(folder)
    shape = ArchetypeMatcher(store=None, content=content)
    shape.value = _pattern(content, "solver")
    escaped = "In most weeks I &lt;b&gt;still&lt;/b&gt; want to write code &amp; ship it."
    row = next(c for c in shape.children if "wk-statement-code_most_weeks" in c._dom_classes)
    assert escaped in row.children[0].value and "<b>still</b>" not in row.children[0].value
    assert escaped in shape._result_card.value  # in 'why this result'
    assert "<b>still</b>" not in shape._result_card.value


# --------------------------------------------------------------------------- chart
def test_chart_button_draws_a_png_with_its_summary(content):
    shape = ArchetypeMatcher(store=None)
    shape.value = _pattern(content, "right_hand")
    assert shape._chart_image.layout.display == "none"
    shape._chart_button.click()
    assert bytes(shape._chart_image.value).startswith(b"\x89PNG")
    assert shape._chart_image.layout.display is None
    assert "Right Hand 100" in shape._chart_caption.value
    drawn = bytes(shape._chart_image.value)
    # A change does not redraw (a tenth of a second per click); the chart says it is out of
    # date until the button is pressed again.
    shape.value = _pattern(content, "eng_manager")
    assert bytes(shape._chart_image.value) == drawn
    assert html.escape(content.text("chart_stale")) in shape._chart_caption.value
    shape._chart_button.click()
    assert "Engineering Manager 100" in shape._chart_caption.value
    assert bytes(shape._chart_image.value) != drawn


def test_chart_returns_a_display_object(content):
    shape = ArchetypeMatcher(store=None)
    shown = shape.chart()
    assert isinstance(shown, ChartDisplay)
    assert shown.summary == logic.result_text(shape.result(), content)
    assert shown.png.startswith(b"\x89PNG")


def test_radar_has_one_spoke_per_role_and_one_closed_line(content):
    result = logic.score_answers(_pattern(content, "tech_lead"), content)
    fig = shape_chart(result, content)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.name == "polar"
    assert ax.get_ylim() == (0, 100)
    roles = content.scored_roles
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [f"{r.label}\n{round(result.score(r.id))}" for r in roles]
    bold = {
        t.get_text().split("\n")[0] for t in ax.get_xticklabels() if t.get_fontweight() == "bold"
    }
    assert bold == {content.by_id["roles"][r].label for r in result.top}
    reference, mine = ax.lines
    assert set(reference.get_ydata()) == {50} and reference.get_linestyle() == "--"
    ys = list(mine.get_ydata())
    assert len(ys) == len(roles) + 1 and ys[0] == ys[-1]  # closed
    assert ys[:-1] == pytest.approx([result.score(r.id) for r in roles])
    assert tuple(round(c, 3) for c in to_rgb(mine.get_color())) == tuple(
        round(c, 3) for c in to_rgb(PALETTE["series"][0])
    )
    assert ax.get_title(loc="left") == content.text("archetypes_chart_title")


def test_radar_without_answers_shows_only_the_reference(content):
    (ax,) = shape_chart(logic.score_answers({}, content), content).axes
    assert len(ax.lines) == 1
    assert [t.get_text() for t in ax.texts] == [content.text("archetypes_chart_empty")]
    assert [t.get_text() for t in ax.get_xticklabels()] == [r.label for r in content.scored_roles]


def test_static_snapshot_for_exports_carries_the_result(content):
    shape = ArchetypeMatcher(store=None)
    shape.value = _pattern(content, "solver")
    snapshot = shape._repr_mimebundle_()["text/html"]
    assert html.escape(logic.headline(shape.result(), content)) in snapshot


# --------------------------------------------------------------------------- saving
def test_default_widget_saves_and_restores_in_the_participant_folder(home, content):
    shape = ArchetypeMatcher()
    shape._choices["stable_team"].value = 4
    shape._choices["large_org"].value = 5
    saved = json.loads((home / "archetypes.json").read_text())
    assert saved["schema"] == 1 and saved["exercise"] == "archetypes"
    assert saved["value"] == {"stable_team": 4, "large_org": 5}
    again = ArchetypeMatcher()
    assert again.value == shape.value
    assert again._choices["stable_team"].value == 4
    assert str(home) in again._notice.value


def test_unbound_widget_writes_nothing(home):
    ArchetypeMatcher(store=None)._choices["stable_team"].value = 4
    assert not home.exists()


def test_answers_to_retired_statements_are_kept_and_reported(home, store):
    store.save("archetypes", {"retired_statement": 2, "stable_team": 5})
    shape = ArchetypeMatcher()
    assert shape.value == {"stable_team": 5}
    assert any("no longer in the kit" in n for n in shape.notices)
    shape._choices["org_design"].value = 1
    saved = json.loads((home / "archetypes.json").read_text())
    assert saved["value"] == {"stable_team": 5, "org_design": 1}
    assert saved["kept"] == {"retired_statement": 2}


def test_a_damaged_answers_file_is_set_aside_and_the_exercise_opens(home):
    home.mkdir()
    (home / "archetypes.json").write_text('{"schema": 1, "value": {"gui')
    shape = ArchetypeMatcher()
    assert shape.value == {}
    (aside,) = home.glob("archetypes.unreadable-*.json")
    assert aside.name in shape._notice.value


# --------------------------------------------------------------------------- two lenses
def _save_week(store, content, role: str) -> None:
    ideal = dict(content.by_id["roles"][role].week.hours)
    store.save("allocation", {"total": 40, "current": {}, "ideal": ideal})


@pytest.mark.parametrize(
    ("answers_role", "week_role", "status"),
    [
        ("tech_lead", "tech_lead", "agree"),
        ("tech_lead", "eng_manager", "differ"),
        ("architect", "senior_ic", "senior_ic"),
    ],
)
def test_the_ideal_week_from_the_time_exercise_is_compared(
    store, content, answers_role, week_role, status
):
    _save_week(store, content, week_role)
    before = store.path("allocation").read_bytes()
    shape = ArchetypeMatcher()
    shape.value = _pattern(content, answers_role)
    lens = shape.lenses()
    assert lens.status == status and lens.nearest == week_role
    assert html.escape(logic.lens_text(lens, content)) in shape._result_card.value
    assert "wk-lens" in shape._result_card.value
    assert store.path("allocation").read_bytes() == before  # only read, never written


def test_without_a_week_the_card_points_to_the_time_exercise(home, content):
    shape = ArchetypeMatcher()
    shape.value = _pattern(content, "solver")
    assert shape.lenses().status == "no_week"
    assert html.escape(content.text("archetypes_lens_no_week")) in shape._result_card.value


@pytest.mark.parametrize(
    "text",
    [
        '{"schema": 1, "exercise": "allocation", "val',
        '{"schema": 99, "exercise": "allocation", "value": {}}',
    ],
    ids=["damaged", "newer-kit"],
)
def test_another_exercises_unusable_file_is_left_exactly_where_it_is(home, content, text):
    home.mkdir()
    (home / "allocation.json").write_text(text)
    shape = ArchetypeMatcher()
    shape.value = _pattern(content, "solver")
    assert shape.lenses().status == "no_week"
    # Only the lock the questionnaire's own save takes turns on is added beside the files.
    listing = sorted(p.name for p in home.iterdir() if not p.name.endswith(".lock"))
    assert listing == ["allocation.json", "archetypes.json"]
    assert (home / "allocation.json").read_text() == text


def test_no_answers_draw_a_friendly_sentence_not_an_empty_radar():
    from kit import ArchetypeMatcher, load_content

    shape = ArchetypeMatcher(store=None)
    shape._chart_button.click()
    assert shape._chart_image.value == b""
    assert load_content().text("archetypes_chart_nothing") in shape._chart_caption.value
