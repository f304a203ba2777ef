"""A real JupyterHub on 127.0.0.1 and participants who log in to it, for tests and benchmarks.

:func:`running_hub` starts ``jupyterhub`` with ``deploy/jupyterhub_config.py`` through the
tests' override file (``hub_config.py`` beside this one, which lists every test-only
setting), waits until the REST API answers, and stops it afterwards: the idle-culler service
first (the hub would otherwise spend half a minute waiting for it to stop), then the hub
(which stops every participant's server), then whatever is left in its process group.

:class:`Participant` does what a person's browser does, with ``requests``: the login form,
the wait for the server, the landing page, a Voila page, and code in that page's kernel over
the kernel's web socket (the page's own channel), so a test can drive the page's widgets
exactly as clicks would, without a browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests
from proxy import ensure_proxy

__all__ = [
    "DEPLOY",
    "PASSWORD",
    "WEEK_PAGE",
    "Hub",
    "Participant",
    "free_port",
    "read_week",
    "running_hub",
    "tree",
    "week_exercise",
]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
OVERRIDES = Path(__file__).resolve().parent / "hub_config.py"
#: The workshop password of the test hub (the shared-password authenticator wants 8+).
PASSWORD = "leaders-build-too"
START_TIMEOUT = 90.0
#: How long a participant told "too many users trying to log in" waits before trying again.
SPAWN_RETRY_SECONDS = 10.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    """A running hub: its address, admin token, folders and process."""

    url: str
    token: str
    folder: Path
    process: subprocess.Popen
    log: Path

    @property
    def homes(self) -> Path:
        return self.folder / "homes"

    @property
    def rooms(self) -> Path:
        return self.folder / "rooms"

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """Call the hub's REST API (``/hub/api`` + ``path``) as the test-admin service."""
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def stop_server(self, name: str, timeout: float = 60) -> float:
        """Stop a participant's server as the idle culler does (REST ``DELETE``); seconds."""
        start = time.monotonic()
        response = self.api("DELETE", f"/users/{name}/server")
        assert response.status_code in (202, 204), response.text
        while time.monotonic() - start < timeout:
            server = self.api("GET", f"/users/{name}").json().get("servers", {}).get("")
            if not server:
                return time.monotonic() - start
            time.sleep(0.2)
        raise AssertionError(f"{name}'s server still runs {timeout:.0f} s after DELETE")

    def room_command(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``python -m kit room ...`` as the facilitator, on the hub's rooms folder."""
        env = {**os.environ, "WORKSHOP_KIT_ROOMS": str(self.rooms), "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "kit", "room", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def _children(pid: int) -> list[int]:
    """Return the ids of ``pid``'s direct children (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(p) for p in (task / "children").read_text().split()]
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def tree(pid: int) -> list[int]:
    """Return ``pid`` and all its descendants (servers and kernels run in their own sessions,
    so a process group does not hold them)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    everything = tree(process.pid)
    # The culler ignores the hub's polite SIGINT and costs ~33 s of waiting: end it first.
    for child in _children(process.pid):
        if "jupyterhub_idle_culler" in _cmdline(child):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    for pid in everything[1:]:  # whatever the hub did not stop (it stops servers on exit)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def hub_env(folder: Path, *, real_users: bool = False) -> dict[str, str]:
    """Return the environment for a test hub whose state lives in ``folder``."""
    from kit._jupyter import private_jupyter_env

    env = private_jupyter_env(folder / "jupyter")
    env.update(
        WORKSHOP_PASSWORD=PASSWORD,
        WORKSHOP_HUB_DIR=str(folder),
        WORKSHOP_TEST_DEPLOY_CONFIG=str(DEPLOY / "jupyterhub_config.py"),
        WORKSHOP_TEST_HOMES=str(folder / "homes"),
        WORKSHOP_TEST_REAL_USERS="1" if real_users else "0",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        PATH=os.pathsep.join((str(ensure_proxy()), env.get("PATH", ""))),
        PYTHONUNBUFFERED="1",
    )
    for name in ("WORKSHOP_KIT_HOME", "WORKSHOP_KIT_ROOMS", "WORKSHOP_KIT_PROFILE"):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def running_hub(
    folder: Path,
    *,
    real_users: bool = False,
    python: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Hub]:
    """Start the deployed hub (with the test overrides) in ``folder``; stop it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    env = hub_env(folder, real_users=real_users)
    port = free_port()
    token = secrets.token_hex(24)
    env.update(
        WORKSHOP_TEST_PORT=str(port),
        WORKSHOP_TEST_HUB_PORT=str(free_port()),
        WORKSHOP_TEST_PROXY_PORT=str(free_port()),
        WORKSHOP_TEST_TOKEN=token,
        **({"WORKSHOP_PYTHON": python} if python else {}),
        **(extra_env or {}),
    )
    log = folder / "hub.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(OVERRIDES)],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    hub = Hub(f"http://127.0.0.1:{port}", token, folder, process, log)
    try:
        _wait_for_api(hub)
        yield hub
    finally:
        _stop(process)


def _wait_for_api(hub: Hub) -> None:
    """Wait for ``/hub/api/`` to answer 200 (the proxy answers 404 until the hub is in)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            code = hub.process.returncode
            raise RuntimeError(f"the hub stopped (exit {code}):\n{hub.log_tail()}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{hub.url}/hub/api/", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the hub did not answer within {START_TIMEOUT:.0f} s:\n{hub.log_tail()}")


# ----------------------------------------------------------------------------- participants
@dataclass
class Participant:
    """One person at the workshop, with a browser-like session (cookies, redirects)."""

    hub: Hub
    name: str  # the work email they type
    session: requests.Session = field(default_factory=requests.Session)
    landed: str = ""  # the URL the login ended on
    retries: int = 0  # pages asked for again after hanging (see open_page)
    refused: int = 0  # server starts refused by the spawn limit, then asked for again

    @property
    def base(self) -> str:
        return f"{self.hub.url}/user/{self.name}"

    def login(self, password: str = PASSWORD, timeout: float = 180) -> str:
        """Log in through the form, wait for the server, follow to the landing page.

        Returns the final URL (the participant's default URL). Raises on a wrong password
        (the form comes back) or when the server is not ready within ``timeout``.
        """
        s = self.session
        form = s.get(f"{self.hub.url}/hub/login", timeout=60)
        form.raise_for_status()
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', form.text).group(1)
        answer = s.post(
            f"{self.hub.url}/hub/login?next=",
            data={"username": self.name, "password": password, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302:
            raise PermissionError(f"login of {self.name} refused ({answer.status_code})")
        # Start the server (the hub does on the first page after login), then wait for it.
        # Past the spawn limit the hub answers 429, "Too many users trying to log in right
        # now": do what the guide tells people, wait ten seconds and try again.
        deadline = time.monotonic() + timeout
        while (
            s.get(f"{self.hub.url}/hub/spawn", allow_redirects=False, timeout=60).status_code == 429
        ):
            self.refused += 1
            if time.monotonic() + SPAWN_RETRY_SECONDS > deadline:
                raise TimeoutError(f"{self.name}'s server start was refused for {timeout:.0f} s")
            time.sleep(SPAWN_RETRY_SECONDS)
        self.wait_ready(max(1.0, deadline - time.monotonic()))
        page = s.get(f"{self.hub.url}/hub/user-redirect/", timeout=120)
        page.raise_for_status()
        self.landed = page.url
        return page.url

    def wait_ready(self, timeout: float = 180) -> None:
        """Poll the spawn-pending page (never a Voila URL: each GET starts a kernel)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.session.get(
                f"{self.hub.url}/hub/spawn-pending/{self.name}", allow_redirects=False, timeout=60
            )
            if r.status_code == 302:
                return
            if r.status_code >= 500:
                raise RuntimeError(f"spawn of {self.name} failed ({r.status_code}): {r.text[:300]}")
            time.sleep(0.3)
        raise TimeoutError(f"{self.name}'s server was not ready within {timeout:.0f} s")

    def open_page(self, notebook: str, *, limit: float = 120) -> Page:
        """Open a Voila page (``03-where-the-week-goes``); return it with its kernel id.

        A page that has not arrived whole within ``limit`` seconds is asked for once more
        (what a person does with a page that hangs: reload), and :attr:`retries` counts it.
        """
        url = f"{self.base}/voila/render/{notebook}.ipynb"
        try:
            html = self._get_whole(url, limit)
        except (TimeoutError, requests.RequestException):
            self.retries += 1
            html = self._get_whole(url, limit)
        match = re.search(r'"kernelId"\s*:\s*"([0-9a-f-]{36})"', html) or re.search(
            r"kernel_id\s*=\s*['\"]([0-9a-f-]{36})", html
        )
        if match is None:
            raise AssertionError(f"no kernel id in {notebook} for {self.name}:\n{html[:2000]}")
        return Page(self, notebook, match.group(1), html)

    def _get_whole(self, url: str, limit: float) -> str:
        """GET ``url`` and read it to the end within ``limit`` seconds (Voila streams)."""
        end = time.monotonic() + limit
        with self.session.get(url, stream=True, timeout=(30, limit)) as r:
            r.raise_for_status()
            chunks = []
            for chunk in r.iter_content(16384):
                chunks.append(chunk)
                if time.monotonic() > end:
                    raise TimeoutError(f"{url} did not arrive whole within {limit:.0f} s")
            return b"".join(chunks).decode("utf-8", "replace")


@dataclass
class Page:
    """A rendered Voila page and its kernel."""

    participant: Participant
    notebook: str
    kernel_id: str
    html: str

    def run(self, code: str, timeout: float = 60) -> str:
        """Run ``code`` in the page's kernel over its web socket; return what it printed.

        Raises ``AssertionError`` with the traceback when the code fails.
        """
        import websocket  # websocket-client: Jupyter Server's own dependency

        p = self.participant
        ws_url = p.base.replace("http://", "ws://") + f"/api/kernels/{self.kernel_id}/channels"
        cookies = "; ".join(f"{k}={v}" for k, v in p.session.cookies.items())
        headers = [f"Cookie: {cookies}"]
        xsrf = p.session.cookies.get("_xsrf", path=f"/user/{p.name}/")
        if xsrf:
            headers.append(f"X-XSRFToken: {xsrf}")
        ws = websocket.create_connection(ws_url, header=headers, origin=p.hub.url, timeout=timeout)
        msg_id = uuid.uuid4().hex
        try:
            ws.send(json.dumps(_execute_request(msg_id, code, p.name)))
            out, error, reply, idle = [], None, None, False
            deadline = time.monotonic() + timeout
            # The reply (shell) and the output (iopub) travel apart: wait for both the reply
            # and the kernel's 'idle' after this request, which follows its last output.
            while time.monotonic() < deadline:
                raw = ws.recv()
                if isinstance(raw, bytes):
                    continue  # a message with binary buffers (a chart's PNG): not ours
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = "\n".join(msg["content"]["traceback"])
                elif kind == "execute_reply":
                    reply = msg["content"]["status"]
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                if reply is not None and idle:
                    if error or reply != "ok":
                        raise AssertionError(f"code failed in {self.notebook}:\n{error}")
                    return "".join(out)
            raise TimeoutError(f"no reply from {self.notebook}'s kernel in {timeout:.0f} s")
        finally:
            ws.close()


def _execute_request(msg_id: str, code: str, username: str) -> dict:
    return {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "username": username,
            "session": uuid.uuid4().hex,
            "date": "",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "channel": "shell",
        "buffers": [],
        "content": {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
    }


def read_week(answers: Path) -> dict | None:
    """Return the saved week (``allocation.json``) in a participant folder, or ``None``."""
    try:
        data = json.loads((answers / "allocation.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("value") if isinstance(data, dict) else None


WEEK_PAGE = "03-where-the-week-goes"

#: Run in the week page's kernel: move ``hours`` from activity number ``other`` to the first
#: (the page's week widget, as a drag does), then join the room and share, pressing the
#: page's own buttons. Prints what the participant would see, as JSON.
_EXERCISE = """
import json
import sys
import ipywidgets
from kit import ShareWithRoom, TimeAllocation
live = list(ipywidgets.Widget.widgets.values())
week = next(w for w in live if isinstance(w, TimeAllocation))
before = week.value
current = dict(before["current"])
first, second = list(current)[0], list(current)[{other}]
current[first] += {hours}
current[second] -= {hours}
week.value = {{**before, "current": current}}
share = next(w for w in live if isinstance(w, ShareWithRoom))
share._join._code.value = "{code}"
share._join._join.click()
share.follow()  # what the share widget's own timer does within a second
share._share.click()
result = {{"before": before, "week": week.value, "message": share._message.value,
          "kernel": sys.argv[0], "debugger": "debugpy" in sys.modules}}
print("RESULT", json.dumps(result))
"""


def week_exercise(page: Page, *, hours: float, other: int, code: str) -> dict:
    """Do the week exercise in an open week page and share it into room ``code``.

    Returns what the page's kernel printed: the week before and after, and the message the
    share widget showed.
    """
    out = page.run(_EXERCISE.format(hours=hours, other=other, code=code), timeout=120)
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert lines, f"{page.participant.name}: the exercise printed no result:\n{out}"
    return json.loads(lines[-1].removeprefix("RESULT "))
