"""Paper handouts (``kit.render.handouts``): printed from the content, escaped, print-ready, a
shuffled card deck, and a five-minute scoring sheet that agrees with the notebook's score."""

from __future__ import annotations

import itertools
import os
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from kit.cli import main
from kit.content import load_content, packaged_content_dir
from kit.render import handouts, paper_score

CHROMIUM = Path("/usr/bin/chromium")
MISSING = "Chromium not found: apt-get install chromium to run browser tests"
REMOTE = re.compile(
    r"""(?:\b(?:src|href|srcset)\s*=\s*["']?\s*|url\(\s*["']?\s*|"""
    r"""@import\s+["']\s*)(?:https?:)?//""",
    re.IGNORECASE,
)


def need_chromium() -> None:
    if CHROMIUM.is_file():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{MISSING} (CI=true: browser tests must run here, not skip)", pytrace=False)
    pytest.skip(MISSING)


@pytest.fixture(scope="module")
def pages(content):
    return handouts.render_handouts(content)


@pytest.fixture
def custom(tmp_path):
    """A facilitator's folder: one card reworded with markup, a bucket renamed."""
    folder = tmp_path / "content"
    folder.mkdir()
    cards = yaml.safe_load((packaged_content_dir() / "cards.yaml").read_text())
    cards["cards"][0]["text"] = "I <script>alert('x')</script> & \"fix\" it myself"
    (folder / "cards.yaml").write_text(yaml.safe_dump(cards, allow_unicode=True))
    (folder / "ui.yaml").write_text('bucket_healthy: "Gesunder Grund"\n', encoding="utf-8")
    return folder


def test_four_print_ready_handouts(pages):
    assert list(pages) == ["cards", "week", "questionnaire", "commitments"]
    for name, page in pages.items():
        assert page.startswith("<!DOCTYPE html>"), name
        assert "@page { size: A4;" in page and "break-after: page" in page
        assert "<script" not in page.lower(), name
        assert not REMOTE.search(page), name


def test_the_card_deck_has_every_card_to_cut_out(pages, content):
    page = pages["cards"]
    for card in content.cards:
        assert escape(card.text) in page, card.id
    cards = re.findall(r'<div class="card">', page)
    assert len(cards) == len(content.cards) + handouts.OWN_CARDS
    for sheet in re.findall(r'<section class="page">(.*?)</section>', page, re.DOTALL):
        assert sheet.count('<div class="card">') <= handouts.CARDS_PER_PAGE
    for bucket in ("bucket_healthy", "bucket_watch", "bucket_not_me"):
        assert escape(content.text(bucket)) in page
    assert escape(content.text("key_heading")) in page
    assert all(escape(p.prompt) in page for p in content.pairs)


def test_the_week_worksheet_has_both_weeks_and_every_activity(pages, content):
    page = pages["week"]
    assert escape(content.text("week_current")) in page
    assert escape(content.text("week_ideal")) in page
    for activity in content.activities:
        assert escape(activity.label) in page and escape(activity.counts) in page
    for role in content.roles:
        assert escape(role.label) in page
    assert escape(content.text("week_illustrative")) in page


def test_the_questionnaire_has_every_statement_and_a_tally_sheet(pages, content):
    page = pages["questionnaire"]
    for statement in [*content.statements, *content.context]:
        assert escape(statement.text) in page
    for label in content.scale.values():
        assert escape(label) in page
    factors = paper_score.paper_factors(content)
    for role in content.scored_roles:
        assert escape(role.label) in page
        assert f'<td class="num">{factors[role.id]:g}</td>' in page
    sheet = page[page.index('class="sheet tally"') :]
    marks = re.findall(r'<td class="num mark">([^<]*)</td>', sheet)
    assert len(marks) == len(content.statements) * len(content.scored_roles)
    # The table's marks are the content's weights, row by row: nothing else to compute.
    expected = [
        paper_score.MARKS.get(s.weights.get(r.id, 0), "")
        for s in content.statements
        for r in content.scored_roles
    ]
    assert [escape(m) for m in expected] == marks
    assert "\u221a" not in sheet and "d × d" not in sheet  # no square roots, no products


def test_the_commitments_page(pages, content):
    page = pages["commitments"]
    for key in (
        "commit_title",
        "commit_keep",
        "commit_keep_hint",
        "commit_stop",
        "commit_calendar",
        "commit_conversation",
        "handout_first_position",
    ):
        assert escape(content.text(key)) in page


