"""Servers and a browser for the browser tests and the latency benchmark (not a conftest).

Everything here runs on this machine only: Voila (through :mod:`kit.serve`, exactly as
``workshop-kit serve`` starts it) and JupyterLab listen on 127.0.0.1 on a free port, with
every per-user Jupyter folder and the participant folder in a temporary folder, and are
stopped by their process group when the ``with`` block ends.

The tests take their browser from this folder's conftest (``browser``, ``blocked_page``)
and call :func:`require_chromium` first, so that a machine without Chromium skips them in
one line; :func:`launch_chromium` and :func:`chromium` give the same offline browser to
scripts outside pytest (the benchmark).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kit.render.pdf import CHROMIUM_ARGS as SLIDES_CHROMIUM_ARGS

__all__ = [
    "ANNOUNCEMENTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "ENABLE_HINT",
    "ROOT",
    "Server",
    "chromium",
    "jupyter_env",
    "jupyterlab_server",
    "launch_chromium",
    "read_answers",
    "require_chromium",
    "screenshot",
    "screenshot_dir",
    "tab_to",
    "voila_server",
    "wait_for_answers",
]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = list(SLIDES_CHROMIUM_ARGS)
ENABLE_HINT = (
    "Chromium not found: run `apt-get install chromium` (as root) to enable the browser tests."
)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT = 90.0


def require_chromium() -> None:
    """Skip the calling test module without Chromium, in one line; in CI fail instead.

    Call it at module level. Every module skips from this one place, so pytest folds the
    skips into a single line; with ``CI=true`` the collection fails, loudly.
    """
    import pytest

    if CHROMIUM.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{ENABLE_HINT} CI=true, so the browser tests must run, not skip.", pytrace=False
        )
    pytest.skip(ENABLE_HINT, allow_module_level=True)


def screenshot_dir() -> Path:
    """Return the folder for screenshots: ``$WORKSHOP_KIT_SCREENSHOTS`` or ``screenshots/``."""
    folder = Path(os.environ.get("WORKSHOP_KIT_SCREENSHOTS") or ROOT / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------------------- servers
@dataclass
class Server:
    """A running Voila or JupyterLab server."""

    url: str  # base URL, without a trailing slash
    home: Path  # the participant folder (WORKSHOP_KIT_HOME)
    root: Path  # the folder of notebooks it serves
    log: Path
    process: subprocess.Popen
    token: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def page(self, name: str) -> str:
        """Return the URL of one notebook (``03-where-the-week-goes``) in this server."""
        if self.token:
            return f"{self.url}/lab/tree/{name}.ipynb?token={self.token}"
        return f"{self.url}/voila/render/{name}.ipynb"

    def shut_down_kernels(self) -> None:
        """End every session of a JupyterLab server, and so its kernel (REST API)."""

        def call(method: str, path: str):
            request = urllib.request.Request(
                f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")

        for session in call("GET", "/api/sessions") or []:
            call("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, chars: int = 4000) -> str:
        """Return the end of the server's log, for failure messages."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""


