"""The ``workshop-kit`` command: one ``main(argv) -> int``, tested in-process."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kit import __version__
from kit._resources import COMMAND
from kit.commands import decks as run_decks
from kit.commands import lab as run_lab
from kit.commands import participant as run_participant
from kit.commands import room as run_room
from kit.commands import serve as run_serve
from kit.content import ContentError
from kit.room.pictures import LOWEST_MIN_PEOPLE, MIN_PEOPLE

if TYPE_CHECKING:
    pass

__all__ = ["main"]


def _add_serve_command(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve",
        help="open the exercises as code-free pages in the browser (Voila, this machine only)",
    )
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve.add_argument(
        "--home", help="the participant folder (default: $WORKSHOP_KIT_HOME or your data folder)"
    )
    serve.add_argument(
        "--folder",
        help="where the pages (one small notebook per step) are written "
        "(default: a folder in your cache)",
    )
    serve.set_defaults(run=run_serve.serve)


def _add_deck_commands(sub: Any) -> None:
    """Add ``workshop-kit slides`` and ``workshop-kit handouts``."""
    slides = sub.add_parser(
        "slides",
        help="build an offline slide deck per notebook and "
        "one for the whole workshop (with --pdf, PDFs too)",
    )
    slides.add_argument(
        "--out", default="slides", metavar="DIR", help="folder for the decks (default: ./slides)"
    )
    slides.add_argument(
        "--pdf", action="store_true", help="also print each deck to PDF with headless Chromium"
    )
    slides.add_argument(
        "--content", metavar="DIR", help="a content folder of your own for the notebooks to use"
    )
    slides.add_argument(
        "--room",
        metavar="FILE",
        help="your own pair-work and timing slides (a copy of the kit's templates/room.yaml)",
    )
    slides.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="how many kernels run the notebooks side by side "
        "(default: the number of CPUs, at most 4)",
    )
    slides.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="only these notebooks (default: all the kit's notebooks)",
    )
    slides.add_argument(
        "--room-pictures",
        metavar="CODE",
        help="show this room's pictures on the room slides (default: a rehearsal room)",
    )
    slides.add_argument("--rooms", help="the rooms folder of --room-pictures")
    slides.set_defaults(run=run_decks.slides)
    handouts = sub.add_parser(
        "handouts",
        help="print-ready handouts from the content: card "
        "deck, week worksheet, questionnaire, commitments (HTML, PDF)",
    )
    handouts.add_argument(
        "--out",
        default="handouts",
        metavar="DIR",
        help="folder for the handouts (default: ./handouts)",
    )
    handouts.add_argument(
        "--content", metavar="DIR", help="a content folder of your own (default: the kit's content)"
    )
    handouts.add_argument("--html-only", action="store_true", help="write the HTML only, no PDF")
    handouts.set_defaults(run=run_decks.handouts)


def _add_projector_commands(verbs: Any, rooms_help: str) -> None:
    """Add ``room present`` and ``room export``: the projector and the debrief's files."""
    present = verbs.add_parser(
        "present", help="show the room on the big screen (a page on this machine, Voila)"
    )
    present.add_argument("code", help="the room code, e.g. K7RM4Q")
    present.add_argument(
        "--join-url",
        metavar="URL",
        help="the link participants open (the hub's address): shown as a QR code; "
        "without it, no QR code",
    )
    present.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    present.add_argument(
        "--copy-to",
        metavar="DIR",
        help="on a hub: copy the page into DIR of your own server instead of serving it",
    )
    present.add_argument("--rooms", help=rooms_help)
    present.set_defaults(run=run_room.present)
    export = verbs.add_parser(
        "export",
        help="write the debrief's files: aggregates (CSV), pictures (PNG), one-page PDF",
    )
    export.add_argument("code", help="the room code")
    export.add_argument(
        "--out", metavar="FOLDER", help="where the files go (default: ./room-CODE-debrief)"
    )
    export.add_argument("--rooms", help=rooms_help)
    export.set_defaults(run=run_room.export)


