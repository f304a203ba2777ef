"""Deck building (``kit.decks``) on two small notebooks: offline HTML, no code, snapshots
instead of widgets, speaker notes, room slides, the combined deck and the progress bar.

The real workshop decks are opened in Chromium by ``tests/browser/test_decks.py``.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from kit import cli, decks
from kit._resources import templates_dir
from kit.cli import main
from kit.decks import COMBINED, Deck, DeckError, build_decks, count_slides, load_room
from kit.render import pdf
from kit.render.pdf import PdfError

TEMPLATES = templates_dir()
REMOTE = re.compile(
    r"""(?:\b(?:src|href|srcset|poster)\s*=\s*["']?\s*|url\(\s*["']?\s*|"""
    r"""@import\s+["']\s*)(?:https?:)?//""",
    re.IGNORECASE,
)


def md(source: str, kind: str = "-") -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source, metadata={"slideshow": {"slide_type": kind}})


def code(source: str, kind: str = "-") -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"slideshow": {"slide_type": kind}})


def write(path: Path, cells: list) -> Path:
    nb = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "title": path.stem,
        },
    )
    nbformat.write(nb, path)
    return path


ROOM = """
decks:
  10-first:
    - title: "Pairs <b>now</b> & then"
      after: "A widget"
      steps:
        - {minutes: 3, who: "On your own", do: "Think."}
        - {minutes: 4.5, who: "In pairs", do: "Talk it through."}
      prompt: "What surprised you?"
      notes: |-
        Ask one pair first.

        Then the room.
  10-first-missing:
    - title: "Never used"
  11-second:
    - title: "Heading that moved"
      after: "No such heading"
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two small notebooks built into decks once: (decks, progress text, folder)."""
    src = tmp_path_factory.mktemp("notebooks")
    first = write(
        src / "10-first.ipynb",
        [
            md("# First deck\n\nIntro text.", "slide"),
            md("Spoken words for the facilitator.", "notes"),
            md("## A widget", "subslide"),
            code(
                "import ipywidgets as w\nw.VBox([w.IntSlider(7, description='Hours'), "
                "w.Label('label text')])"
            ),
            md("Revealed later.", "fragment"),
            md("## A chart", "slide"),
            code(
                "from kit.charts.core import ChartDisplay, new_figure\nfig = new_figure(3, 2)\n"
                "fig.add_subplot().bar([1, 2], [3, 4])\nChartDisplay(fig, 'Two bars & a <tag>.')"
            ),
            code(
                "import sys\nprint('a warning nobody needs', file=sys.stderr)\n"
                "print('shown output')"
            ),
            md("## Hidden", "skip"),
            code("secret_code_marker = 1"),
        ],
    )
    second = write(
        src / "11-second.ipynb",
        [
            md("## Second deck starts as a sub-slide", "subslide"),
            md("## Its next slide", "slide"),
        ],
    )
    room = src / "room.yaml"
    room.write_text(ROOM, encoding="utf-8")
    steps = []
    built = build_decks(
        tmp_path_factory.mktemp("decks"),
        notebooks=[first, second],
        room=room,
        progress=lambda done, total, what: steps.append((done, total, what)),
        jobs=2,
    )
    return {d.name: d for d in built}, steps


