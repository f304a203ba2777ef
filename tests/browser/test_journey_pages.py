"""The participant's pages as one journey: where am I, Back and Next, one kernel at a time.

Served as ``workshop-kit serve`` serves them (Voila with the kit's settings and template).
The root never lists files: it sends the participant to the first step. Every page says
which step it is and links to the others; Next lands on the next step; a join link's
``?room=CODE`` stays on every step link; and after moving on, the earlier page's kernel is
gone, so a participant holds one live kernel even when a phone never says it left a page.
"""

from __future__ import annotations

import time

import psutil
import pytest
from playwright.sync_api import expect
from servers import require_chromium, voila_server

require_chromium()
pytestmark = pytest.mark.slow

RENDER_TIMEOUT = 90_000


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    with voila_server(tmp_path_factory.mktemp("journey")) as server:
        yield server


def _kernels(server) -> list[psutil.Process]:
    """The server's kernels: every child started with a kernel connection file."""
    children = psutil.Process(server.process.pid).children(recursive=True)
    return [p for p in children if any("kernel-" in a and a.endswith(".json") for a in p.cmdline())]


def _steps():
    from kit.pages.journey import page_steps

    return page_steps()


def test_the_root_sends_the_participant_to_the_first_step(blocked_page, voila):
    page = blocked_page.page
    page.goto(f"{voila.url}/?room=ABC234")
    first = _steps()[0]
    page.wait_for_url(f"**/voila/render/{first.notebook}.ipynb?room=ABC234", timeout=30_000)
    expect(page.locator(".wk-step-where")).to_contain_text(first.title, timeout=RENDER_TIMEOUT)
    assert "Select items to open" not in page.content()
    assert blocked_page.blocked == []


def test_every_page_says_where_you_are_and_next_leads_on(blocked_page, voila):
    steps = _steps()
    page = blocked_page.page
    page.goto(voila.page(steps[0].notebook) + "?room=ABC234")
    for i, step in enumerate(steps):
        where = page.locator(".wk-step-where")
        expect(where).to_have_text(
            f"Step {i + 1} of {len(steps)}: {step.title}", timeout=RENDER_TIMEOUT
        )
        current = page.locator('.wk-steps [aria-current="step"]')
        expect(current).to_have_text(step.title)
        assert page.locator(".wk-steps .wk-done").count() == i
        if i > 0:
            back = page.locator("a.wk-back")
            expect(back).to_contain_text(steps[i - 1].title)
            assert back.get_attribute("href") == f"./{steps[i - 1].notebook}.ipynb?room=ABC234"
        else:
            assert page.locator("a.wk-back").count() == 0
        if i + 1 < len(steps):
            nxt = page.locator("a.wk-next")
            expect(nxt).to_contain_text(steps[i + 1].title)
            nxt.click()
            page.wait_for_url(f"**/{steps[i + 1].notebook}.ipynb?room=ABC234")
        else:
            assert page.locator("a.wk-next").count() == 0
            expect(page.locator(".wk-end")).to_be_visible()
    assert blocked_page.blocked == [] and blocked_page.errors == []


def test_moving_on_leaves_one_live_kernel(blocked_page, voila):
    steps = _steps()
    page = blocked_page.page
    for step in steps[:3]:
        page.goto(voila.page(step.notebook))
        expect(page.locator(".wk-step-where")).to_be_visible(timeout=RENDER_TIMEOUT)
    deadline = time.monotonic() + 20
    while len(_kernels(voila)) > 1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(_kernels(voila)) == 1
    # the page kernel: the stock kernel minus its debugger import (kit.pages.kernel)
    assert "kit.pages.kernel" in _kernels(voila)[0].cmdline()


def test_no_facilitator_words_on_any_page(blocked_page, voila):
    page = blocked_page.page
    for step in _steps():
        page.goto(voila.page(step.notebook))
        expect(page.locator(".wk-step-where")).to_be_visible(timeout=RENDER_TIMEOUT)
        text = page.locator("#rendered_cells").inner_text()
        assert "Facilitator" not in text, step.notebook
        for words in ("facilitator's key", "notebook 0", "run this cell", "shift+enter", ".ipynb"):
            assert words not in text.lower(), (step.notebook, words)
