"""The ``workshop-kit`` command: one ``main(argv) -> int``, tested in-process."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from kit._files import write_atomic
from kit._resources import COMMAND, jupyter_config_dir, notebooks_dir
from kit.content import ContentError

if TYPE_CHECKING:
    from kit.content import Content
    from kit.room.pictures import RoomPicture

__all__ = ["LAB_QUIET", "lab_command", "lab_env", "main"]

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


def _check(args: argparse.Namespace) -> int:
    from kit.content import ContentError, load_content

    folder = Path(args.folder)
    try:
        content = load_content(folder)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print(
            f"\nFix these in {folder} and run 'workshop-kit check {folder}' again.", file=sys.stderr
        )
        return 1
    print(
        f"{folder}: the content is valid ({len(content.cards)} cards, "
        f"{len(content.activities)} activities, {len(content.roles)} roles, "
        f"{len(content.statements)} statements, {len(content.sources)} sources)."
    )
    return 0


def _open(args: argparse.Namespace) -> int:
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
    from kit.pages.participant import participant_notebook  # here: asyncio only for `open`

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


def _home(args: argparse.Namespace) -> Path:
    from kit.answers import default_home

    return Path(args.home).expanduser() if args.home else default_home()


def _snapshot(args: argparse.Namespace) -> int:
    from kit.answers import snapshot

    home = _home(args)
    try:
        kept = snapshot(home, label=args.label)
    except OSError as exc:
        print(f"No snapshot was kept: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if kept is None:
        print(f"There are no answers in {home} to keep yet.")
        return 0
    print(f"Kept a dated copy of your answers in {kept}")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from kit.answers import clear, personal_files

    home = _home(args)
    present = [p.name for p in personal_files(home)]
    old_backups = args.no_backup and (home / "backups").is_dir()
    if not present and not old_backups:
        print(f"There is nothing of a participant in {home}; nothing to reset.")
        return 0
    what = (
        "deleted, with every earlier backup"
        if args.no_backup
        else "moved to a dated folder in backups/ (delete it when you no longer need it)"
    )
    listed = ", ".join(present) or "earlier backups only"
    print(f"This clears {listed} in {home}; they will be {what}.")
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            print(
                "Not cleared: add --yes to confirm when running without a terminal.",
                file=sys.stderr,
            )
            return 1
        if input("Clear them? Type 'yes' to confirm: ").strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    try:
        backup = clear(home, backup=not args.no_backup)
    except OSError as exc:
        print(f"Not everything was cleared: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Cleared. Backup: {backup}" if backup else "Cleared.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from kit.answers import AnswerStore, DemoStore, default_home
    from kit.content import load_content
    from kit.render.report import write_report
    from kit.synthesis import gather

    content = load_content()
    if args.demo:
        store = DemoStore()
    else:
        folder = Path(args.answers).expanduser() if args.answers else default_home()
        if not folder.is_dir():
            print(
                f"There is no answers folder at {folder}. Give the folder with "
                "--answers DIR, or use --demo for the sample participant.",
                file=sys.stderr,
            )
            return 1
        store = AnswerStore(folder)
    out = _report_target(Path(args.out).expanduser())
    journey = gather(store, content)
    for notice in journey.notices:
        print(notice, file=sys.stderr)
    written = write_report(journey, content, out, pdf=args.pdf)
    for path in written:
        print(f"Wrote {path}")
    return 0


def _report_target(out: Path) -> Path:
    """The report's file: a folder gets the usual name inside it; ``.html`` is added."""
    if out.is_dir():
        out = out / "my-leadership-path.html"
    elif out.suffix.lower() not in (".html", ".htm"):
        out = out.with_name(out.name + ".html")
        print(f"The report is a web page, so it is written as {out}.", file=sys.stderr)
    return out


def _serve(args: argparse.Namespace) -> int:
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
    print("Each page takes a few seconds to start. Press Ctrl+C here to stop.", flush=True)
    if os.name == "posix":
        # Become the server, so that Ctrl+C and a stop signal reach it directly.
        os.execve(serving.command[0], serving.command, serving.env)
    try:  # pragma: no cover - Windows
        return subprocess.call(serving.command, env=serving.env)
    except KeyboardInterrupt:  # pragma: no cover
        return 0


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
        "--folder", help="where the page notebooks are copied (default: a folder in your cache)"
    )
    serve.set_defaults(run=_serve)


# --------------------------------------------------------------------------- decks, handouts
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