def leaf_sections(html: str) -> int:
    """Count the <section>s with no <section> inside: the slides reveal.js shows."""

    class Counter(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[bool] = []
            self.leaves = 0

        def handle_starttag(self, tag, attrs):
            if tag == "section":
                if self.stack:
                    self.stack[-1] = True
                self.stack.append(False)

        def handle_endtag(self, tag):
            if tag == "section" and not self.stack.pop():
                self.leaves += 1

    counter = Counter()
    counter.feed(html)
    return counter.leaves


# --------------------------------------------------------------------------- offline
def test_template_loads_nothing_remote():
    files = [p for p in TEMPLATES.rglob("*") if p.is_file()]
    assert any(p.name == "index.html.j2" for p in files)
    for path in files:
        assert not REMOTE.search(path.read_text(encoding="utf-8")), path.name


def test_decks_load_nothing_remote_and_start_reveal_locally(built):
    decks, _ = built
    for deck in decks.values():
        html = deck.html.read_text(encoding="utf-8")
        assert not REMOTE.search(html), deck.name
        assert '<script src="reveal.js/dist/reveal.js"></script>' in html
        assert '<script src="reveal.js/plugin/notes/notes.js"></script>' in html
        assert "plugins: [RevealNotes]" in html
        assert 'navigationMode: "linear"' in html  # the arrow keys reach sub-slides too
        assert "require(" not in html
        assert 'href="reveal.js/dist/theme/white.css"' in html


def test_reveal_js_is_copied_beside_the_decks_without_extras(built):
    decks, _ = built
    folder = next(iter(decks.values())).html.parent / "reveal.js"
    for needed in (
        "dist/reveal.js",
        "dist/reveal.css",
        "dist/theme/white.css",
        "plugin/notes/notes.js",
        "LICENSE",
    ):
        assert (folder / needed).is_file(), needed
    assert not list(folder.rglob("*.map"))
    assert [p.name for p in (folder / "dist" / "theme").glob("*.css")] == ["white.css"]


# --------------------------------------------------------------------------- content
def test_no_code_but_outputs_snapshots_and_charts(built):
    decks, _ = built
    html = decks["10-first"].html.read_text(encoding="utf-8")
    assert "IntSlider(" not in html and "secret_code_marker" not in html
    assert "VBox(" not in html and "children=" not in html
    assert "wk-snapshot" in html and "Hours <b>7</b>" in html and "label text" in html
    assert 'alt="Two bars &amp; a &lt;tag&gt;."' in html
    assert "shown output" in html and "a warning nobody needs" not in html
    assert html.count('class="wk-exercise"') == 2 == decks["10-first"].exercises


def test_notes_become_speaker_notes(built):
    decks, _ = built
    html = decks["10-first"].html.read_text(encoding="utf-8")
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', html, re.DOTALL)
    assert any("Spoken words for the facilitator." in n for n in notes)
    assert any("Ask one pair first." in n and "Then the room." in n for n in notes)


def test_slide_counts_match_the_html(built):
    decks, _ = built
    for deck in decks.values():
        assert leaf_sections(deck.html.read_text(encoding="utf-8")) == deck.slides
    # 10-first: title, widget sub-slide, chart slide, room slide; 11-second: two slides.
    assert decks["10-first"].slides == 4
    assert decks["11-second"].slides == 3  # two of its own, one room slide at the end


def test_room_slides_are_escaped_placed_and_timed(built):
    decks, _ = built
    html = decks["10-first"].html.read_text(encoding="utf-8")
    assert "Pairs &lt;b&gt;now&lt;/b&gt; &amp; then" in html
    assert html.index("A widget") < html.index("Pairs &lt;b&gt;") < html.index("A chart")
    assert ">3 min<" in html and ">4.5 min<" in html and "7.5 min in all" in html
    assert "What surprised you?" in html


def test_combined_deck_holds_every_notebook_in_order(built):
    decks, _ = built
    whole = decks[COMBINED]
    assert whole.notebooks == ("10-first.ipynb", "11-second.ipynb")
    assert whole.slides == decks["10-first"].slides + decks["11-second"].slides
    html = whole.html.read_text(encoding="utf-8")
    assert (
        html.index("First deck") < html.index("Second deck starts") < html.index("Its next slide")
    )
    assert len(set(re.findall(r'id="cell-id=([^"]+)"', html))) == len(
        re.findall(r'id="cell-id=([^"]+)"', html)
    )  # no duplicate ids
    assert "<title>First deck slides</title>" in html


def test_progress_counts_every_step(built):
    _, steps = built
    # 2 notebooks run, reveal.js copied, 3 decks written.
    assert [(done, total) for done, total, _ in steps] == [(n, 6) for n in range(1, 7)]
    assert any(what == "ran 10-first.ipynb" for _, _, what in steps)
    assert steps[-1][2].startswith("wrote workshop.slides.html")


def test_a_room_slide_that_lost_its_place_is_a_warning_of_its_deck(built):
    decks, _ = built
    assert decks["11-second"].warnings == (
        "11-second: no slide has the heading 'No such heading'; the room slide "
        "'Heading that moved' goes at the end of its deck.",
    )
    assert decks["10-first"].warnings == () == decks[COMBINED].warnings


def test_progress_bar_alone():
    out = io.StringIO()
    bar = cli._progress_bar("slides", out, width=8)
    for done, what in ((1, "a"), (2, "b")):
        bar(done, 4, what)
    first, second = out.getvalue().splitlines()
    assert first.startswith("slides [##------] 1/4") and first.endswith("a")
    assert second.startswith("slides [####----] 2/4")


def test_cli_draws_the_bar_and_prints_the_warnings(tmp_path, monkeypatch, capsys):
    html = tmp_path / "10-x.slides.html"

    def fake_build(out, **options):
        options["progress"](1, 2, "ran 10-x.ipynb")
        options["progress"](2, 2, "wrote 10-x.slides.html")
        return [Deck("10-x", html, 3, 0, ("10-x.ipynb",), warnings=("10-x: moved",))]

    monkeypatch.setattr(decks, "build_decks", fake_build)
    assert main(["slides", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "slides [" + "#" * 12 + "-" * 12 + "] 1/2" in err and "] 2/2" in err
    assert "warning: 10-x: moved" in err
    assert f"Wrote {html} (3 slides)" in out


# --------------------------------------------------------------------------- counting
@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["slide", "-", "fragment", "subslide", "slide"], 3),
        (["notes", "skip", "-", "subslide"], 2),  # the first visible cell always starts one
        (["fragment"], 1),
        (["notes"], 0),
    ],
)
def test_count_slides(kinds, expected):
    assert count_slides([md("x", k) for k in kinds]) == expected