def jupyter_env(base: Path, home: Path) -> dict[str, str]:
    """Return an environment whose Jupyter, IPython and matplotlib folders are under ``base``.

    The participant folder is ``home``; a demo profile or custom content in the caller's
    environment is not passed on.
    """
    from kit._jupyter import private_jupyter_env

    env = private_jupyter_env(base)
    env["WORKSHOP_KIT_HOME"] = str(home)
    env.setdefault("WORKSHOP_KIT_ROOMS", str(base / "rooms"))
    env["TMPDIR"] = str(base / "tmp")  # Voila writes its files in the temp folder
    (base / "tmp").mkdir(exist_ok=True)
    env.pop("WORKSHOP_KIT_PROFILE", None)
    env.pop("WORKSHOP_KIT_CONTENT", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _wait_until_answers(
    url: str, process: subprocess.Popen, log: Path, timeout: float = START_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server stopped (exit {process.returncode}):\n"
                + log.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code < 500:
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"the server did not answer {url} within {timeout:.0f} s:\n"
        + log.read_text(errors="replace")[-4000:]
    )


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and everything in its process group (it was started as a leader)."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # Jupyter shuts its kernels down on TERM
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def _running(
    command: list[str], env: dict[str, str], cwd: Path, log: Path, probe: str
) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        _wait_until_answers(probe, process, log)
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def voila_server(workdir: Path | None = None, home: Path | None = None) -> Iterator[Server]:
    """Serve the participant pages with Voila, as ``workshop-kit serve`` does.

    Parameters
    ----------
    workdir
        A folder for the pages, the Jupyter folders and the log (default: a new temporary
        folder, removed afterwards).
    home
        The participant folder (default: ``workdir/participant``, empty).
    """
    from kit.serve import free_port, page_folder, voila_command, voila_env

    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wk-voila-")))
        home = home or workdir / "participant"
        home.mkdir(parents=True, exist_ok=True)
        pages = page_folder(workdir / "pages")
        port = free_port()
        env = voila_env(jupyter_env(workdir / "jupyter", home))
        log = workdir / "voila.log"
        url = f"http://127.0.0.1:{port}"
        with _running(voila_command(pages, port), env, pages, log, f"{url}/") as process:
            yield Server(url=url, home=home, root=pages, log=log, process=process, env=env)


ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"


def _disable_announcements(env: dict[str, str]) -> subprocess.Popen:
    """Start turning off JupyterLab's news pop-up in the (temporary) user config folder.

    JupyterLab reads ``labconfig/page_config.json`` on every page request, so this may run
    while the server starts; :func:`_check_announcements` waits for it before a page opens.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "jupyter", "labextension", "disable", "--level=user", ANNOUNCEMENTS],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def _check_announcements(process: subprocess.Popen, env: dict[str, str]) -> None:
    output, _ = process.communicate(timeout=120)
    config = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig" / "page_config.json"
    try:
        disabled = json.loads(config.read_text(encoding="utf-8")).get("disabledExtensions")
    except (OSError, ValueError):
        disabled = None
    if process.returncode != 0 or not (disabled or {}).get(ANNOUNCEMENTS):
        raise RuntimeError(
            f"could not disable {ANNOUNCEMENTS} in {config} (exit "
            f"{process.returncode}):\n{output.decode(errors='replace')}"
        )


@contextlib.contextmanager
def jupyterlab_server(
    notebooks: list[Path], workdir: Path | None = None, home: Path | None = None
) -> Iterator[Server]:
    """Run JupyterLab on copies of ``notebooks``, quiet and offline, with a token.

    The settings are those of ``workshop-kit open`` (``kit.commands.lab.LAB_QUIET``), plus the
    announcements plugin disabled and ``--allow-root`` when running as root (CI).
    """
    import secrets
    import shutil

    from kit.commands.lab import LAB_QUIET
    from kit.serve import free_port

    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wk-lab-")))
        home = home or workdir / "participant"
        home.mkdir(parents=True, exist_ok=True)
        root = workdir / "workspace"
        root.mkdir(parents=True, exist_ok=True)
        for nb in notebooks:
            shutil.copy2(nb, root / nb.name)
        env = jupyter_env(workdir / "jupyter", home)
        disabling = _disable_announcements(env)
        token = secrets.token_hex(16)
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            *LAB_QUIET,
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        url = f"http://127.0.0.1:{port}"
        log = workdir / "lab.log"
        try:
            process = stack.enter_context(
                _running(command, env, root, log, f"{url}/api/status?token={token}")
            )
        except BaseException:
            disabling.kill()
            disabling.wait()
            raise
        _check_announcements(disabling, env)
        yield Server(url=url, home=home, root=root, log=log, process=process, token=token, env=env)


# ---------------------------------------------------------------------------- browser
@contextlib.contextmanager
def launch_chromium() -> Iterator:
    """Start Playwright and headless Debian Chromium; yield the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "devtools"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@contextlib.contextmanager
def chromium(browser, *, width: int = 1280, height: int = 1000) -> Iterator:
    """Yield ``(page, outside)``: a fresh page in its own context, and the list of URLs
    it asked for that are not on this machine (each one blocked).
    """
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    outside: list[str] = []

    def guard(route) -> None:
        if _is_local(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def seen(request) -> None:  # also what a route cannot see (e.g. a web socket)
        if not _is_local(request.url) and request.url not in outside:
            outside.append(request.url)

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", seen)
    page.on("websocket", lambda ws: seen(ws))
    try:
        yield page, outside
    finally:
        context.close()


def tab_to(page, selector: str, *, text: str | None = None, limit: int = 120) -> None:
    """Move the keyboard focus with Tab, from where it is, until ``selector`` has it.

    ``text``, when given, must also be the focused element's whole text. Raises
    ``AssertionError`` naming the elements passed when ``limit`` presses are not enough.
    """
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, t]) => { const a = document.activeElement;"
            " return !!a && a.matches(s)"
            " && (t === null || a.textContent.trim() === t); }",
            [selector, text],
        ):
            return
        passed.append(
            page.evaluate(
                "() => { const a = document.activeElement; if (!a) return '?';"
                " return a.tagName + '.' + String(a.className).split(' ').slice(0, 3).join('.')"
                " + ' ' + (a.textContent || a.value || '').trim().slice(0, 20); }"
            )
        )
    raise AssertionError(
        f"{limit} presses of Tab never reached {selector}; passed: " + " | ".join(passed[:40])
    )


def screenshot(page, locator, name: str) -> Path:
    """Write a PNG of one widget (not the page) to :func:`screenshot_dir` and return it.

    The viewport grows to the widget's height first: Voila and JupyterLab scroll inside a
    container, so a widget taller than the window would otherwise be cut off.
    """
    path = screenshot_dir() / name
    size = page.viewport_size or {"width": 1280, "height": 1000}
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    if box is not None and box["height"] + 80 > size["height"]:
        page.set_viewport_size(
            {"width": size["width"], "height": min(int(box["height"]) + 120, 12000)}
        )
    try:
        locator.scroll_into_view_if_needed()
        page.wait_for_timeout(200)  # let a resized layout settle before the picture
        locator.screenshot(path=str(path), animations="disabled")
    finally:
        page.set_viewport_size(size)
    return path


# ---------------------------------------------------------------------------- answers
def read_answers(home: Path, exercise: str) -> dict | None:
    """Return the saved value of one exercise (``None`` if there is no readable file)."""
    try:
        data = json.loads((home / f"{exercise}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("value") if isinstance(data, dict) else None


def wait_for_answers(home: Path, exercise: str, check, *, timeout: float = 15.0) -> dict:
    """Poll the answers file until ``check(value)`` is true; return that value."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = read_answers(home, exercise)
        if value is not None and check(value):
            return value
        time.sleep(0.1)
    raise AssertionError(
        f"{home / (exercise + '.json')} never held the expected answers; last read: {value!r}"
    )