def _slides(args: argparse.Namespace) -> int:
    # Imported here: nbconvert and nbclient load only for this command.
    from kit.decks import DeckError, build_decks
    from kit.decks.reveal import REVEAL_DIR

    try:
        decks = build_decks(
            args.out,
            notebooks=args.notebooks or None,
            pdf=args.pdf,
            content=args.content,
            room=args.room,
            jobs=args.jobs,
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


def _handouts(args: argparse.Namespace) -> int:
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
    slides.set_defaults(run=_slides)
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
    handouts.set_defaults(run=_handouts)


# --------------------------------------------------------------------------- room
# Each handler imports the room modules it runs, so that `workshop-kit --help` and the other
# commands never load the content models; only an export loads matplotlib.
def _room_create(args: argparse.Namespace) -> int:
    from kit.room import store

    code = store.create_room(args.rooms)
    print(code)
    print(
        f"Room {code} is open in {args.rooms or store.default_rooms()}. Participants type "
        f"{code} once to join; show it with: {COMMAND} room show {code}",
        file=sys.stderr,
    )
    return 0


def _print_room(picture: RoomPicture, content: Content) -> None:
    from kit.room.pictures import exercise_words, picture_text, skipped_words

    print(f"Room {picture.code}")
    for ex in picture.exercises.values():
        synth = f", {ex.synthetic} synthetic" if ex.synthetic else ""
        what = exercise_words(ex.exercise, content).capitalize()
        print(f"\n{what}: {ex.shared} shared{synth}")
        print(f"  {picture_text(ex, content)}")
        if ex.skipped:
            print(f"  Skipped {sum(ex.skipped.values())} file(s): {skipped_words(ex.skipped)}.")


def _room_show(args: argparse.Namespace) -> int:
    from kit.content import load_content
    from kit.room import store
    from kit.room.reader import RoomReader, room_picture

    content = load_content()
    try:
        reader = RoomReader(args.code, args.rooms)
    except store.RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not reader.exists():
        print(f"There is no open room {reader.code} in {reader.folder.parent}.", file=sys.stderr)
        return 1
    rounds, last = 0, None
    try:
        while True:
            picture = room_picture(reader.code, content, reader=reader)
            if picture != last:
                if last is not None:
                    print("\n" + "-" * 60)
                _print_room(picture, content)
                if args.export:
                    from kit.charts.room import export_charts

                    written = export_charts(picture, content, Path(args.export))
                    if written:
                        print(
                            f"\nCharts saved in {Path(args.export)}: "
                            + ", ".join(p.name for p in written)
                        )
                last = picture
            rounds += 1
            if args.watch is None or (args.rounds and rounds >= args.rounds) or not picture.open:
                break
            time.sleep(args.watch)
    except KeyboardInterrupt:
        print()
    return 0


def _room_demo(args: argparse.Namespace) -> int:
    from kit.content import load_content
    from kit.room import store
    from kit.room.demo import fill_demo

    try:
        written = fill_demo(args.code, args.people, load_content(), args.rooms, args.seed)
    except (store.RoomError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    code = store.normalize_code(args.code)
    print(
        f"Room {code}: {args.people} synthetic participants shared ({written} files). "
        f"See it with: {COMMAND} room show {code}"
    )
    return 0


def _room_close(args: argparse.Namespace) -> int:
    from kit.room import store
    from kit.room.archive import close_room

    try:
        code = store.normalize_code(args.code)
        if not store.room_exists(code, args.rooms):
            rooms = args.rooms or store.default_rooms()
            print(f"There is no open room {code} in {rooms}.", file=sys.stderr)
            return 1
    except store.RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.delete and not args.yes:
        print(f"This deletes room {code} and every share in it, with no archive.")
        if not sys.stdin or not sys.stdin.isatty():
            print(
                "Not deleted: add --yes to confirm when running without a terminal.",
                file=sys.stderr,
            )
            return 1
        if input("Delete it? Type 'yes' to confirm: ").strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    archive = close_room(code, args.rooms, delete=args.delete, archive_dir=args.to)
    print(
        f"Room {code} is closed and deleted."
        if archive is None
        else f"Room {code} is closed; its shares are archived in {archive}"
    )
    return 0


def _add_room_commands(sub: Any) -> None:
    """Add ``room create|show|demo|close``: the room's anonymous picture for the debrief."""
    room = sub.add_parser("room", help="anonymous room results for the debrief")
    verbs = room.add_subparsers(dest="room_command", required=True, metavar="ACTION")
    rooms_help = "the rooms folder (default: $WORKSHOP_KIT_ROOMS or your data folder)"

    create = verbs.add_parser("create", help="open a new room and print its code")
    create.add_argument("--rooms", help=rooms_help)
    create.set_defaults(run=_room_create)

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
    show.set_defaults(run=_room_show)

    demo = verbs.add_parser(
        "demo", help="fill a room with synthetic participants (rehearsals, tests)"
    )
    demo.add_argument("code", help="the room code (the room is created if needed)")
    demo.add_argument("--people", type=int, default=12, help="how many (default: 12)")
    demo.add_argument(
        "--seed", type=int, default=1, help="the same seed gives the same people (default: 1)"
    )
    demo.add_argument("--rooms", help=rooms_help)
    demo.set_defaults(run=_room_demo)

    close = verbs.add_parser("close", help="close a room: archive it to a dated zip, or delete it")
    close.add_argument("code", help="the room code")
    close.add_argument("--delete", action="store_true", help="delete, keeping no archive")
    close.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    close.add_argument(
        "--to", metavar="FOLDER", help="where the archive goes (default: <rooms>/archive)"
    )
    close.add_argument("--rooms", help=rooms_help)
    close.set_defaults(run=_room_close)


def _parser() -> argparse.ArgumentParser:
    from kit import __version__

    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description="Leadership workshop kit: should I keep doing hands-on work?",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate a content folder and list every problem")
    check.add_argument("folder", help="a folder holding some of the kit's YAML files")
    check.set_defaults(run=_check)
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
    open_.set_defaults(run=_open)
    home_help = "the participant folder (default: $WORKSHOP_KIT_HOME or your data folder)"
    snap = sub.add_parser("snapshot", help="keep a dated copy of all answers, for a check-in later")
    snap.add_argument("--home", help=home_help)
    snap.add_argument("--label", help="a word added to the snapshot's name")
    snap.set_defaults(run=_snapshot)
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
    reset.set_defaults(run=_reset)
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
    rep.set_defaults(run=_report)
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
