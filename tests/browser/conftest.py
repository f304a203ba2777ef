"""Shared fixtures for the browser tests: Debian's Chromium, offline, driven by Playwright.

- ``chromium_path``: the browser program; skips the test without it (with one clear line),
  and fails instead when ``CI=true``, where the browser tests must run.
- ``browser``: one headless Chromium for the whole session.
- ``blocked_page``: a fresh page in its own context where every request that would leave
  the machine is blocked and recorded, with every failed request and page error recorded
  too, so a test can assert that there were none.

Never ``playwright install``: it downloads a browser of its own, which a machine without
internet cannot fetch; the tests drive the system's Chromium instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from servers import CHROMIUM, CHROMIUM_ARGS, ENABLE_HINT

MISSING = ENABLE_HINT
#: Schemes and hosts that stay on this machine.
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def is_local(url: str) -> bool:
    """Whether loading ``url`` stays on this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium; skip without it, but fail in CI (``CI=true``)."""
    if CHROMIUM.is_file():
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{MISSING} (CI=true: browser tests must run here, not skip)", pytrace=False)
    pytest.skip(MISSING)


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Any]:
    """One headless Chromium per test module.

    Per module, not per session: Playwright's sync API keeps an event loop running in the
    main thread while it is open, and the tests that come after the browser tests (the hub
    tests drive their own Chromium, others run asyncio) must not find one running.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class BlockedPage:
    """A page that cannot reach the network, and what it tried.

    Attributes
    ----------
    page
        The Playwright page (its context also holds any pop-up, such as a speaker view).
    blocked
        URLs that would have left the machine; each was aborted.
    failed
        ``(url, reason)`` of every request that failed, blocked ones included.
    errors
        Uncaught JavaScript errors of the page and its pop-ups.
    """

    page: Any
    blocked: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        """Record the failed requests and errors of another page (e.g. a pop-up)."""
        page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure or "")))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def blocked_page(browser: Any) -> Iterator[BlockedPage]:
    """A fresh 1280x720 page, in its own context, with all non-local requests blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    record = BlockedPage(page=None)

    def guard(route: Any) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            record.blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    context.on("page", record.watch)  # pop-ups too
    record.page = context.new_page()
    try:
        yield record
    finally:
        context.close()
