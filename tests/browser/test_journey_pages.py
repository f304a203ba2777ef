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
from axe import axe_violations, describe_violations
from playwright.sync_api import expect
from servers import require_chromium, voila_server, wait_for_answers

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


def _kernel_pids(server) -> set[int]:
    return {p.pid for p in _kernels(server)}


def test_next_swaps_the_step_in_place_in_the_same_kernel(blocked_page, voila):
    steps = _steps()
    page = blocked_page.page
    page.goto(voila.page(steps[1].notebook) + "?room=ABC234")
    expect(page.locator(f".wk-step-{steps[1].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    time.sleep(1)  # the earlier page's kernel is shut down in the background
    pids = _kernel_pids(voila)
    page.evaluate("() => { window.wkSamePage = true; }")
    page.keyboard.press("End")
    page.locator("a.wk-next").focus()
    page.keyboard.press("Enter")  # the keyboard's way
    expect(page.locator(f".wk-step-{steps[2].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    page.wait_for_url(f"**/{steps[2].notebook}.ipynb?room=ABC234")
    assert page.evaluate("() => window.wkSamePage") is True  # not a new page
    assert page.locator(f".wk-step-{steps[1].notebook}").count() == 0
    assert _kernel_pids(voila) == pids  # not a new kernel
    focused = page.evaluate(
        "() => document.activeElement.tagName + ' ' + document.activeElement.textContent"
    )
    assert focused.startswith(("H1 ", "H2 ")), focused  # the new step's heading has the focus
    assert page.evaluate("() => window.scrollY") == 0
    assert steps[2].title in page.title()
    violations = axe_violations(page)  # the step swapped in, as axe sees it
    assert violations == [], describe_violations(violations)

    page.reload()  # a reload, a bookmark: the same step, on a page of its own
    expect(page.locator(".wk-step-where")).to_have_text(
        f"Step 3 of {len(steps)}: {steps[2].title}", timeout=RENDER_TIMEOUT
    )
    page.evaluate("() => { window.wkSamePage = true; }")
    page.go_back()  # the browser's Back: the step before, swapped in place
    expect(page.locator(f".wk-step-{steps[1].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    assert page.url.endswith(f"/{steps[1].notebook}.ipynb?room=ABC234")
    assert page.evaluate("() => window.wkSamePage") is True
    assert blocked_page.blocked == [] and blocked_page.errors == []


def test_without_its_kernel_a_step_link_loads_the_step_as_a_page(blocked_page, voila):
    steps = _steps()
    page = blocked_page.page
    page.goto(voila.page(steps[3].notebook))
    expect(page.locator(f".wk-step-{steps[3].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    page.evaluate("() => { window.wkSamePage = true; }")
    for kernel in _kernels(voila):
        kernel.kill()  # the server lost it: stopped after a quiet spell, or crashed
    # the server restarts a lost kernel, but the new one holds none of this page's widgets
    page.wait_for_function("() => window.wkKernelLost === true", timeout=30_000)
    page.locator("a.wk-next").click()
    page.wait_for_url(f"**/{steps[4].notebook}.ipynb", timeout=5_000)  # at once, no waiting
    expect(page.locator(f".wk-step-{steps[4].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    assert page.evaluate("() => window.wkSamePage") is None  # a page of its own, a new kernel
    assert len(_kernels(voila)) == 1


def test_a_kernel_that_never_answers_gives_way_to_the_steps_page(blocked_page, voila):
    import signal

    steps = _steps()
    page = blocked_page.page
    page.goto(voila.page(steps[2].notebook))
    expect(page.locator(f".wk-step-{steps[2].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    time.sleep(1)
    (stuck,) = _kernels(voila)
    stuck.send_signal(signal.SIGSTOP)  # alive and connected, but answering nothing
    try:
        page.locator("a.wk-next").click()
        page.wait_for_url(f"**/{steps[3].notebook}.ipynb")  # moved at once, in place
        expect(page.locator(f".wk-step-{steps[3].notebook}")).to_be_visible(timeout=40_000)
    finally:
        if stuck.is_running():
            stuck.send_signal(signal.SIGCONT)
    assert stuck.pid not in _kernel_pids(voila) or not stuck.is_running()


def test_a_double_click_on_next_moves_one_step_and_leaves_one_history_entry(blocked_page, voila):
    steps = _steps()
    page = blocked_page.page
    page.goto(voila.page(steps[2].notebook))
    expect(page.locator(f".wk-step-{steps[2].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    before = page.evaluate("() => history.length")
    page.evaluate("() => { window.wkSamePage = true; }")
    page.evaluate("() => { const a = document.querySelector('a.wk-next'); a.click(); a.click(); }")
    expect(page.locator(f".wk-step-{steps[3].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    assert page.evaluate("() => history.length") == before + 1
    page.go_back()  # straight back to the step before, in place: no stray entry, no reload
    expect(page.locator(f".wk-step-{steps[2].notebook}")).to_be_visible(timeout=10_000)
    assert page.evaluate("() => window.wkSamePage") is True
    assert blocked_page.errors == []


def test_words_typed_just_before_next_are_all_saved(blocked_page, voila):
    steps = _steps()
    page = blocked_page.page
    page.goto(voila.page(steps[1].notebook))
    expect(page.locator(f".wk-step-{steps[1].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    for n in range(3):
        why = page.locator(f".wk-step-{steps[1].notebook} .wk-why input")
        why.click()
        why.fill("")
        words = f"round {n}: I miss building but like the team"
        page.keyboard.type(words)  # as fast as keys go, then Next at once
        page.evaluate("() => document.querySelector('a.wk-next').click()")
        expect(page.locator(f".wk-step-{steps[2].notebook}")).to_be_visible(timeout=30_000)
        wait_for_answers(voila.home, "first_position", lambda v, w=words: v.get("why") == w)
        page.go_back()
        expect(page.locator(f".wk-step-{steps[1].notebook}")).to_be_visible(timeout=30_000)


def test_an_address_that_is_no_step_says_so_and_asks_no_other_host(blocked_page, voila):
    page = blocked_page.page
    response = page.goto(voila.page("09-no-such-step"))
    assert response is not None and response.status == 404
    expect(page.locator("body")).to_contain_text("no workshop page at this address")
    assert blocked_page.blocked == []  # Voila's own frame asks a CDN for an icon font
    page.get_by_role("link", name="Go to the start of the workshop").click()
    expect(page.locator(".wk-step-where")).to_contain_text("Step 1 of", timeout=RENDER_TIMEOUT)


def test_a_page_whose_kernel_ended_elsewhere_says_so(blocked_page, voila):
    """Opened again in another window, the first page's kernel ends with its socket open."""
    steps = _steps()
    first = blocked_page.page
    first.goto(voila.page(steps[3].notebook))
    expect(first.locator(f".wk-step-{steps[3].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    second = first.context.new_page()
    second.goto(voila.page(steps[3].notebook))
    expect(second.locator(f".wk-step-{steps[3].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    first.bring_to_front()
    # no beat from its kernel for 20 s: the page says it is no longer connected
    expect(first.locator("#wk-connection-lost")).to_be_visible(timeout=45_000)
    expect(first.locator("#wk-connection-lost")).to_contain_text("another window")
    first.locator("a.wk-next").click()  # and its links load their pages again
    first.wait_for_url(f"**/{steps[4].notebook}.ipynb", timeout=10_000)
    expect(first.locator(f".wk-step-{steps[4].notebook}")).to_be_visible(timeout=RENDER_TIMEOUT)
    second.close()
