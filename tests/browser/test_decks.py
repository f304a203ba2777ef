"""Every deck in headless Chromium with the network shut off: a room may have no internet.

The decks are built once for the session, from every workshop notebook, the way
``workshop-kit slides`` builds them. Each deck is then opened from disk in Chromium with
every non-local request blocked: reveal.js must start with the expected number of slides,
no request may fail, every exercise slide must show its chart or the widget's snapshot,
every slide must fit its 1280x720 page, the printed PDF must have one page per slide, axe
must find nothing, and the speaker view must show the notes. The scans for remote
references and for laptop-only words run without Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from axe import axe_violations, describe_violations

from kit.decks import (
    COMBINED,
    LeaveOutOfDecks,
    build_decks,
    count_slides,
    load_room,
    notebook_paths,
)
from kit.render.pdf import print_pdf

NOTEBOOKS = notebook_paths()
NAMES = [p.stem for p in NOTEBOOKS] + ([COMBINED] if len(NOTEBOOKS) > 1 else [])
READY_TIMEOUT = 30_000  # ms

# What a page would load: src/href/poster/data attributes, CSS url() and @import, module
# imports. A plain link (<a href>) is a navigation the audience may choose, not a load.
_LOADS = [
    re.compile(
        r"<(?!a[\s>])[a-z][a-z0-9-]*\b[^>]*?\s(?:src|href|poster|data|srcset)\s*=\s*"
        r"[\"']?\s*(?:https?:)?//",
        re.IGNORECASE,
    ),
    re.compile(r"url\(\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE),
    re.compile(r"@import\s+[\"']\s*(?:https?:)?//", re.IGNORECASE),
    re.compile(r"\bimport\s*(?:[\w{}\s,*]+from\s*)?[\"']\s*https?://", re.IGNORECASE),
    re.compile(r"require\s*\(\s*\[?\s*[\"']https?://", re.IGNORECASE),
]


def remote_loads(text: str) -> list[str]:
    """Return every place in ``text`` that would load something over http(s)."""
    found = []
    for pattern in _LOADS:
        found += [text[max(m.start() - 40, 0) : m.end() + 60] for m in pattern.finditer(text)]
    return found


def expected_slides(path: Path) -> int:
    """Slides reveal.js should show for one notebook: its slides and sub-slides once the
    laptop-only cells are left out (tests/test_slides.py checks both steps on small
    notebooks), plus the room slides the kit adds for it."""
    nb, _ = LeaveOutOfDecks().preprocess(nbformat.read(path, as_version=4), {})
    return (
        count_slides(nb.cells)
        + sum(1 for s in load_room() if s.notebook == path.stem)
        + room_picture_slides(path)
    )


def deck_notebooks(deck) -> list[Path]:
    """The notebooks a built deck was made from."""
    by_name = {p.name: p for p in NOTEBOOKS}
    return [by_name[n] for n in deck.notebooks]


def room_picture_slides(path: Path) -> int:
    """The room's picture slides a notebook gets: one per room exercise after each cell
    tagged ``room-pictures`` (kit/decks/room_pictures.py)."""
    from kit.decks.room_pictures import TAG
    from kit.exercises import room_exercises

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = sum(1 for c in cells if TAG in c.get("metadata", {}).get("tags", []))
    return tagged * len(room_exercises())


EXPECTED = {p.stem: expected_slides(p) for p in NOTEBOOKS}
# The workshop deck is the participants' journey: the facilitator's 9x notebooks stay out.
EXPECTED[COMBINED] = sum(n for stem, n in EXPECTED.items() if not stem.startswith("9"))


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """Every deck, built once (as ``workshop-kit slides`` builds them)."""
    out = tmp_path_factory.mktemp("decks")
    built = build_decks(out)
    return {d.name: d for d in built}


# --------------------------------------------------------------------------- no browser
def test_every_notebook_has_a_deck_and_the_workshop_one_more(decks):
    assert list(decks) == NAMES
    for name, deck in decks.items():
        assert deck.html.name == f"{name}.slides.html" and deck.html.is_file()
        assert deck.slides == EXPECTED[name], name


def test_no_output_references_a_remote_resource(decks):
    folder = next(iter(decks.values())).html.parent
    scanned = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".html", ".css", ".js")]
    assert any(p.suffix == ".html" for p in scanned)
    for path in scanned:
        hits = remote_loads(path.read_text(encoding="utf-8", errors="replace"))
        assert not hits, f"{path.name} would load from the network: {hits[:3]}"


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://unpkg.com/reveal.js@4.0.2/dist/reveal.js"></script>',
        "<link rel='stylesheet' href='https://fonts.googleapis.com/css?family=Lato'>",
        "<style>@import 'https://x.example/a.css';</style>",
        "<style>body { background: url(//cdn.example/b.png) }</style>",
        "<script type='module'>import mermaid from 'https://cdn.example/m.js';</script>",
        "<script>require(['https://cdn.example/r.js'], function () {})</script>",
        '<img alt="" src="http://example.org/x.png">',
    ],
)
def test_the_scan_catches_what_the_stock_template_loads(snippet):
    assert remote_loads(snippet)


def test_the_scan_lets_plain_links_through():
    assert remote_loads('<a href="https://staffeng.com/guides/">a source</a>') == []
    assert remote_loads('<a class="x" href="http://example.org">x</a><img src="data:,">') == []


def shown_text(html: str) -> str:
    """The words a deck shows on its slides: no speaker notes, scripts, styles or tags."""
    for hidden in ("aside", "script", "style"):
        html = re.sub(rf"<{hidden}\b.*?</{hidden}>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_no_slide_says_run_the_cell_or_shows_the_setup_check(decks):
    """What belongs at a laptop (run instructions, package versions) stays off the screen."""
    from kit import check_setup

    report = check_setup()
    # The rows that name a package (with its version beside it), and the report's verdict.
    marks = [c.name for c in report.checks if "(" in c.name]
    marks.append("Everything is ready." if report.ok else "Something is missing.")
    assert len(marks) >= 3
    for name, deck in decks.items():
        text = shown_text(deck.html.read_text(encoding="utf-8"))
        assert not re.search(r"run (the|this) cells? below", text, re.IGNORECASE), name
        for mark in marks:
            assert mark not in text, f"{name} shows the set-up check ({mark})"


def test_decks_hold_no_code_and_no_widget_placeholders(decks):
    for name, deck in decks.items():
        html = deck.html.read_text(encoding="utf-8")
        for code in ("jp-InputPrompt", "cm-editor", "jp-CodeMirrorEditor"):
            assert not re.search(rf'class="[^"]*\b{code}\b', html), f"{name} shows code"
        assert not re.search(r"\b[A-Z]\w*\(children=", html), f"{name} shows a widget repr"
        assert "application/vnd.jupyter.widget" not in html, name


def widgets_shown(path: Path) -> int:
    """How many of the kit's widgets a notebook shows on its slides (each shown once).

    Cells skipped in the slideshow (the optional room controls) are not on the deck.
    """
    import kit

    names = {n for n in kit.__all__ if n[:1].isupper() and n != "ContentError"}
    source = "\n".join(
        "".join(c["source"])
        for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code"
        and c["metadata"].get("slideshow", {}).get("slide_type") != "skip"
        # a live room view: the deck shows the room's picture slides in its place
        and "room-pictures" not in c["metadata"].get("tags", [])
    )
    imported = re.findall(r"^from kit import ([\w, ]+)$", source, re.MULTILINE)
    return sum(1 for line in imported for n in line.split(",") if n.strip() in names)


def test_every_widget_a_notebook_shows_is_on_its_deck(decks):
    counted = {p.stem: widgets_shown(p) for p in NOTEBOOKS}
    assert any(counted.values()), "no notebook shows a widget of the kit"
    for name, n in counted.items():
        assert decks[name].exercises >= n, f"{name}: {decks[name].exercises} of {n} shown"


# --------------------------------------------------------------------------- in Chromium
def open_deck(blocked_page, deck):
    page = blocked_page.page
    page.goto(deck.html.as_uri())
    page.wait_for_selector("html[data-wk-ready='true']", state="attached", timeout=READY_TIMEOUT)
    return page


@pytest.mark.parametrize("name", NAMES)
def test_deck_runs_offline_with_every_slide_and_exercise(name, decks, blocked_page):
    deck = decks[name]
    page = open_deck(blocked_page, deck)
    assert page.evaluate("Reveal.isReady()")
    assert page.evaluate("Reveal.getTotalSlides()") == EXPECTED[name]
    assert page.locator(".wk-exercise").count() == deck.exercises
    pictures = page.locator("img.wk-room-picture")
    assert pictures.count() == sum(room_picture_slides(p) for p in deck_notebooks(deck))
    for i in range(pictures.count()):
        assert pictures.nth(i).get_attribute("alt"), f"{name}: room picture {i} has no text"
    for i in range(deck.exercises):
        page.evaluate(
            """i => { const el = document.querySelectorAll('.wk-exercise')[i];
                      const at = Reveal.getIndices(el.closest('section'));
                      Reveal.slide(at.h, at.v, 99); }""",
            i,
        )
        shown = page.locator(".wk-exercise").nth(i)
        pictures = shown.locator("img, .wk-snapshot")
        assert pictures.count() >= 1, f"{name}: exercise {i} shows nothing"
        first = pictures.first
        first.wait_for(state="visible", timeout=5_000)
        box = first.bounding_box()
        assert box and box["width"] > 20 and box["height"] > 20, f"{name}: exercise {i}"
        if first.evaluate("e => e.tagName") == "IMG":
            assert first.evaluate("e => e.complete && e.naturalWidth > 0"), name
        else:
            assert first.inner_text().strip(), f"{name}: exercise {i} snapshot is empty"
    assert blocked_page.blocked == [], f"{name} asked the network for {blocked_page.blocked}"
    assert blocked_page.failed == []
    assert blocked_page.errors == []


def test_speaker_view_shows_the_notes(decks, blocked_page):
    page = open_deck(blocked_page, decks[NAMES[-1]])
    notes = page.evaluate(
        """() => { const aside = document.querySelector('.reveal .slides aside.notes');
                   const at = Reveal.getIndices(aside.closest('section'));
                   Reveal.slide(at.h, at.v);
                   return aside.textContent.trim(); }"""
    )
    assert notes
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    words = " ".join(notes.split()[:6])
    speaker.wait_for_function(
        "w => document.querySelector('.speaker-controls-notes') && document.querySelector("
        "'.speaker-controls-notes').textContent.replace(/\\s+/g, ' ').includes(w)",
        arg=words,
        timeout=10_000,
    )
    assert blocked_page.blocked == [] and blocked_page.failed == []
    assert blocked_page.errors == []


@pytest.mark.parametrize("name", NAMES)
def test_every_slide_fits_its_page(name, decks, blocked_page):
    """No slide's content is taller or wider than the slide (1280x720), on every slide."""
    page = open_deck(blocked_page, decks[name])
    # Slides were measured in their real fonts: every declared face had loaded by then (a
    # face still loading meant a slide measured in the fallback font, a few pixels short).
    unloaded = page.evaluate(
        "() => { const out = []; document.fonts.forEach(f => { if (f.status !== 'loaded')"
        " out.push(`${f.family} ${f.weight} ${f.style}`); }); return out; }"
    )
    assert unloaded == [], unloaded
    sizes = page.evaluate(
        """() => Reveal.getSlides().map(s => {
               const at = Reveal.getIndices(s);
               Reveal.slide(at.h, at.v);
               const title = s.querySelector('h1, h2, h3');
               return {at: `${at.h}/${at.v || 0}`, title: title ? title.textContent : '',
                       h: s.scrollHeight, ch: s.clientHeight, w: s.scrollWidth,
                       cw: s.clientWidth, scale: Number(s.dataset.wkFit)}; })"""
    )
    assert len(sizes) == decks[name].slides
    for size in sizes:
        assert size["ch"] == 720 and size["cw"] == 1280, size
        assert size["h"] <= size["ch"] + 1 and size["w"] <= size["cw"] + 1, size
        assert size["scale"] >= 0.3, size  # never scaled past legibility's floor
    assert blocked_page.errors == []


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_has_one_page_per_slide(name, decks, blocked_page, chromium_path, tmp_path):
    from pypdf import PdfReader  # a test extra

    deck = decks[name]
    pdf = print_pdf(deck.html, tmp_path / "deck.pdf", query="wk-print", chromium=str(chromium_path))
    pages = PdfReader(pdf).pages
    total = open_deck(blocked_page, deck).evaluate("Reveal.getTotalSlides()")
    assert len(pages) == total == deck.slides
    first = pages[0].mediabox
    assert float(first.width) / float(first.height) == pytest.approx(1280 / 720, rel=0.01)


