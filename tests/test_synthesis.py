"""The last page, the personal report and the 30-day check-in."""

from __future__ import annotations

import json
import re
from html import escape

import pytest

from kit import YourPath, synthesis
from kit.answers import AnswerStore, DemoStore, snapshot
from kit.cli import main
from kit.render.report import render_html, render_pdf

DEMO_FILES = ("motivations", "allocation", "archetypes", "commitments")


def test_demo_profile_fits_the_content(content):
    journey = synthesis.gather(DemoStore(), content)
    assert journey.notices == ()
    assert journey.sort and journey.week and journey.shape and journey.commitments
    cards = {c.id for c in content.cards}
    assert set(journey.sort["cards"]) == cards  # every card sorted, none unknown
    raw = DemoStore().load("archetypes").value
    assert set(raw) <= {s.id for s in content.statements} | {q.id for q in content.context}


def test_sections_say_what_to_do_when_nothing_is_answered(content, store):
    journey = synthesis.gather(store, content)
    assert journey.empty
    sections = synthesis.summarize(journey, content)
    assert [s.key for s in sections] == ["sort", "week", "shape", "commitments"]
    assert not any(s.done for s in sections)
    assert "Why you still build" in sections[0].text
    assert "Where the week goes" in sections[1].text


def test_sections_of_the_demo_participant(content):
    sections = {
        s.key: s for s in synthesis.summarize(synthesis.gather(DemoStore(), content), content)
    }
    assert all(s.done for s in sections.values())
    assert sections["sort"].text.startswith("You sorted")
    # Often-watch reasons are listed, own cards included.
    assert "I like being the person who knows the codebase best." in sections["sort"].items
    assert "hours would move" in sections["week"].text
    assert "Tech Lead" in sections["shape"].text
    assert len(sections["commitments"].items) == 3


def test_the_sort_section_lists_healthy_reasons_a_keep_commitment_can_use(content, store):
    """The summary names healthy cards too, most frequent first, not only reasons to watch."""
    journey = synthesis.gather(DemoStore(), content)
    sort = next(s for s in synthesis.summarize(journey, content) if s.key == "sort")
    cards = {c.text: c.id for c in content.cards}
    placed = journey.sort["cards"]
    assert 0 < len(sort.healthy) <= synthesis.HEALTHY_SHOWN
    assert all(placed[cards[text]]["bucket"] == "healthy" for text in sort.healthy)
    order = {"often": 0, "sometimes": 1, "rarely": 2, None: 3}
    ranks = [order[placed[cards[text]]["frequency"]] for text in sort.healthy]
    assert ranks == sorted(ranks)
    # An own healthy card counts, and a sort with no healthy card lists none.
    store.save(
        "motivations",
        {
            "cards": {"feel_the_friction": {"bucket": "watch", "frequency": "often"}},
            "own": [
                {
                    "id": "own_1",
                    "text": "Pairing on Fridays",
                    "bucket": "healthy",
                    "frequency": "often",
                }
            ],
        },
    )
    mine = next(s for s in synthesis.summarize(synthesis.gather(store, content), content))
    assert mine.healthy == ("Pairing on Fridays",)
    page = render_html(synthesis.gather(store, content), content, charts=False)
    assert content.text("path_healthy") in page and "Pairing on Fridays" in page


def test_gather_never_changes_the_answers(content, store, home):
    store.save(
        "motivations",
        {
            "cards": {
                "retired": {"bucket": "watch", "frequency": None},
                "faster_myself": {"bucket": "watch", "frequency": "often"},
            },
            "own": [],
        },
    )
    before = (home / "motivations.json").read_bytes()
    journey = synthesis.gather(store, content)
    assert list(journey.sort["cards"]) == ["faster_myself"]
    assert (home / "motivations.json").read_bytes() == before


def test_compare_with_a_snapshot_says_what_moved(content, store, home):
    demo = DemoStore()
    for name in DEMO_FILES:
        store.save(name, demo.load(name).value)
    kept = snapshot(home)
    sort = store.load("motivations").value
    sort["cards"]["faster_myself"] = {"bucket": "not_me", "frequency": None}
    store.save("motivations", sort)
    week = store.load("allocation").value
    week["current"] = dict(week["ideal"])
    store.save("allocation", week)
    lines = synthesis.compare(
        synthesis.gather(AnswerStore(kept), content), synthesis.gather(store, content), content
    )
    text = " ".join(lines)
    assert "1 card changed column" in text and "Reason to watch \u2192 Not me" in text
    assert "closer to the one you want" in text and "now 0%" in text
    assert "What you committed to then" in text


def test_report_is_self_contained_and_escapes_participant_text(content, store):
    store.save(
        "motivations",
        {
            "cards": {},
            "own": [
                {
                    "id": "own_1",
                    "text": "<script>alert(1)</script> & more",
                    "bucket": "watch",
                    "frequency": "often",
                }
            ],
        },
    )
    store.save("commitments", {"keep": "<img src=x onerror=alert(1)>"})
    page = render_html(synthesis.gather(store, content), content)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert page.count("data:image/png;base64,") == 1  # the sort chart only


def test_report_of_the_demo_has_three_charts_and_prints_cleanly(content):
    page = render_html(synthesis.gather(DemoStore(), content), content)
    assert page.count("data:image/png;base64,") == 3
    assert "@media print" in page