# --------------------------------------------------------------------------- failures
def test_a_failing_notebook_names_itself(tmp_path):
    bad = write(
        tmp_path / "20-broken.ipynb",
        [md("# Broken", "slide"), code("raise ValueError('on purpose')")],
    )
    with pytest.raises(DeckError) as err:
        build_decks(tmp_path / "out", notebooks=[bad])
    message = str(err.value)
    assert message.startswith("20-broken.ipynb failed in cell 2 while building its deck")
    assert "ValueError: on purpose" in message and "raise ValueError('on purpose')" in message
    assert "\x1b[" not in message


def test_missing_reveal_js_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_REVEAL", str(tmp_path))
    with pytest.raises(DeckError, match="sphinx-revealjs"):
        decks.reveal_source()


def test_room_file_errors_name_the_deck_and_field(tmp_path):
    room = tmp_path / "room.yaml"
    room.write_text(
        "decks:\n  01-x:\n    - title: ''\n    - title: ok\n      steps:\n"
        "        - {minutes: -1, who: a, do: b}\n      colour: red\n"
    )
    with pytest.raises(DeckError) as err:
        load_room(room)
    lines = str(err.value).splitlines()
    assert lines == [
        f"{room}, deck '01-x', slide 1: field 'title' needs some text.",
        f"{room}, deck '01-x', slide 2 ('ok'), step 1: field 'minutes' should be a number "
        "above 0; got -1.",
        f"{room}, deck '01-x', slide 2 ('ok'): field 'colour' is not one the kit knows; "
        "expected title, after, steps, prompt, notes.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("decks: [a]", "expected a mapping 'decks:'"),
        ("decks:\n  01-x: nope\n", "deck '01-x': expected a list of slides."),
        ("decks:\n  01-x: [just text]\n", "deck '01-x', slide 1: expected a slide with"),
        (
            "decks:\n  01-x:\n    - {title: t, steps: [{minutes: yes, who: a, do: b, at: 1}]}\n",
            "step 1: field 'minutes' should be a number above 0; got True.",
        ),
        (
            "decks:\n  01-x:\n    - {title: t, steps: [{minutes: 1, who: a, do: b, at: 1}]}\n",
            "step 1: field 'at' is not one the kit knows; expected minutes, who, do.",
        ),
        ("decks:\n  01-x:\n    - {title: t, notes: [a]}\n", "field 'notes': Input should be"),
        ("decks: [", "cannot be read as YAML"),
    ],
)
def test_room_file_mistakes_are_named(tmp_path, text, expected):
    room = tmp_path / "room.yaml"
    room.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError, match=re.escape(expected)):
        load_room(room)


def test_the_kits_room_slides_load():
    room = load_room()
    assert room and all(s.steps and s.notes for s in room)
    assert all(s.title == s.title.strip() and s.minutes > 0 for s in room)


def test_pdf_without_chromium_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert pdf.find_chromium() is None
    with pytest.raises(PdfError, match="apt-get install chromium"):
        pdf.print_pdf(tmp_path / "x.html", tmp_path / "x.pdf")


def test_cli_reports_a_missing_notebook(tmp_path, capsys):
    assert main(["slides", "--out", str(tmp_path), str(tmp_path / "nope.ipynb")]) == 1
    assert "nope.ipynb: no such notebook" in capsys.readouterr().err


def test_cli_pdf_without_chromium_fails_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_KIT_CHROMIUM", str(tmp_path / "no-such-browser"))
    nb = write(tmp_path / "30-x.ipynb", [md("# x", "slide")])
    assert main(["slides", "--pdf", "--out", str(tmp_path / "out"), str(nb)]) == 1
    assert "Chromium was not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- snapshots
