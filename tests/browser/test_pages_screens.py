"""Every participant page on three screens: a phone and a tablet by touch, a laptop by mouse
and keyboard.

On each screen every page must fit its width (no sideways scrolling, no button, label,
chosen option or hint cut short), show no ``NaN``, and pass axe-core with the WCAG 2.0/2.1
A and AA and 2.2 AA rules (0 violations; axe finds about half of all problems, so this is
"tested with axe", not a promise of compliance). The deeper steps of each exercise (after a
card is sorted, the key opened, a slider moved, a chart drawn, the report saved) are checked
the same way. Focus is visible all round (an outline of 2 px or more), page 01 scrolls by
keyboard, the week's sliders work by touch on a phone, and a join link fills in the room
code.

Full-page screenshots of every page and size go to ``$WORKSHOP_KIT_SCREENSHOTS`` (default
``screenshots/``): look at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe import axe_violations, describe_violations
from playwright.sync_api import expect
from servers import read_answers, require_chromium, screenshot_dir, voila_server, wait_for_answers

require_chromium()
pytestmark = pytest.mark.slow

RENDER_TIMEOUT = 90_000
UPDATE_TIMEOUT = 15_000
#: name -> (width, height, touch)
SCREENS = {"phone": (390, 844, True), "tablet": (768, 1024, True), "laptop": (1366, 768, False)}
#: The main widget of each page, once it is drawn the page is usable.
WIDGETS = {
    "00-welcome": ".wk-join-room",
    "01-the-dilemma": ".wk-first_position",
    "02-why-leaders-still-build": ".wk-motivation-sort",
    "03-where-the-week-goes": ".wk-time-allocation",
    "04-which-shape-fits": ".wk-archetype-matcher",
    "05-your-path": ".wk-your-path",
}


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    with voila_server(tmp_path_factory.mktemp("screens")) as server:
        yield server


@pytest.fixture(params=list(SCREENS))
def screen(request, browser) -> Iterator[tuple[str, Any, list[str]]]:
    """``(name, page, blocked)``: a page of one screen size that cannot reach the network."""
    width, height, touch = SCREENS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=touch, is_mobile=width < 500
    )
    blocked: list[str] = []

    def guard(route: Any) -> None:
        if (urlsplit(route.request.url).hostname or "127.0.0.1") in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    try:
        yield request.param, context.new_page(), blocked
    finally:
        context.close()


def _steps():
    from kit.pages.journey import page_steps

    return [s.notebook for s in page_steps()]


def _open(page: Any, voila: Any, notebook: str, query: str = "") -> None:
    page.goto(voila.page(notebook) + query, wait_until="commit", timeout=RENDER_TIMEOUT)
    expect(page.locator(".wk-backnext")).to_be_attached(timeout=RENDER_TIMEOUT)
    # Voila shows the cells only once every output is drawn; keys pressed before that
    # scroll nothing (seen on a busy machine on page 01, which has no widget to wait for)
    expect(page.locator("#rendered_cells")).to_be_visible(timeout=RENDER_TIMEOUT)
    if WIDGETS[notebook]:
        expect(page.locator(WIDGETS[notebook]).first).to_be_visible(timeout=RENDER_TIMEOUT)
    page.wait_for_timeout(500)  # the last widgets settle


_CUT_OFF = """() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  const page = document.documentElement.scrollWidth;
  if (page > W) out.push('page ' + page + ' > ' + W);
  for (const el of document.querySelectorAll('#rendered_cells *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > W + 1) out.push('past the edge: ' + el.className + ' ' + Math.round(r.right));
  }
  const words = '.jupyter-button, .widget-label, .lm-TabBar-tabLabel';
  for (const el of document.querySelectorAll(words)) {
    if (!el.getBoundingClientRect().width) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push('cut short: ' + el.textContent.trim());
  }
  // A choice list's chosen option and an empty box's hint: measured in their own font
  // against the room inside the box (a choice list draws its arrow in its right padding).
  const pen = document.createElement('canvas').getContext('2d');
  function fits(el, text) {
    const cs = getComputedStyle(el);
    pen.font = cs.font;
    const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    return pen.measureText(text).width <= room + 1;
  }
  for (const el of document.querySelectorAll('#rendered_cells select')) {
    if (!el.getBoundingClientRect().width || !el.selectedOptions.length) continue;
    const text = el.selectedOptions[0].text;
    if (!fits(el, text)) out.push('choice cut short: ' + text);
  }
  for (const el of document.querySelectorAll('#rendered_cells input[placeholder]')) {
    if (!el.getBoundingClientRect().width || el.value || !el.placeholder) continue;
    if (!fits(el, el.placeholder)) out.push('hint cut short: ' + el.placeholder);
  }
  return out.slice(0, 10);
}"""


def _check(page: Any, where: str) -> None:
    """Fits the width, nothing cut short, no NaN, and axe finds nothing."""
    assert page.evaluate(_CUT_OFF) == [], where
    assert "NaN" not in page.locator("#rendered_cells").inner_text(), where
    found = axe_violations(page)
    assert not found, f"{where}:\n{describe_violations(found)}"


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(screenshot_dir() / name), full_page=True, animations="disabled")


def test_every_page_fits_every_screen_and_passes_axe(screen, voila):
    size, page, blocked = screen
    for notebook in _steps():
        _open(page, voila, notebook)
        _check(page, f"{notebook} at {size}")
        _shot(page, f"page-{notebook}-{size}.png")
    assert blocked == []


def test_each_step_of_the_exercises_passes_axe(screen, voila):
    size, page, blocked = screen
    tap = size != "laptop"

    def press(locator: Any) -> None:
        locator.tap() if tap else locator.click()

    _open(page, voila, "01-the-dilemma")
    first = page.locator(".wk-first_position")
    press(first.locator(".wk-lean .jupyter-button", has_text="A hybrid role"))
    first.locator(".wk-why input").fill("I want both, for now")
    wait_for_answers(voila.home, "first_position", lambda v: v.get("lean") == "hybrid")
    _check(page, f"01 after taking a first position at {size}")

    _open(page, voila, "02-why-leaders-still-build")
    sort = page.locator(".wk-motivation-sort")
    before = sort.locator(".wk-progress").inner_text()
    press(sort.locator(".wk-frequency button", has_text="Often"))
    press(sort.locator(".wk-bucket-watch"))
    expect(sort.locator(".wk-progress")).not_to_have_text(before, timeout=UPDATE_TIMEOUT)
    anyway = sort.locator(".jupyter-button", has_text="Show me anyway")
    if anyway.is_visible():  # the key stays open once shown (an earlier screen opened it)
        press(anyway)
    expect(sort.locator(".wk-key")).to_contain_text("The key", timeout=UPDATE_TIMEOUT)
    press(sort.locator(".wk-chart-button"))
    expect(sort.locator("img.wk-chart")).to_be_visible(timeout=UPDATE_TIMEOUT)
    _check(page, f"02 after sorting, the key and the chart at {size}")

    _open(page, voila, "03-where-the-week-goes")
    week = page.locator(".wk-time-allocation")
    press(week.locator(".lm-TabBar-tab", has_text="The week I want"))
    lock = week.locator(".wk-lock-ideal-hiring")
    said = lock.inner_text()
    press(lock)  # locks are saved: each screen turns the lock the other way
    expect(lock).not_to_have_text(said, timeout=UPDATE_TIMEOUT)
    press(week.locator(".wk-chart-button"))
    expect(week.locator("img.wk-week-chart")).to_be_visible(timeout=UPDATE_TIMEOUT)
    _check(page, f"03 after a lock and the charts at {size}")

    _open(page, voila, "04-which-shape-fits")
    shape = page.locator(".wk-archetype-matcher")
    for row in range(3):
        four = shape.locator(".wk-statement").nth(row).locator(".jupyter-button")
        press(four.filter(has_text=re.compile(r"^4$")))
    expect(shape.locator(".wk-progress")).not_to_contain_text("0 of", timeout=UPDATE_TIMEOUT)
    _check(page, f"04 after three answers at {size}")

    _open(page, voila, "05-your-path")
    final = page.locator(".wk-final_position")
    expect(final.locator(".wk-earlier")).to_contain_text("A hybrid role", timeout=UPDATE_TIMEOUT)
    press(final.locator(".wk-lean .jupyter-button", has_text="Not sure yet"))
    wait_for_answers(voila.home, "final_position", lambda v: v.get("lean") == "unsure")
    press(page.locator(".wk-save-report"))
    expect(page.locator("a.wk-download")).to_be_visible(timeout=60_000)
    _check(page, f"05 after saving the report at {size}")
    _shot(page, f"page-05-your-path-saved-{size}.png")
    assert blocked == []


def test_a_phone_sets_the_week_by_touch(browser, voila):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        _open(page, voila, "03-where-the-week-goes")
        slider = page.locator(".wk-slider-current-hands_on_coding")
        track = slider.locator(".noUi-target")
        box = track.bounding_box()
        assert box is not None and box["width"] >= 150  # a track a thumb can use
        handle = slider.locator(".noUi-handle")
        hbox = handle.bounding_box()
        assert hbox is not None and min(hbox["width"], hbox["height"]) >= 24  # WCAG 2.5.8
        track.tap(position={"x": box["width"] * 0.5, "y": box["height"] / 2})
        saved = wait_for_answers(
            voila.home, "allocation", lambda v: v["current"]["hands_on_coding"] >= 15
        )
        assert sum(saved["current"].values()) + saved["unplaced"]["current"] == saved["total"]
        assert saved["set"]["current"] == ["hands_on_coding"]
        readout = slider.locator(".widget-readout")
        expect(readout).to_have_text(re.compile(r"^\d+(\.\d)?$"), timeout=UPDATE_TIMEOUT)
        page.reload()
        expect(page.locator(".wk-slider-current-hands_on_coding .widget-readout")).to_have_text(
            f"{saved['current']['hands_on_coding']:.1f}", timeout=RENDER_TIMEOUT
        )
    finally:
        context.close()


def test_focus_is_visible_all_round(browser, voila):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        _open(page, voila, "04-which-shape-fits")
        page.locator(".wk-statement .jupyter-button").first.focus()
        page.keyboard.press("Tab")
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineOffset]; }"
        )
        assert ring[0] != "none" and ring[1] >= 2, ring
        # the ring is not clipped by a parent that hides what overflows
        clipped = page.evaluate(
            """() => { let e = document.activeElement.parentElement; const out = [];
              const r = document.activeElement.getBoundingClientRect();
              while (e && e !== document.body) { const s = getComputedStyle(e);
                if (s.overflow !== 'visible') { const p = e.getBoundingClientRect();
                  if (r.left - 4 < p.left || r.right + 4 > p.right
                      || r.top - 4 < p.top || r.bottom + 4 > p.bottom) out.push(e.className); }
                e = e.parentElement; } return out; }"""
        )
        assert clipped == [], clipped
    finally:
        context.close()


def test_the_first_position_is_taken_by_keyboard_alone(browser, voila):
    """Tab reaches the lean buttons and the line; Enter chooses; typing saves the line."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        _open(page, voila, "01-the-dilemma")
        buttons = page.locator(".wk-first_position .wk-lean .jupyter-button")
        buttons.first.focus()
        page.keyboard.press("Tab")  # to the second choice
        page.keyboard.press("Enter")
        wait_for_answers(voila.home, "first_position", lambda v: v.get("lean") == "hybrid")
        for _ in range(10):  # on through the choices to the line that says why
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.tagName") == "INPUT":
                break
        page.keyboard.type("Both, for a while")
        wait_for_answers(
            voila.home, "first_position", lambda v: v.get("why") == "Both, for a while"
        )
    finally:
        context.close()


def test_page_01_scrolls_by_keyboard(browser, voila):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        _open(page, voila, "01-the-dilemma")
        assert page.evaluate("() => window.scrollY") == 0
        page.keyboard.press("PageDown")
        page.keyboard.press("Space")
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.scrollY") > 500
        page.keyboard.press("End")
        page.wait_for_timeout(500)
        expect(page.locator("a.wk-next")).to_be_in_viewport()
    finally:
        context.close()


def test_a_join_link_fills_in_the_room_code(browser, voila):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = context.new_page()
        _open(page, voila, "00-welcome", "?room=ABC234")
        expect(page.locator(".wk-room-code input")).to_have_value("ABC234")
        assert read_answers(voila.home, "room") is None  # nothing joined before a press
    finally:
        context.close()
