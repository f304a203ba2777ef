"""The participant view (``workshop-kit serve``) in a real browser, driven by the keyboard.

For each exercise page: the widget renders, a control is reached with Tab and changed with
a key, the view shows the new state, the answers file on disk holds it, and a reload of the
page restores it. The last page offers the personal report as a download. No page asks
anything of the network: every request that would leave the machine is blocked and
counted, and the count must be zero (``blocked_page``, from this folder's conftest).
Without Chromium the module skips in one line; with ``CI=true`` it fails instead.

Screenshots of each exercise go to ``$WORKSHOP_KIT_SCREENSHOTS`` (default ``screenshots/``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from servers import (
    read_answers,
    require_chromium,
    screenshot,
    screenshot_dir,
    tab_to,
    voila_server,
    wait_for_answers,
)

require_chromium()

RENDER_TIMEOUT = 90_000  # ms; the first page of a run starts a kernel and imports the kit
UPDATE_TIMEOUT = 15_000


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """The participant pages, served as ``workshop-kit serve`` does, with an empty folder."""
    with voila_server(tmp_path_factory.mktemp("voila")) as server:
        yield server


def offline(visit) -> None:
    """Assert that the page asked nothing of the network and threw no JavaScript error."""
    assert visit.blocked == [], f"requests that would have left the machine: {visit.blocked}"
    assert visit.errors == [], f"JavaScript errors: {visit.errors}"


def open_exercise(page, server, name: str, selector: str):
    """Open one page and return its exercise widget once it is on screen."""
    page.goto(server.page(name))
    widget = page.locator(selector)
    expect(widget).to_be_visible(timeout=RENDER_TIMEOUT)
    return widget


def test_card_sort_by_keyboard(blocked_page, voila, content) -> None:
    from kit import motivations
    from kit.widgets.motivation import DEFAULT_SEED

    card = motivations.deck(content, motivations.empty(), DEFAULT_SEED)[0]
    text = content.by_id["cards"][card].text
    total = len(content.cards)
    page = blocked_page.page
    sort = open_exercise(page, voila, "02-why-leaders-still-build", ".wk-motivation-sort")
    expect(sort.locator(".wk-progress")).to_have_text(f"0 of {total} sorted")
    expect(sort.locator(".wk-card")).to_contain_text(text)

    tab_to(page, ".wk-frequency button", text="Sometimes")
    page.keyboard.press("Space")
    expect(page.locator(".wk-frequency button.mod-active")).to_have_text("Sometimes")
    tab_to(page, ".wk-bucket-watch")
    page.keyboard.press("Enter")

    expect(sort.locator(".wk-progress")).to_have_text(
        f"1 of {total} sorted", timeout=UPDATE_TIMEOUT
    )
    expect(sort.locator(".wk-column-watch")).to_contain_text(f"{text} (sometimes)")
    expect(sort.locator(".wk-card")).not_to_contain_text(text)  # the next card is up
    saved = wait_for_answers(voila.home, "motivations", lambda v: card in v["cards"])
    assert saved["cards"] == {card: {"bucket": "watch", "frequency": "sometimes"}}

    page.reload()
    sort = page.locator(".wk-motivation-sort")
    expect(sort.locator(".wk-progress")).to_have_text(
        f"1 of {total} sorted", timeout=RENDER_TIMEOUT
    )
    expect(sort.locator(".wk-column-watch")).to_contain_text(f"{text} (sometimes)")
    screenshot(page, sort, "02-card-sort.png")
    offline(blocked_page)


def test_week_slider_by_keyboard(blocked_page, voila, content) -> None:
    first = content.activities[0].id
    page = blocked_page.page
    week = open_exercise(page, voila, "03-where-the-week-goes", ".wk-time-allocation")
    readout = week.locator(f".wk-slider-current-{first} .widget-readout")
    expect(readout).to_have_text(re.compile(r"\d+\.\d"))
    before = float(readout.inner_text())
    feedback = week.locator(".wk-feedback")
    expect(feedback).to_contain_text("%")
    shown = feedback.text_content()

    tab_to(page, f".wk-slider-current-{first} .noUi-handle")
    page.keyboard.press("ArrowRight")  # half an hour more; the other rows give way

    after = before + 0.5
    expect(readout).to_have_text(f"{after:.1f}", timeout=UPDATE_TIMEOUT)
    expect(week.locator(".wk-total")).to_contain_text("The week I had: 40 h")
    expect(feedback).not_to_have_text(shown, timeout=UPDATE_TIMEOUT)
    saved = wait_for_answers(voila.home, "allocation", lambda v: v["current"].get(first) == after)
    assert sum(saved["current"].values()) == pytest.approx(40)
    assert saved["total"] == 40
    for aid, hours in saved["current"].items():  # the rows that gave way, on screen
        expect(week.locator(f".wk-slider-current-{aid} .widget-readout")).to_have_text(
            f"{hours:.1f}"
        )
    changed = feedback.text_content()

    page.reload()
    week = page.locator(".wk-time-allocation")
    expect(week.locator(f".wk-slider-current-{first} .widget-readout")).to_have_text(
        f"{after:.1f}", timeout=RENDER_TIMEOUT
    )
    expect(week.locator(".wk-feedback")).to_have_text(changed)
    screenshot(page, week, "03-week.png")
    offline(blocked_page)


def test_shapes_by_keyboard(blocked_page, voila, content) -> None:
    first = content.statements[0].id
    page = blocked_page.page
    shape = open_exercise(page, voila, "04-which-shape-fits", ".wk-archetype-matcher")
    progress = shape.locator(".wk-progress")
    expect(progress).to_have_text(re.compile(r"^0 of \d+ questions answered$"))
    result = shape.locator(".wk-result")
    shown = result.text_content()

    tab_to(page, f".wk-statement-{first} button", text="4")
    page.keyboard.press("Space")

    chosen = shape.locator(f".wk-statement-{first} button.mod-active")
    expect(chosen).to_have_text("4", timeout=UPDATE_TIMEOUT)
    expect(progress).to_have_text(re.compile(r"^1 of \d+ questions answered$"))
    expect(result).not_to_have_text(shown, timeout=UPDATE_TIMEOUT)
    assert wait_for_answers(voila.home, "archetypes", lambda v: first in v) == {first: 4}

    page.reload()
    shape = page.locator(".wk-archetype-matcher")
    expect(shape.locator(".wk-progress")).to_have_text(
        re.compile(r"^1 of \d+ questions answered$"), timeout=RENDER_TIMEOUT
    )
    expect(shape.locator(f".wk-statement-{first} button.mod-active")).to_have_text("4")
    screenshot(page, shape, "04-shapes.png")
    offline(blocked_page)


@pytest.fixture
def voila_with_answers(tmp_path):
    """Pages whose participant folder already holds the demo participant's three exercises."""
    from kit.answers import AnswerStore, DemoStore

    home = tmp_path / "participant"
    store = AnswerStore(home)
    for exercise in ("motivations", "allocation", "archetypes"):
        store.save(exercise, DemoStore().load(exercise).value)
    with voila_server(tmp_path, home=home) as server:
        yield server