def test_snapshot_shows_more_kinds_of_widget():
    import ipywidgets as w

    from kit.widgets._snapshot import snapshot_html

    out = w.Output()
    out.outputs = (
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/plain": "<b>plain & simple</b>"},
        },
        {"output_type": "stream", "name": "stderr", "text": "noise"},
    )
    hidden = w.Label("not shown", layout=w.Layout(display="none"))
    box = w.VBox(
        [
            w.IntRangeSlider(value=(2, 5), description="Range"),
            w.SelectMultiple(options=["a", "b", "c"], value=["a", "c"], description="Pick"),
            w.Dropdown(options=["x", "y"], value=None, description="None yet"),
            w.Checkbox(True, description="Done"),
            out,
            hidden,
        ]
    )
    html = snapshot_html(box)
    assert "Range <b>2 – 5</b>" in html and "Pick <b>a, c</b>" in html
    assert "None yet <b>–</b>" in html and "Done: yes" in html
    assert "&lt;b&gt;plain &amp; simple&lt;/b&gt;" in html and "noise" not in html
    assert "not shown" not in html and "<script" not in html


# --------------------------------------------------------------------------- laptop-only
def _kinds(cells) -> list[tuple[str, str]]:
    return [
        (c.source.split("\n")[0], c.metadata.get("slideshow", {}).get("slide_type")) for c in cells
    ]


def test_laptop_only_cells_stay_out_and_the_next_cell_starts_their_slide():
    tagged = md("## Laptop only", "slide")
    tagged.metadata["tags"] = [decks.DECK_SKIP_TAG]
    nb = nbformat.v4.new_notebook(
        cells=[
            md("# Title", "slide"),
            md("## Check\n\nRun the cell below (Shift+Enter).", "slide"),
            code("from kit import check_setup\n\ncheck_setup()"),
            md("Follows the check", "-"),
            tagged,
            md("## Kept sub-slide", "subslide"),
            md("Run this cell below to draw it.", "skip"),
            md("Press Shift+Enter in a notebook: teaching it is fine.", "-"),
        ]
    )
    before = count_slides(nb.cells)
    out, _ = decks.LeaveOutOfDecks().preprocess(nb, {})
    assert _kinds(out.cells) == [
        ("# Title", "slide"),
        ("Follows the check", "slide"),  # took over the start of the left-out slide
        ("## Kept sub-slide", "slide"),  # the tagged slide's start, not a sub-slide of it
        ("Press Shift+Enter in a notebook: teaching it is fine.", "-"),
    ]
    assert count_slides(out.cells) == before - 1 == 3


@pytest.mark.parametrize(
    ("cell", "left_out"),
    [
        (md("Run the cell below: click it."), True),
        (md("RUN THE CELLS BELOW"), True),
        (md("Runners run the cell block"), False),
        (code("check_setup()"), True),
        (code("report = kit.check_setup( )"), True),
        (code("print('check_setup')"), False),
        (code("MotivationSort()"), False),
    ],
)
def test_what_counts_as_laptop_only(cell, left_out):
    assert decks.laptop_only(cell) is left_out


def test_the_built_deck_leaves_out_the_setup_check(tmp_path):
    nb = write(
        tmp_path / "40-setup.ipynb",
        [
            md("# Welcome", "slide"),
            md("## Ready?\n\nRun the cell below.", "slide"),
            code("from kit import check_setup\n\ncheck_setup()"),
            md("## Next", "slide"),
        ],
    )
    room = tmp_path / "room.yaml"
    room.write_text("decks: {}\n", encoding="utf-8")
    (deck,) = build_decks(tmp_path / "out", notebooks=[nb], room=room)
    html = deck.html.read_text(encoding="utf-8")
    assert "Run the cell below" not in html and "Everything is ready" not in html
    assert "Charts (matplotlib)" not in html and deck.slides == 2


# --------------------------------------------------------------------------- fitting
def test_every_deck_fits_its_slides_before_it_says_ready(built):
    decks_, _ = built
    html = decks_["10-first"].html.read_text(encoding="utf-8")
    assert "window.wkFitSlides = function" in html  # the fit script is inline, not fetched
    assert ".then(wkFitSlides).then(wkReady)" in html  # live: after reveal.js has laid out
    assert 'addEventListener("load", function () { wkFitSlides().then(wkReady); })' in html
    # Printing: every slide exactly one page of the deck's size.
    assert "width: 1280px; height: 720px;" in html
    assert "@page { size: 1280px 720px; margin: 0; }" in html
