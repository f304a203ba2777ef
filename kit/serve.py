"""``workshop-kit serve``: the exercises as code-free pages, with Voila, on this machine.

Participants who have never seen Python get one clean page per exercise (and the synthesis)
with no code cells. Answers are saved exactly as in the notebooks (the same widgets, bound to
the same participant folder). The server listens on 127.0.0.1 only, on a free port.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from kit._resources import jupyter_data_dir, notebooks_dir

__all__ = ["PAGES", "add_commands", "free_port", "page_folder", "voila_command", "voila_env"]

#: The notebooks that become participant pages, in order.
PAGES = (
    "01-the-dilemma",
    "02-why-leaders-still-build",
    "03-where-the-week-goes",
    "04-which-shape-fits",
    "05-your-path",
)

#: Cells tagged with this are about running a notebook; the code-free pages leave them out.
NOTEBOOK_ONLY_TAG = "notebook-only"


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_folder(target: Path | None = None) -> Path:
    """Copy the participant pages into ``target``, fresh each time.

    The default is one folder in the user's cache (not a new temporary folder per run), so
    serving again leaves nothing behind.
    """

    if target is None:
        import platformdirs

        target = Path(platformdirs.user_cache_dir("leadership-workshop-kit")) / "pages"
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    source = notebooks_dir()
    for name in PAGES:
        nb = source / f"{name}.ipynb"
        if nb.exists():
            shutil.copy2(nb, folder / nb.name)
    return folder


def voila_command(folder: Path, port: int) -> list[str]:
    """Return the Voila command line that serves ``folder`` on 127.0.0.1:``port``."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--theme=light",
        "--show_tracebacks=False",
        "--template=workshop",
        # Leave out cells that talk about running code (Shift+Enter and the like).
        "--TagRemovePreprocessor.enabled=True",
        f"--TagRemovePreprocessor.remove_cell_tags={NOTEBOOK_ONLY_TAG}",
    ]


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Return an environment in which Voila finds the kit's page template."""
    env = dict(os.environ if base is None else base)
    data = str(jupyter_data_dir())
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (data, env.get("JUPYTER_PATH")) if p)
    return env


def _serve(args: argparse.Namespace) -> int:
    folder = page_folder(Path(args.folder) if args.folder else None)
    port = args.port or free_port()
    env = voila_env()
    if args.home:
        env["WORKSHOP_KIT_HOME"] = str(Path(args.home).expanduser().resolve())
    base = f"http://127.0.0.1:{port}"
    print("The workshop pages are at:")
    print(f"  {base}/")
    for name in PAGES:
        if (folder / f"{name}.ipynb").exists():
            print(f"  {base}/voila/render/{name}.ipynb")
    print("Each page takes a few seconds to start. Press Ctrl+C here to stop.", flush=True)
    command = voila_command(folder, port)
    if os.name == "posix":
        # Become the server, so that Ctrl+C and a stop signal reach it directly.
        os.execve(command[0], command, env)
    try:  # pragma: no cover - Windows
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:  # pragma: no cover
        return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``workshop-kit serve``."""
    serve = sub.add_parser(
        "serve",
        help="open the exercises as code-free pages in the browser (Voila, this machine only)",
    )
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve.add_argument(
        "--home", help="the participant folder (default: $WORKSHOP_KIT_HOME or your data folder)"
    )
    serve.add_argument(
        "--folder", help="where the page notebooks are copied (default: a folder in your cache)"
    )
    serve.set_defaults(run=_serve)