def test_the_printed_deck_is_shuffled_not_in_key_order(pages, content):
    page = pages["cards"]
    deck = handouts.printed_order(content)
    assert sorted(c.id for c in deck) == sorted(c.id for c in content.cards)
    assert [c.id for c in deck] != [c.id for c in content.cards]
    printed = [escape(c.text) for c in content.cards]
    at = sorted(printed, key=page.index)
    assert at == [escape(c.text) for c in deck]  # printed in the shuffled order
    # Not grouped by reading: about as many runs of one reading as chance gives (a deck
    # in key order has 2), and no long run of one reading.
    readings = [c.reading for c in deck]
    runs = 1 + sum(a != b for a, b in itertools.pairwise(readings))
    assert runs >= len(deck) // 3
    longest = max(len(m.group()) for m in re.finditer(r"h+|w+", "".join(r[0] for r in readings)))
    assert longest <= handouts.MAX_RUN
    # Not grouped by theme either: neighbours in the content rarely stay neighbours.
    ids = [c.id for c in content.cards]
    kept = sum(abs(ids.index(a.id) - ids.index(b.id)) == 1 for a, b in itertools.pairwise(deck))
    assert kept <= 3
    assert handouts.printed_order(content) == deck  # seeded: every print the same


def test_the_key_lists_cards_by_their_printed_number(pages, content):
    page = pages["cards"]
    key = page[page.index(escape(content.text("key_heading"))) :]
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>(.*?)</td>', key)
    deck = handouts.printed_order(content)
    assert [int(n) for n, _ in rows] == list(range(1, len(deck) + 1))
    assert [text for _, text in rows] == [escape(c.text) for c in deck]


def full_answers(content, rng: random.Random) -> dict[str, int]:
    return {s.id: rng.randint(1, 5) for s in content.statements}


def test_the_tally_by_hand(content):
    """A worked example: the tally is additions of small leans, then one correction."""
    answers = {s.id: 3 for s in content.statements}
    assert set(paper_score.paper_tally(answers, content).values()) == {0.0}  # no lean at all
    first = content.statements[0]
    answers[first.id] = 5  # one lean of +2, so T = 2
    tally = paper_score.paper_tally(answers, content)
    factors = paper_score.paper_factors(content)
    for role in content.scored_roles:
        weight = first.weights.get(role.id, 0)
        assert tally[role.id] == pytest.approx(2 * weight - 2 * factors[role.id])


def test_the_tally_ignores_a_habit_of_agreeing(content):
    """Everyone one step more agreeable moves no shape far ahead of another."""
    rng = random.Random(3)
    answers = {s.id: rng.randint(1, 4) for s in content.statements}
    before = paper_score.paper_tally(answers, content)
    after = paper_score.paper_tally({k: v + 1 for k, v in answers.items()}, content)
    shifts = [after[r] - before[r] for r in before]
    # Without the factor, each shape would move by the sum of its weights.
    naive = [sum(s.weights.get(r.id, 0) for s in content.statements) for r in content.scored_roles]
    # With it, only the factor's rounding to one decimal is left: 0.05 per statement at most.
    assert max(shifts) - min(shifts) <= 0.1 * len(content.statements) + 1e-9
    assert max(shifts) - min(shifts) < (max(naive) - min(naive)) / 2


def test_the_tally_agrees_with_the_notebook_for_most_respondents(content, pages):
    agreement = paper_score.paper_agreement(content)
    assert agreement.people > 1500
    assert agreement.top >= 0.85 and agreement.top_two >= 0.97
    # The handout prints the figure it measured, and the paper's 'equally close' margin.
    assert f"for {round(100 * agreement.top)}% of them" in pages["questionnaire"]
    assert 1 <= agreement.close_points <= 10
    assert f"within {agreement.close_points} points of each other" in pages["questionnaire"]


def test_simulated_respondents_are_seeded_and_on_the_scale(content):
    one = paper_score.simulated_answers(content, 50, 1)
    assert one == paper_score.simulated_answers(content, 50, 1)
    assert one != paper_score.simulated_answers(content, 50, 2)
    assert all(1 <= a <= 5 for person in one for a in person.values())


def test_a_weight_without_a_paper_mark_is_named(content):
    import dataclasses

    first = content.statements[0]
    role = content.scored_roles[0].id
    odd = first.model_copy(update={"weights": {**first.weights, role: 3}})
    changed = dataclasses.replace(content, statements=(odd, *content.statements[1:]))
    with pytest.raises(ValueError, match=rf"statement '{first.id}'.*'{role}'"):
        paper_score.paper_marks(changed)


def test_a_custom_content_folder_gives_custom_escaped_handouts(custom):
    pages = handouts.render_handouts(load_content(custom))
    page = pages["cards"]
    assert "Gesunder Grund" in page
    assert "I &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;fix&#34; it" in page
    assert "<script" not in "".join(pages.values()).lower()


def test_paper_words_come_from_ui_when_given(content):
    import dataclasses

    changed = dataclasses.replace(content, ui={**content.ui, "handout_pass": "skip it"})
    assert ">skip it<" in handouts.render_questionnaire(changed)


