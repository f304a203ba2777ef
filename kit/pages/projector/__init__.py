"""The projector page: ``projector.ipynb`` beside this file, and how to serve it.

The page is one code-free notebook that calls :func:`kit.widgets.projector.projector_page`;
its metadata picks the ``projector`` Voila template (large type, the facilitator's keys),
so it looks the same wherever it is opened:

- ``workshop-kit room present CODE`` serves this folder with Voila on 127.0.0.1
  (:func:`present`), with a token as ``workshop-kit serve`` has;
- on a hub, the facilitator copies the page into their own server (``room present CODE
  --copy-to DIR``) and opens ``/voila/render/<DIR>/projector.ipynb?room=CODE``.

Either way the page shows the room only to the server that runs it (see
:mod:`kit.room.projector`). Nothing here imports the command line.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from urllib.parse import urlencode

from kit._resources import jupyter_data_dir
from kit.serve import Serving, free_port
from kit.serve import voila_command as serve_command

__all__ = ["PAGE", "TEMPLATE", "copy_page", "page_query", "present", "voila_command"]

#: The page, shipped in the package.
PAGE = Path(__file__).resolve().parent / "projector.ipynb"
#: The page's Voila template (``kit/pages/jupyter/voila/templates/projector``).
TEMPLATE = "projector"


def page_query(code: str, join_url: str = "") -> str:
    """Return the page's query string: the room, and the join link for the QR code."""
    return urlencode({"room": code, **({"join": join_url} if join_url else {})})


def voila_command(folder: Path, port: int, token: str) -> list[str]:
    """Return the Voila command line that serves the projector in ``folder`` on 127.0.0.1.

    Unlike the participant pages, no pre-launch hook ends the facilitator's other kernels,
    and a connected projector keeps its kernel for as long as the debrief lasts.
    """
    return [
        *serve_command(folder, port, token),
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
    ]


def _env(rooms: str | os.PathLike[str] | None) -> dict[str, str]:
    """The server's environment: the kit's Voila templates on ``JUPYTER_PATH``, the rooms."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(jupyter_data_dir()), env.get("JUPYTER_PATH")) if p
    )
    if rooms is not None:
        env["WORKSHOP_KIT_ROOMS"] = str(Path(rooms).expanduser().resolve())
    return env


def present(
    code: str,
    *,
    join_url: str = "",
    port: int = 0,
    rooms: str | os.PathLike[str] | None = None,
    token: str | None = None,
) -> Serving:
    """Return how to serve the projector of room ``code`` (command, environment, URL)."""
    port = port or free_port()
    token = secrets.token_urlsafe(24) if token is None else token
    query = page_query(code, join_url)
    auth = f"token={token}&" if token else ""
    url = f"http://127.0.0.1:{port}/voila/render/{PAGE.name}?{auth}{query}"
    return Serving(voila_command(PAGE.parent, port, token), _env(rooms), [url], token)


def copy_page(folder: str | os.PathLike[str]) -> Path:
    """Copy the page into ``folder`` (a hub user's own server) and return the copy."""
    target = Path(folder).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(PAGE, target / PAGE.name))
