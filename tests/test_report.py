"""The personal report (``kit.render.report``): page one is the plan, the detail follows, a
reading list closes it; the same order in the HTML and in the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest

from kit import synthesis
from kit.answers import DemoStore
from kit.commitments import KINDS, TEXT_LIMIT
from kit.content import load_content
from kit.render import reading
from kit.render.reading import reading_list
from kit.render.report import plan_for, render_html, render_pdf

DAY = dt.date(2026, 12, 2)


def longest(kind: str) -> str:
    """A commitment of exactly the longest allowed length, in words a PDF can wrap."""
    words = " ".join(f"{kind}{i}" for i in range(TEXT_LIMIT))
    return words[: TEXT_LIMIT - 1] + "."


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def demo(content):
    return synthesis.gather(DemoStore(), content)


@pytest.fixture
def full(demo):
    """The demo participant with every commitment (the three and the optional conversation)
    of the longest allowed length."""
    return dataclasses.replace(demo, commitments={k: longest(k) for k in KINDS})


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader  # a test extra

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# --------------------------------------------------------------------------- the PDF
def test_page_one_of_the_pdf_is_the_plan_with_every_longest_commitment(full, content):
    assert len(full.commitments) == len(KINDS) == 4
    assert all(len(text) == TEXT_LIMIT for text in full.commitments.values())
    pages = pdf_pages(render_pdf(full, content, today=DAY))
    first = squash(pages[0])
    assert "2 December 2026" in pages[0]
    for kind in KINDS:
        assert squash(content.text(f"commit_{kind}")) in first
        assert squash(full.commitments[kind]) in first, f"{kind} is not whole on page one"
    # The detail follows on later pages, never on page one.
    assert content.text("path_sort_heading") not in pages[0]
    assert any(content.text("path_sort_heading") in p for p in pages[1:])


def test_page_one_says_what_to_do_without_commitments(demo, content):
    none = dataclasses.replace(demo, commitments={})
    first = pdf_pages(render_pdf(none, content, today=DAY))[0]
    assert squash(content.text("report_plan_missing")) in squash(first)


FIRST = {"lean": "keep_building", "why": "No: he left too early, and so would I."}
FINAL = {"lean": "hybrid", "why": "what the team needs first"}


def test_page_one_shows_the_first_and_final_position_beside_the_commitments(full, content):
    """Where the participant leaned in notebook 01 and in 05, both on page one, labelled."""
    journey = dataclasses.replace(full, first_position=FIRST, final_position=FINAL)
    plan = plan_for(journey, content, DAY)
    assert plan.positions == (
        (
            content.text("report_first_position"),
            content.text("position_lean_keep_building") + ": " + FIRST["why"],
        ),
        (
            content.text("report_final_position"),
            content.text("position_lean_hybrid") + ": " + FINAL["why"],
        ),
    )
    first = squash(pdf_pages(render_pdf(journey, content, today=DAY))[0])
    for label, text in plan.positions:
        assert squash(label) in first and squash(text) in first
    for kind in KINDS:  # every commitment still whole beside the positions
        assert squash(full.commitments[kind]) in first, f"{kind} is not whole on page one"
    page = render_html(journey, content, charts=False, today=DAY)
    order = [
        page.index(words)
        for words in (
            content.text("report_first_position"),
            content.text("report_final_position"),
            content.text("path_commit_heading"),
            content.text("report_detail_heading"),
        )
    ]
    assert order == sorted(order)


def test_page_one_holds_the_longest_positions_and_commitments(full, content):
    """The worst case the limits allow: both lines and every commitment at their longest."""
    from kit.positions import WHY_LIMIT

    why = ("because " * WHY_LIMIT)[: WHY_LIMIT - 1] + "."
    journey = dataclasses.replace(
        full,
        first_position={"lean": "keep_building", "why": why},
        final_position={"lean": "unsure", "why": why},
    )
    pages = pdf_pages(render_pdf(journey, content, today=DAY))
    first = squash(pages[0])
    assert "2 December 2026" in pages[0]
    assert first.count(squash(why)) == 2
    for kind in KINDS:
        assert squash(full.commitments[kind]) in first, f"{kind} is not whole on page one"
    assert content.text("path_sort_heading") not in pages[0]


def test_a_position_shows_only_when_it_was_taken(full, content):
    none = dataclasses.replace(full, first_position=None, final_position=None)
    assert plan_for(none, content, DAY).positions == ()  # nothing shown that is not there
    only_first = dataclasses.replace(none, first_position={"lean": "unsure"})
    assert plan_for(only_first, content, DAY).positions == (
        (content.text("report_first_position"), content.text("position_lean_unsure")),
    )
    only_why = dataclasses.replace(none, final_position={"why": "I need a month"})
    assert plan_for(only_why, content, DAY).positions == (
        (content.text("report_final_position"), "I need a month"),
    )


def test_the_demo_participant_has_both_positions_on_page_one(demo, content):
    assert demo.first_position and demo.final_position
    first = squash(pdf_pages(render_pdf(demo, content, today=DAY))[0])
    assert squash(demo.first_position["why"]) in first
    assert squash(demo.final_position["why"]) in first


def test_the_pdf_ends_with_the_reading_list(demo, content):
    last = squash("".join(pdf_pages(render_pdf(demo, content, today=DAY))[1:]))
    assert squash(content.text("report_reading_heading")) in last
    for source in reading_list(content):
        assert squash(source.title) in last


# --------------------------------------------------------------------------- the HTML
def test_the_html_shows_the_same_order(full, content):
    page = render_html(full, content, today=DAY, charts=False)
    order = [
        content.text("report_plan_heading"),
        content.text("report_date", date="2 December 2026"),
        content.text("commit_keep"),
        content.text("path_sort_heading"),
        content.text("path_week_heading"),
        content.text("path_shape_heading"),
        content.text("report_reading_heading"),
    ]
    at = [page.index(words) for words in order]
    assert at == sorted(at)
    assert page.count(full.commitments["keep"]) == 1  # on the plan only, not again below
    assert ".plan { break-after: page; }" in page  # printed from a browser: plan on page one


def test_the_html_escapes_positions_and_prints_links_as_text(demo, content):
    journey = dataclasses.replace(demo, first_position={"why": "<b>yes</b> & no"})
    page = render_html(journey, content, charts=False, today=DAY)
    assert "&lt;b&gt;yes&lt;/b&gt; &amp; no" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "https://staffeng.com/guides/staff-archetypes/" in page


def test_the_packaged_words_are_the_english_ones(full, content):
    """The words once kept in code are in the packaged ui.yaml, word for word."""
    page = render_html(full, content, today=DAY, charts=False)
    for words in ("My plan", "Made on 2 December 2026", "How I got there", "Further reading"):
        assert words in page


def test_a_facilitators_words_reach_every_part_of_the_report(demo, tmp_path):
    """A content folder rewords the plan, the detail and the reading list, HTML and PDF."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ui.yaml").write_text(
        'report_plan_heading: "Mein Plan"\n'
        'report_date: "Stand: {date}"\n'
        'report_plan_missing: "Noch keine Vorsätze."\n'
        'report_detail_heading: "Wie ich dahin kam"\n'
        'report_reading_heading: "Zum Weiterlesen"\n'
        'report_reading_intro: "Die meistzitierten Quellen."\n'
        'report_footer: "Kein validiertes Instrument."\n',
        encoding="utf-8",
    )
    own = load_content(folder)
    none = dataclasses.replace(demo, commitments={})
    plan = plan_for(none, own, DAY)
    assert (plan.heading, plan.date) == ("Mein Plan", "Stand: 2 December 2026")
    assert plan.missing == "Noch keine Vorsätze."
    page = render_html(none, own, today=DAY, charts=False)
    pdf = squash("".join(pdf_pages(render_pdf(none, own, today=DAY))))
    for words in (
        "Mein Plan",
        "Noch keine Vorsätze.",
        "Wie ich dahin kam",
        "Zum Weiterlesen",
        "Die meistzitierten Quellen.",
        "Kein validiertes Instrument.",
    ):
        assert words in page and squash(words) in pdf, words
    for english in ("My plan", "How I got there", "Further reading"):
        assert english not in page


def test_the_footer_points_at_the_reading_list_not_the_guide(content):
    footer = content.text("report_footer")
    assert "reading list" in footer and "facilitator guide" not in footer


# --------------------------------------------------------------------------- reading list
def test_the_reading_list_is_what_the_content_cites_most(content):
    chosen = reading_list(content)
    assert 3 <= len(chosen) <= reading.READING_LIMIT
    cited = {
        s.id: sum(
            s.id in (getattr(e, "sources", ()) or ())
            for group in (
                content.cards,
                content.roles,
                content.statements,
                content.context,
                content.activities,
                content.reference_lines,
                content.pairs,
            )
            for e in group
        )
        for s in content.sources
    }
    counts = [cited[s.id] for s in chosen]
    assert counts == sorted(counts, reverse=True)
    assert min(counts) >= reading.READING_MIN_CITATIONS
    left_out = [cited[s.id] for s in content.sources if s not in chosen]
    assert len(chosen) == reading.READING_LIMIT or max(left_out) < reading.READING_MIN_CITATIONS
    assert chosen[0].id == "larson_2020_archetypes"  # behind every shape of notebook 04
