"""A workshop on a real JupyterHub: one link, one password, one room, every answer kept.

One hub (``deploy/jupyterhub_config.py`` with the overrides listed in ``hub_config.py``)
serves twelve participants at once. Ten log in through the login form with ``requests``,
land on the first page of the guided flow, and do the week exercise in its page's kernel
over the page's web socket (setting the widget's value and pressing Join and Share, as
clicks would). Two more do it all in Chromium: the login form, the first page, the week
page, a slider moved with the keyboard, the room joined and the week shared. The second of
them has their server stopped mid-exercise, by the REST call the idle culler makes: the page
says so; a reload starts the server again and shows the same page with the answer in place.
The facilitator's ``workshop-kit room show`` counts all twelve; every answers file is in its
owner's home only.

Everything happens in one module fixture (the hub costs ~10 s to start and the logins run
in parallel), and the tests assert on what it recorded.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hubrun import PASSWORD, WEEK_PAGE, Hub, Participant, running_hub, week_exercise

pytestmark = [pytest.mark.hub, pytest.mark.slow]

CODERS = [f"p{n:02d}@example.com" for n in range(1, 11)]
IN_BROWSER = ["ada.browser@example.com", "bo.culled@example.com"]
CHROMIUM = Path("/usr/bin/chromium")
HOURS = 1.5  # moved by each participant, from a different activity each (so no two agree)


def _ui(key: str) -> str:
    from kit.content import load_content

    return load_content().text(key)


def first_page() -> str:
    from kit.pages.journey import page_steps

    return page_steps()[0].notebook


@dataclass
class Record:
    hub: Hub | None = None
    code: str = ""
    refused: dict[str, str] = field(default_factory=dict)
    landed: dict[str, str] = field(default_factory=dict)
    shared: dict[str, dict] = field(default_factory=dict)
    browser: dict[str, dict] = field(default_factory=dict)
    show: str = ""
    retries: dict[str, int] = field(default_factory=dict)
    homes: Path | None = None
    rooms: Path | None = None
    log: str = ""  # the hub's log, participants' servers included (they write to it)


def _coder(hub: Hub, name: str, other: int, code: str) -> tuple[str, str, dict, int]:
    person = Participant(hub, name)
    landed = person.login()
    page = person.open_page(WEEK_PAGE)
    result = week_exercise(page, hours=HOURS, other=other, code=code)
    return name, landed, result, person.retries


def _browser_login(page, hub: Hub, name: str) -> None:
    page.goto(f"{hub.url}/hub/login", timeout=60_000)
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")


def _week_page(page, base: str) -> None:
    page.goto(f"{base}/voila/render/{WEEK_PAGE}.ipynb", timeout=180_000)
    page.wait_for_selector(".widget-slider .noUi-handle", timeout=120_000)


def _readout(page) -> str:
    return page.locator(".widget-slider .widget-readout").first.inner_text().strip()


def _in_browser(browser, hub: Hub, name: str, code: str, presses: int, stop: bool) -> dict:
    """Walk the flow in Chromium; with ``stop``, stop the server mid-exercise first."""
    from hubrun import read_week

    seen: dict = {}
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        _browser_login(page, hub, name)
        page.wait_for_url(f"**/voila/render/{first_page()}.ipynb*", timeout=240_000)
        seen["landed"] = page.url
        seen["first_title"] = page.locator("h1").first.inner_text(timeout=60_000)
        base = page.url.split("/voila/")[0]
        _week_page(page, base)
        start = _readout(page)
        page.locator(".widget-slider .noUi-handle").first.focus()
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        home = hub.homes / name / "workshop-answers"
        deadline = time.monotonic() + 30
        while _readout(page) == start or read_week(home) is None:
            assert time.monotonic() < deadline, "the slider move was never saved"
            page.wait_for_timeout(200)
        page.wait_for_timeout(1000)  # the last key press's save
        seen["moved"] = _readout(page)
        seen["saved"] = read_week(home)
        if stop:
            seen["stop_seconds"] = hub.stop_server(name)
            notice = page.locator("#wk-connection-lost")
            notice.wait_for(state="visible", timeout=30_000)
            seen["notice"] = notice.inner_text()
            page.reload(timeout=180_000)
            page.wait_for_url(f"**/voila/render/{WEEK_PAGE}.ipynb*", timeout=180_000)
            page.wait_for_selector(".widget-slider .noUi-handle", timeout=180_000)
            seen["after_reload"] = _readout(page)
            seen["reloaded_url"] = page.url
        page.fill(".wk-room-code input", code)
        page.keyboard.press("Enter")
        page.locator(".wk-join-room button").first.click()
        # The preview follows the saved week by itself (no 'Update the preview' button).
        page.locator(".wk-share-button").click()
        page.wait_for_selector(f".wk-share-message:has-text('{code}')", timeout=60_000)
        seen["message"] = page.locator(".wk-share-message").inner_text()
        seen["saved_end"] = read_week(home)
    finally:
        context.close()
    return seen


@pytest.fixture(scope="module")
def workshop(hub_tools, tmp_path_factory) -> Record:
    record = Record()
    folder = tmp_path_factory.mktemp("hub")
    with running_hub(folder) as hub:
        record.hub, record.homes, record.rooms = hub, hub.homes, hub.rooms
        made = hub.room_command("create")
        assert made.returncode == 0, made.stderr
        record.code = code = made.stdout.split()[0]
        for name, password in (("mallory@example.com", "not-the-password"), ("anna", PASSWORD)):
            try:
                Participant(hub, name).login(password)
                record.refused[name] = "let in"
            except PermissionError as exc:
                record.refused[name] = str(exc)
        with ThreadPoolExecutor(len(CODERS)) as pool:
            running = [pool.submit(_coder, hub, name, n + 1, code) for n, name in enumerate(CODERS)]
            if CHROMIUM.is_file():
                _browse(record, hub, code)
            for future in running:
                name, landed, result, retries = future.result()
                record.landed[name] = landed
                record.shared[name] = result
                record.retries[name] = retries
        show = hub.room_command("show", code)
        assert show.returncode == 0, show.stderr
        record.show = show.stdout
        record.log = hub.log.read_text(errors="replace")
        yield record


def _browse(record: Record, hub: Hub, code: str) -> None:
    from playwright.sync_api import sync_playwright

    from kit.render.pdf import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            for n, name in enumerate(IN_BROWSER):
                record.browser[name] = _in_browser(
                    browser, hub, name, code, presses=2 * (n + 1), stop=name == IN_BROWSER[-1]
                )
        finally:
            browser.close()


def test_only_the_workshop_password_and_a_work_email_get_in(workshop):
    assert "refused" in workshop.refused["mallory@example.com"]
    assert "refused" in workshop.refused["anna"]  # not an email: two Annas would share a home


def test_every_participant_lands_on_the_first_page_of_the_guided_flow(workshop):
    for name in CODERS:
        assert workshop.landed[name].endswith(f"/user/{name}/voila/render/{first_page()}.ipynb")


def test_participants_servers_load_voila_and_no_other_server_extension(workshop):
    loaded = re.findall(r"ServerApp\] (\S+) \| extension was successfully loaded", workshop.log)
    servers = len(CODERS) + len(IN_BROWSER) if CHROMIUM.is_file() else len(CODERS)
    assert loaded.count("jupyterhub") >= servers  # one per server start (a restart adds one)
    assert set(loaded) == {"jupyterhub", "voila.server_extension"}
    assert loaded.count("voila.server_extension") == loaded.count("jupyterhub")


def test_ten_complete_the_week_exercise_and_share_it(workshop):
    for n, name in enumerate(CODERS):
        result = workshop.shared[name]
        before, after = result["before"]["current"], result["week"]["current"]
        first, second = next(iter(before)), list(before)[n + 1]
        assert after[first] == before[first] + HOURS
        assert after[second] == before[second] - HOURS
        assert f"Shared with room {workshop.code}" in result["message"]
        # The page ran in the kit's page kernel (allowed by the deploy config), no debugger.
        assert result["kernel"].endswith("kit/pages/kernel.py"), result["kernel"]
        assert result["debugger"] is False


def _first_heading() -> str:
    """The first heading of the journey's first page, as its notebook has it (lower case)."""
    import json

    from kit._resources import notebooks_dir

    nb = json.loads((notebooks_dir() / f"{first_page()}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# "):
                return line[2:].strip().lower()
    raise AssertionError(f"{first_page()} has no heading")


def test_two_walk_it_in_chromium(workshop):
    if not CHROMIUM.is_file():
        pytest.skip("Chromium not found: the two browser participants did not run")
    for name in IN_BROWSER:
        seen = workshop.browser[name]
        assert seen["landed"].endswith(f"/user/{name}/voila/render/{first_page()}.ipynb")
        assert _first_heading() in seen["first_title"].lower()
        assert seen["saved"] is not None
        assert f"Shared with room {workshop.code}" in seen["message"]


def test_a_stopped_server_says_so_and_a_reload_brings_every_answer_back(workshop):
    if not CHROMIUM.is_file():
        pytest.skip("Chromium not found: the browser participant did not run")
    seen = workshop.browser[IN_BROWSER[-1]]
    assert "no longer connected" in seen["notice"]
    assert "saved" in seen["notice"]
    assert seen["reloaded_url"].split("?")[0].endswith(f"/voila/render/{WEEK_PAGE}.ipynb")
    assert seen["after_reload"] == seen["moved"]  # the slider shows the saved answer
    assert seen["saved_end"]["current"] == seen["saved"]["current"]


def test_the_facilitator_sees_everyone_counted(workshop):
    everyone = len(CODERS) + (len(IN_BROWSER) if CHROMIUM.is_file() else 0)
    assert re.search(rf"^Week: {everyone} shared$", workshop.show, re.MULTILINE), workshop.show


def test_every_participants_answers_sit_in_their_own_home_only(workshop):
    from hubrun import read_week

    names = CODERS + (IN_BROWSER if CHROMIUM.is_file() else [])
    homes = sorted(p.name for p in workshop.homes.iterdir())
    assert homes == sorted(names)
    for name in CODERS:
        saved = read_week(workshop.homes / name / "workshop-answers")
        assert saved == workshop.shared[name]["week"]
    weeks = [json.dumps(read_week(workshop.homes / n / "workshop-answers")) for n in names]
    assert len(set(weeks)) == len(weeks)  # twelve different answers, none overwritten
    shares = "".join(p.read_text() for p in workshop.rooms.rglob("*.json"))
    assert not any(name in shares or name.split("@")[0] in shares for name in names)
