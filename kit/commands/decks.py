"""``workshop-kit slides / handouts``: the decks and the printable handouts.

The handlers of the command line (:mod:`kit.cli` holds every option and calls these):
each takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO


def _progress_bar(label: str, stream: TextIO, width: int = 24) -> Callable[[int, int, str], None]:
    """Return a progress callback that prints one bar line per step (readable in CI logs)."""
    start = time.perf_counter()

    def draw(done: int, total: int, what: str) -> None:
        filled = round(width * done / max(total, 1))
        bar = "#" * filled + "-" * (width - filled)
        print(
            f"{label} [{bar}] {done:>{len(str(total))}}/{total} "
            f"{time.perf_counter() - start:5.1f}s  {what}",
            file=stream,
            flush=True,
        )

    return draw


def slides(args: Any) -> int:
    # Imported here: nbconvert and nbclient load only for this command.
    from kit.content import ENV_CONTENT, load_content
    from kit.decks import DeckError, build_decks
    from kit.decks.reveal import REVEAL_DIR

    # The decks show the content the facilitator uses: --content, else WORKSHOP_KIT_CONTENT.
    content = args.content or os.environ.get(ENV_CONTENT) or None
    if content:
        load_content(Path(content))  # a bad folder stops here, in one message (see main)
    try:
        decks = build_decks(
            args.out,
            notebooks=args.notebooks or None,
            pdf=args.pdf,
            content=content,
            room=args.room,
            jobs=args.jobs,
            room_code=getattr(args, "room_pictures", None),
            rooms=getattr(args, "rooms", None),
            progress=_progress_bar("slides", sys.stderr),
        )
    except DeckError as exc:
        print(exc, file=sys.stderr)
        return 1
    for deck in decks:
        for line in deck.warnings:
            print(f"warning: {line}", file=sys.stderr)
    for deck in decks:
        extra = f" and {deck.pdf.name}" if deck.pdf else ""
        print(f"Wrote {deck.html}{extra} ({deck.slides} slides)")
    print(
        f"Open a deck in any browser; it needs no internet. Press 's' for the speaker "
        f"view, 'f' for full screen. Keep the {REVEAL_DIR} folder beside the decks."
    )
    return 0


def handouts(args: Any) -> int:
    # at call time: each command loads only what it runs, so the others start fast
    from kit.render.handouts import write_handouts
    from kit.render.pdf import PdfError

    try:
        written = write_handouts(args.out, content=args.content, pdf=not args.html_only)
    except PdfError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written.files:
        print(f"Wrote {path}")
    if written.notice:
        print(written.notice, file=sys.stderr)
    return 0