def first_sentences(home: Path, content) -> list[str]:
    """The opening sentence the last page shows for each exercise saved in ``home``."""
    from kit.answers import AnswerStore
    from kit.synthesis import gather, summarize

    sections = summarize(gather(AnswerStore(home), content), content)
    return [x.text.split(". ")[0] for x in sections if x.key != "commitments" and x.done]


def test_your_path_commitments_and_report_download(
    blocked_page, voila_with_answers, content
) -> None:
    server = voila_with_answers
    promise = "Pair with Ana on the release tooling every Friday"
    answers = first_sentences(server.home, content)
    assert len(answers) == 3  # the card sort, the week and the shapes
    page = blocked_page.page
    your_path = open_exercise(page, server, "05-your-path", ".wk-your-path")
    for sentence in answers:
        expect(your_path).to_contain_text(sentence)
    keep = page.locator(".wk-commit-keep textarea")
    expect(keep).to_be_visible(timeout=RENDER_TIMEOUT)

    tab_to(page, ".wk-commit-keep textarea")
    page.keyboard.type(promise)
    wait_for_answers(server.home, "commitments", lambda v: v.get("keep") == promise)

    page.reload()
    expect(page.locator(".wk-commit-keep textarea")).to_have_value(promise, timeout=RENDER_TIMEOUT)
    your_path = page.locator(".wk-your-path")
    tab_to(page, ".wk-your-path button", text="Save my report")
    page.keyboard.press("Enter")
    link = your_path.locator(".wk-path-message a[download]")
    expect(link).to_be_visible(timeout=UPDATE_TIMEOUT)
    assert link.get_attribute("href").startswith("data:text/html;base64,")
    tab_to(page, ".wk-path-message a[download]")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "my-leadership-path.html"
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert report.lstrip().lower().startswith("<!doctype html")
    assert (server.home / "my-leadership-path.html").read_text(encoding="utf-8") == report

    shown = page.context.new_page()  # the downloaded report, as the participant opens it
    shown.set_content(report)
    for sentence in [*answers, promise]:
        expect(shown.locator("body")).to_contain_text(sentence)
    shown.screenshot(path=str(screenshot_dir() / "05-report.png"), full_page=True)
    shown.close()
    screenshot(page, your_path, "05-your-path.png")
    screenshot(page, page.locator(".wk-commitments"), "05-commitments.png")
    offline(blocked_page)
    assert read_answers(server.home, "commitments") == {"keep": promise}