@pytest.mark.parametrize("name", NAMES)
def test_every_slide_passes_axe(name, decks, blocked_page):
    """axe-core (WCAG 2.0-2.2 A and AA) on every slide at once: the printable layout shows
    them all; then on the live deck (reveal.js's own controls) at its first slide."""
    page = blocked_page.page
    page.goto(decks[name].html.as_uri() + "?wk-print")
    page.wait_for_selector("html[data-wk-ready='true']", state="attached", timeout=READY_TIMEOUT)
    found = axe_violations(page)
    assert not found, f"{name} (all slides):\n{describe_violations(found)}"
    page = open_deck(blocked_page, decks[name])
    found = axe_violations(page)
    assert not found, f"{name} (live):\n{describe_violations(found)}"


@pytest.mark.parametrize("key", ["ArrowRight", "Space", "PageDown"])
def test_the_keys_walk_every_slide_of_the_workshop_deck(key, decks, blocked_page):
    deck = decks[COMBINED]
    page = open_deck(blocked_page, deck)
    page.evaluate("Reveal.slide(0, 0, 0)")
    here = "(() => { const i = Reveal.getIndices(); return `${i.h}/${i.v || 0}`; })()"
    seen = [page.evaluate(here)]
    for _ in range(deck.slides * 20):  # fragments take a press each, sub-slides too
        if page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
            break
        page.keyboard.press(key)
        if page.evaluate(here) != seen[-1]:
            seen.append(page.evaluate(here))
    assert len(seen) == len(set(seen)) == deck.slides, f"{key} visited {len(set(seen))}"
    assert blocked_page.errors == []