def test_empty_report_still_renders_and_says_what_to_do(content, store):
    page = render_html(synthesis.gather(store, content), content)
    assert "There are no answers yet" in page


def test_pdf_prints_any_characters(content, store):
    store.save("commitments", {"keep": "Pairing with Zoë on Ürün's service, 每周一次 \u2713"})
    pdf = render_pdf(synthesis.gather(store, content), content)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_path_widget_reads_saves_report_and_snapshots(content, store, home):
    demo = DemoStore()
    for name in DEMO_FILES:
        store.save(name, demo.load(name).value)
    page = YourPath()
    assert "Tech Lead" in page._blocks["shape"].value
    assert all(bytes(img.value).startswith(b"\x89PNG") for img in page._charts.values())
    target = page.save_report()
    assert target == home / "my-leadership-path.html" and target.exists()
    assert "download=" in page._message.value
    assert page._compare_button.disabled
    kept = page.keep_snapshot()
    assert kept is not None and not page._compare_button.disabled
    page._compare_button.click()
    assert "No card changed column." in page._comparison.value


def test_path_widget_with_no_answers_renders_and_guides(content):
    page = YourPath()
    assert "There are no answers yet" in page._page.value
    assert all(img.layout.display == "none" for img in page._charts.values())


def test_path_widget_in_demo_mode_offers_a_download_but_saves_nothing(content, home):
    page = YourPath(store=DemoStore())
    assert page.save_report() is None
    assert "data:text/html;base64," in page._message.value
    assert page._snapshot.disabled and not home.exists()


@pytest.mark.parametrize("pdf", [False, True])
def test_cli_report(tmp_path, capsys, pdf):
    out = tmp_path / "r.html"
    args = ["report", "--demo", "--out", str(out)] + (["--pdf"] if pdf else [])
    assert main(args) == 0
    assert out.exists() and out.with_suffix(".pdf").exists() == pdf
    assert "Wrote" in capsys.readouterr().out


def test_cli_report_needs_an_existing_folder(tmp_path, capsys):
    assert main(["report", "--answers", str(tmp_path / "none")]) == 1
    assert "--demo" in capsys.readouterr().err


def test_demo_files_are_plain_json():
    from importlib import resources

    for name in DEMO_FILES:
        json.loads((resources.files("kit") / "demo" / f"{name}.json").read_text())


def test_a_damaged_snapshot_stays_where_it_was_after_the_last_page_and_the_report(
    content, store, home, tmp_path
):
    store.save("commitments", {"keep": "one on-call shift a month"})
    kept = snapshot(home)
    damaged = kept / "motivations.json"
    damaged.write_bytes(b'{"schema": 1, "exercise": "motivations", "value": {"ca')
    before = sorted(p.name for p in kept.iterdir())
    page = YourPath()
    page._snapshots.value = str(kept)
    page._compare_now()  # the last page reads the snapshot to compare
    assert main(["report", "--answers", str(kept), "--out", str(tmp_path / "r.html")]) == 0
    assert damaged.read_bytes() == b'{"schema": 1, "exercise": "motivations", "value": {"ca'
    assert sorted(p.name for p in kept.iterdir()) == before
    notices = synthesis.gather(AnswerStore(kept), content).notices
    assert any("damaged" in n and "left as it is" in n for n in notices)  # said, not moved


def test_peek_never_moves_renames_or_changes_a_file(store, home):
    home.mkdir()
    for name, text in [("motivations", "{broken"), ("allocation", '{"schema": 99}')]:
        (home / f"{name}.json").write_text(text)
    listing = {p.name: p.read_bytes() for p in home.iterdir()}
    for name in ("motivations", "allocation"):
        seen = store.peek(name)
        assert seen.value is None and not seen.writable and "left as it is" in seen.notice
    assert store.peek("archetypes") == store.load("archetypes")  # nothing saved: nothing said
    assert "damaged" in store.peek("motivations").notice
    assert {p.name: p.read_bytes() for p in home.iterdir()} == listing


def test_the_last_page_shows_the_healthy_reasons_too(content):
    page = YourPath(store=DemoStore(), content=content)
    assert escape(content.text("path_healthy")) in page._blocks["sort"].value


def test_in_a_kernel_the_last_page_goes_out_first_and_its_charts_follow(content):
    import asyncio

    async def open_page():
        path = YourPath(content=content, store=DemoStore())
        waiting = [p.caption.value for p in path._panels.values()]
        drawn_at_once = [p.image.value for p in path._panels.values()]
        await asyncio.sleep(0)  # the kernel's loop turns: the page has been sent
        drawn = [len(p.image.value) for p in path._panels.values()]
        closed = YourPath(content=content, store=DemoStore())
        closed.close()  # the participant moved on before the charts were drawn
        await asyncio.sleep(0)
        return waiting, drawn_at_once, drawn, [p.image.value for p in closed._panels.values()]

    waiting, at_once, drawn, closed = asyncio.run(open_page())
    assert all("Drawing this chart" in text for text in waiting)
    assert at_once == [b"", b"", b""] and all(size > 1000 for size in drawn)
    assert closed == [b"", b"", b""]  # no drawing for a closed page
