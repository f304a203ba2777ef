"""``workshop-kit open``: a participant's copy of the notebooks in JupyterLab, quiet and offline.

The handlers of the command line (:mod:`kit.cli` holds every option and calls these):
each takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kit._files import write_atomic
from kit._resources import jupyter_config_dir, notebooks_dir

# JupyterLab settings that keep the workshop quiet and offline: no news, no update check,
# no extension manager calling out. Each of these is a request a workshop room without
# internet would see fail.
LAB_QUIET = (
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
)


def lab_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Return an environment in which JupyterLab shows no news pop-up.

    The kit's own config folder is added to ``JUPYTER_CONFIG_PATH``; the participant's
    Jupyter settings are left as they are.
    """
    env = dict(os.environ if base is None else base)
    ours = str(jupyter_config_dir())
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (ours, env.get("JUPYTER_CONFIG_PATH")) if p
    )
    return env


def lab_command(workspace: Path, *extra: str) -> list[str]:
    """Return the JupyterLab command line for a workspace, quiet and offline."""
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        *LAB_QUIET,
        f"--ServerApp.root_dir={workspace}",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def open_workspace(args: Any) -> int:
    workspace = Path(args.folder).expanduser().resolve()
    source = notebooks_dir()
    workspace.mkdir(parents=True, exist_ok=True)
    copied = []
    # Notebooks 9x are the facilitator's (the room view): only on request.
    wanted = [
        nb
        for nb in sorted(source.glob("*.ipynb"))
        if args.facilitator or not nb.name.startswith("9")
    ]
    for nb in wanted:
        target = workspace / nb.name
        if not target.exists():  # never overwrite a participant's own copy
            _copy_notebook(nb, target, facilitator=args.facilitator)
            copied.append(nb.name)
    print(
        f"Workshop notebooks are in {workspace}"
        + (f" ({len(copied)} new)." if copied else " (your copies were kept).")
    )
    if args.no_browser_launch:
        return 0
    first = sorted(p.name for p in workspace.glob("0*.ipynb"))
    return _run_lab(workspace, first[0] if first else None)


def _copy_notebook(source: Path, target: Path, *, facilitator: bool) -> None:
    """Copy one notebook; a participant's copy leaves out the facilitator's speaker notes."""
    if facilitator:
        shutil.copy2(source, target)
        return
    # at call time: the pages' notebook filter loads only for `open`
    from kit.pages.participant import participant_notebook

    nb = participant_notebook(json.loads(source.read_text(encoding="utf-8")), page=False)
    write_atomic(target, (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def _run_lab(workspace: Path, notebook: str | None) -> int:
    """Run JupyterLab until it stops or Ctrl+C; on Ctrl+C let it shut down cleanly.

    JupyterLab runs in its own session, so the terminal's Ctrl+C reaches only this process,
    which asks the server to stop (SIGTERM: it closes its kernels and removes its runtime
    files) instead of the server's own "Shutdown this Jupyter server (y/[n])?" prompt.
    """
    port = _free_port()
    token = secrets.token_urlsafe(24)
    command = lab_command(
        workspace,
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        *([notebook] if notebook else []),
    )
    page = f"lab/tree/{quote(notebook)}" if notebook else "lab"
    print("Open the workshop at this link (it carries a private key: keep it to yourself):")
    print(f"  http://127.0.0.1:{port}/{page}?token={token}")
    print("Press Ctrl+C here to stop; your answers are saved as you go.", flush=True)
    process = subprocess.Popen(
        command, cwd=workspace, env=lab_env(), start_new_session=os.name == "posix"
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        print("\nStopping JupyterLab ...", file=sys.stderr, flush=True)
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print("Stopped. Your answers are saved.", file=sys.stderr)
        return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