def _add_room_commands(sub: Any) -> None:
    """Add ``room create|show|demo|close``: the room's anonymous picture for the debrief."""
    room = sub.add_parser("room", help="anonymous room results for the debrief")
    verbs = room.add_subparsers(dest="room_command", required=True, metavar="ACTION")
    rooms_help = "the rooms folder (default: $WORKSHOP_KIT_ROOMS or your data folder)"

    create = verbs.add_parser("create", help="open a new room and print its code")
    create.add_argument("--rooms", help=rooms_help)
    create.add_argument(
        "--min-people",
        type=int,
        default=MIN_PEOPLE,
        metavar="N",
        help="people before a picture shows, and changes between two pictures "
        f"(default: {MIN_PEOPLE}; at least {LOWEST_MIN_PEOPLE})",
    )
    create.set_defaults(run=run_room.create)

    show = verbs.add_parser("show", help="print the room's picture (and save its charts)")
    show.add_argument("code", help="the room code, e.g. K7RM4Q")
    show.add_argument("--rooms", help=rooms_help)
    show.add_argument(
        "--export",
        metavar="FOLDER",
        help="save each chart as a PNG with its text summary beside it, for the debrief slides",
    )
    show.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        nargs="?",
        const=5.0,
        help="keep showing the room as people share (Ctrl-C to stop)",
    )
    show.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)
    show.set_defaults(run=run_room.show)

    demo = verbs.add_parser(
        "demo", help="fill a room with synthetic participants (rehearsals, tests)"
    )
    demo.add_argument("code", help="the room code (the room is created if needed)")
    demo.add_argument("--people", type=int, default=12, help="how many (default: 12)")
    demo.add_argument(
        "--seed", type=int, default=1, help="the same seed gives the same people (default: 1)"
    )
    demo.add_argument("--rooms", help=rooms_help)
    demo.set_defaults(run=run_room.demo)

    close = verbs.add_parser("close", help="close a room: archive it to a dated zip, or delete it")
    close.add_argument("code", help="the room code")
    close.add_argument("--delete", action="store_true", help="delete, keeping no archive")
    close.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    close.add_argument(
        "--to", metavar="FOLDER", help="where the archive goes (default: <rooms>/archive)"
    )
    close.add_argument("--rooms", help=rooms_help)
    close.set_defaults(run=run_room.close)
    _add_projector_commands(verbs, rooms_help)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Leadership workshop kit: should I keep doing hands-on work?",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate a content folder and list every problem")
    check.add_argument("folder", help="a folder holding some of the kit's YAML files")
    check.set_defaults(run=run_participant.check)
    open_ = sub.add_parser(
        "open", help="copy the workshop notebooks to a folder and open them in JupyterLab"
    )
    open_.add_argument(
        "folder", nargs="?", default="workshop", help="where the notebooks go (default: ./workshop)"
    )
    open_.add_argument(
        "--facilitator",
        action="store_true",
        help="also copy the facilitator's room notebook (90-room)",
    )
    open_.add_argument(
        "--no-browser-launch",
        action="store_true",
        help="only make the workspace, do not start JupyterLab",
    )
    open_.set_defaults(run=run_lab.open_workspace)
    home_help = "the participant folder (default: $WORKSHOP_KIT_HOME or your data folder)"
    snap = sub.add_parser("snapshot", help="keep a dated copy of all answers, for a check-in later")
    snap.add_argument("--home", help=home_help)
    snap.add_argument("--label", help="a word added to the snapshot's name")
    snap.set_defaults(run=run_participant.snapshot)
    reset = sub.add_parser(
        "reset",
        help="clear the answers on this machine between cohorts (asks first, keeps a dated backup)",
    )
    reset.add_argument("--home", help=home_help)
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset.add_argument(
        "--no-backup",
        action="store_true",
        help="delete everything instead "
        "of keeping a backup, earlier backups included (for shared laptops)",
    )
    reset.set_defaults(run=run_participant.reset)
    rep = sub.add_parser(
        "report",
        help="write the personal report (HTML, and PDF with --pdf) from a participant's answers",
    )
    source = rep.add_mutually_exclusive_group()
    source.add_argument("--answers", metavar="DIR", help=home_help)
    source.add_argument("--demo", action="store_true", help="use the sample participant")
    rep.add_argument(
        "--out",
        default="my-leadership-path.html",
        help="the HTML file to write (default: %(default)s)",
    )
    rep.add_argument("--pdf", action="store_true", help="also write a PDF beside it")
    rep.set_defaults(run=run_participant.report)
    _add_deck_commands(sub)
    # Feature modules add their own subcommands, one line each, with
    # `from kit.<module> import add_commands as <name>` at call time and `<name>(sub)`:
    # ---- feature commands (one line each, keep them sorted) ----
    _add_room_commands(sub)
    _add_serve_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``workshop-kit`` with ``argv`` and return its exit status.

    Mistakes a person can fix (a file that cannot be written, content that does not
    validate) end in one plain message and exit status 1, never a traceback; Ctrl+C ends
    quietly with status 130.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except ContentError as exc:
        print(exc.explain(), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{COMMAND}: {_os_error(exc)}", file=sys.stderr)
        return 1


def _os_error(exc: OSError) -> str:
    """One sentence for a file-system error: which file, and what went wrong."""
    reason = exc.strerror or str(exc)
    where = exc.filename if exc.filename is not None else ""
    if isinstance(exc, IsADirectoryError):
        return f"{where} is a folder; give a file name inside it instead."
    if isinstance(exc, PermissionError):
        return f"cannot write {where}: permission denied. Choose a folder you can write to."
    return f"{where}: {reason}" if where else reason


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