def test_a_facilitator_rewords_the_scoring_sheet_and_the_reading_list(tmp_path):
    """The tally's steps, labels and note and the reading list's words come from ui.yaml."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ui.yaml").write_text(
        'handout_tally_title: "Auswertung"\n'
        'handout_tally_steps: " Erstens | Zweitens, Abstand {close} |  | Drittens "\n'
        'handout_tally_result: "Ergebnis"\n'
        'handout_tally_note: "{people} Personen: {top}% und {top_two}%."\n'
        'report_reading_heading: "Zum Weiterlesen"\n',
        encoding="utf-8",
    )
    own = load_content(folder)
    page = handouts.render_questionnaire(own)  # measures the agreement once (seconds)
    steps = re.findall(r"<li>(.*?)</li>", page[page.index('class="steps') :])
    # Split at '|', each step trimmed, empty ones dropped; the placeholders filled in (the
    # figures are checked by test_the_tally_agrees_with_the_notebook_for_most_respondents).
    assert [re.sub(r"\d+", "N", step) for step in steps] == [
        "Erstens",
        "Zweitens, Abstand N",
        "Drittens",
    ]
    assert "<h1>Auswertung</h1>" in page and ">Ergebnis<" in page
    assert re.search(r">\d{4,} Personen: \d+% und \d+%\.<", page)
    assert "<h1>Zum Weiterlesen</h1>" in handouts.render_commitments(own)


def test_a_folder_still_rewording_the_old_scoring_sheet_is_told(tmp_path):
    """The deviation-and-product sheet was replaced by the tally, and its words went with it:
    a facilitator's ui.yaml that still rewords them hears which key is no longer shown."""
    from kit.content import ContentError

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ui.yaml").write_text('handout_q: "Q ="\n', encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(folder)
    (problem,) = info.value.problems
    assert "'handout_q'" in problem and "not a text the kit shows" in problem


def test_write_html_only(tmp_path):
    written = handouts.write_handouts(tmp_path / "out", pdf=False)
    assert [p.name for p in written.files] == [f"{n}.html" for n in handouts.HANDOUTS]
    assert written.notice is None


def test_without_chromium_the_html_is_still_written(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_CHROMIUM", str(tmp_path / "no-such-browser"))
    written = handouts.write_handouts(tmp_path / "out")
    assert all(p.suffix == ".html" for p in written.files) and len(written.files) == 4
    assert "apt-get install chromium" in written.notice


def test_pdfs_print_offline(tmp_path, custom):
    need_chromium()
    written = handouts.write_handouts(tmp_path / "out", content=custom)
    pdfs = [p for p in written.files if p.suffix == ".pdf"]
    assert [p.stem for p in pdfs] == list(handouts.HANDOUTS)
    content = load_content(custom)
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF"), pdf.name
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
        if pdf.stem == "cards":  # the mat, the cards 8 to a page, the key
            sheets = -(-(len(content.cards) + handouts.OWN_CARDS) // 8)
            assert pages >= 1 + sheets + 1
        else:
            assert pages >= 1


def test_cli_handouts(tmp_path, capsys, custom):
    assert (
        main(["handouts", "--html-only", "--out", str(tmp_path / "h"), "--content", str(custom)])
        == 0
    )
    out = capsys.readouterr().out
    assert out.count("Wrote ") == 4
    assert "Gesunder Grund" in (tmp_path / "h" / "cards.html").read_text(encoding="utf-8")


def test_cli_handouts_reports_content_problems(tmp_path, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(packaged_content_dir() / "cards.yaml", folder / "cards.yaml")
    (folder / "cards.yaml").write_text("cards: [", encoding="utf-8")
    assert (
        main(["handouts", "--html-only", "--out", str(tmp_path / "h"), "--content", str(folder)])
        == 1
    )
    assert "cards.yaml" in capsys.readouterr().err


# --------------------------------------------------------------------------- templates
RENDER = Path(__file__).resolve().parent.parent / "kit" / "render"


def test_report_and_handouts_escape_only_through_the_templates():
    from kit._resources import templates_dir

    for module in RENDER.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        for hand_made in ("html.escape", "import html", "_esc(", 'f"<', "f'<"):
            assert hand_made not in source, f"{module.name}: {hand_made}"
    for template in (templates_dir() / "render").rglob("*.j2"):
        source = template.read_text(encoding="utf-8").replace(" ", "")
        assert "|safe" not in source and "autoescape" not in source, template.name


def test_the_template_environment_escapes_and_every_template_compiles():
    from kit.render.templating import environment

    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>&'\"") == "&lt;b&gt;&amp;&#39;&#34;"
    names = env.list_templates(
        filter_func=lambda n: n.endswith(".j2") and not n.startswith("workshop_reveal/")
    )
    assert "render/report.html.j2" in names and "decks/room_slide.html.j2" in names
    for name in names:
        env.get_template(name)


def test_the_commitments_handout_carries_the_reading_list_home(pages, content):
    from kit.render.reading import reading_list

    page = pages["commitments"]
    listed = reading_list(content)
    assert listed and page.count("<section") == 2  # the commitments, then the list
    at = [page.index(str(escape(s.title))) for s in listed]
    assert at == sorted(at)
    assert all(s.url in page for s in listed if s.url)


def test_handouts_load_no_charts_or_widgets():
    import subprocess
    import sys

    code = (
        "import sys, kit.render.handouts; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
