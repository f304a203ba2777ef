"""``workshop-kit serve``: the code-free pages for one person on this machine.

The handlers of the command line (:mod:`kit.cli` holds every option and calls these):
each takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any


def serve(args: Any) -> int:
    # at call time: each command loads only what it runs, so the others start fast
    from kit.serve import prepare

    serving = prepare(
        port=args.port,
        home=Path(args.home) if args.home else None,
        folder=Path(args.folder) if args.folder else None,
    )
    first, *others = serving.urls
    print("Open the workshop at this link (it carries a private key: keep it to yourself):")
    print(f"  {first}")
    if others:
        print("The other pages, once the first has been opened in the same browser:")
        for url in others:
            print(f"  {url}")
    print(
        "The first page takes a few seconds to start; Next is quicker. Press Ctrl+C here to stop.",
        flush=True,
    )
    if os.name == "posix":
        # Become the server, so that Ctrl+C and a stop signal reach it directly.
        os.execve(serving.command[0], serving.command, serving.env)
    try:  # pragma: no cover - Windows
        return subprocess.call(serving.command, env=serving.env)
    except KeyboardInterrupt:  # pragma: no cover
        return 0
