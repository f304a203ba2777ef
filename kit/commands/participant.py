"""``workshop-kit check / snapshot / reset / report``: the participant's files, the content.

The handlers of the command line (:mod:`kit.cli` holds every option and calls these):
each takes the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from kit._resources import COMMAND
from kit.commands.room import shares_words


def check(args: Any) -> int:
    # at call time: each command loads only what it runs, so the others start fast
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


def _home(args: Any) -> Path:
    # at call time: each command loads only what it runs, so the others start fast
    from kit.answers import default_home

    return Path(args.home).expanduser() if args.home else default_home()


def snapshot(args: Any) -> int:
    # at call time: each command loads only what it runs, so the others start fast
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


def reset(args: Any) -> int:
    # at call time: `workshop-kit --help` and the other commands stay light
    from kit.answers import clear, personal_files
    from kit.room import store as room

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
    shared = shares_words(room.shared_everywhere(home))
    if shared:
        print(f"It first withdraws this participant's shares from the room: {shared}.")
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
    # Withdraw first: clearing takes away the secret that names the share files, and a
    # participant who joined again would then be counted twice.
    withdrawal = room.withdraw_everything(home)
    if withdrawal.failed:
        failed = shares_words([(code, ex) for code, ex, _ in withdrawal.failed])
        reasons = "; ".join(sorted({reason for _, _, reason in withdrawal.failed}))
        codes = " ".join(sorted({code for code, _, _ in withdrawal.failed}))
        print(
            f"Nothing was cleared: {failed} could not be withdrawn ({reasons}). Check that "
            f"the rooms folder can be written and run reset again, or ask the facilitator "
            f"to close the room ({COMMAND} room close {codes}) and then reset again.",
            file=sys.stderr,
        )
        return 1
    if withdrawal.withdrawn:
        print(f"Withdrawn from the room: {shares_words(withdrawal.withdrawn)}.")
    try:
        backup = clear(home, backup=not args.no_backup)
    except OSError as exc:
        print(f"Not everything was cleared: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Cleared. Backup: {backup}" if backup else "Cleared.")
    return 0


def report(args: Any) -> int:
    # at call time: each command loads only what it runs, so the others start fast
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
