"""``workshop-kit serve``: the exercises as code-free pages, with Voila, on this machine.

Participants who have never seen Python get one clean page per step of the journey
(:mod:`kit.pages.journey`) with no code cells, stepped through in one kernel
(:mod:`kit.pages.stepper`). Answers are saved exactly as in the notebooks
(the same widgets, bound to the same participant folder). The server listens on 127.0.0.1
only, on a free port, and asks for a token: the first URL carries it, and Jupyter's login
cookie keeps the next pages and reloads working without it. Voila's settings are the config
files in ``kit/pages/config`` (see :mod:`kit.pages.settings`), so a Jupyter server elsewhere
uses the same ones.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from kit._resources import DISTRIBUTION, jupyter_data_dir, notebooks_dir, voila_config_dir
from kit.pages.journey import page_steps
from kit.pages.participant import stub_notebook

__all__ = [
    "Serving",
    "free_port",
    "page_folder",
    "page_urls",
    "prepare",
    "voila_command",
    "voila_env",
]


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_folder(target: Path | None = None) -> Path:
    """Write the participant pages into ``target``, fresh each time.

    Each page is a one-cell stub that builds its step, from the packaged notebook, in the
    page's kernel (:mod:`kit.pages.stepper`); Next then steps on in the same kernel. The
    default is one folder in the user's cache (not a new temporary folder per run), so
    serving again leaves nothing behind.
    """
    if target is None:
        import platformdirs  # here, not at the top: only `serve` needs the cache folder

        target = Path(platformdirs.user_cache_dir(DISTRIBUTION)) / "pages"
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    source = notebooks_dir()
    for step in page_steps():
        if (source / f"{step.notebook}.ipynb").exists():
            stub = json.dumps(stub_notebook(step), indent=1) + "\n"
            (folder / f"{step.notebook}.ipynb").write_text(stub, encoding="utf-8")
    return folder


def voila_command(folder: Path, port: int, token: str = "") -> list[str]:
    """Return the Voila command line that serves ``folder`` on 127.0.0.1:``port``.

    Only what differs per run is given here; every other setting is in the kit's Voila
    config file (see :func:`voila_env`). An empty ``token`` serves without one (tests only).
    """
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.token={token}",
    ]


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Return an environment in which Voila finds the kit's settings and page template."""
    env = dict(os.environ if base is None else base)
    for var, ours in (
        ("JUPYTER_PATH", jupyter_data_dir()),
        ("JUPYTER_CONFIG_PATH", voila_config_dir()),
    ):
        env[var] = os.pathsep.join(p for p in (str(ours), env.get(var)) if p)
    return env


def page_urls(base: str, folder: Path, token: str = "") -> list[str]:
    """Return the URL of every page in ``folder``, the first with the token."""
    urls = []
    for step in page_steps():
        if (folder / f"{step.notebook}.ipynb").exists():
            query = f"?token={token}" if token and not urls else ""
            urls.append(f"{base}/voila/render/{step.notebook}.ipynb{query}")
    return urls


@dataclass(frozen=True)
class Serving:
    """Everything needed to start the pages: the command, its environment and the URLs."""

    command: list[str]
    env: dict[str, str]
    urls: list[str]
    token: str


def prepare(
    *, port: int = 0, home: Path | None = None, folder: Path | None = None, token: str | None = None
) -> Serving:
    """Write the pages and return how to serve them (a new random token unless given)."""
    pages = page_folder(folder)
    port = port or free_port()
    token = secrets.token_urlsafe(24) if token is None else token
    env = voila_env()
    if home is not None:
        env["WORKSHOP_KIT_HOME"] = str(Path(home).expanduser().resolve())
    urls = page_urls(f"http://127.0.0.1:{port}", pages, token)
    return Serving(voila_command(pages, port, token), env, urls, token)
