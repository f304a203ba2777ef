"""The ``workshop-kit`` command: one ``main(argv) -> int``, tested in-process."""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from kit._resources import COMMAND, jupyter_config_dir, notebooks_dir

__all__ = ["LAB_QUIET", "lab_command", "lab_env", "main"]

# JupyterLab settings that keep the workshop quiet and offline: no news, no update check,
# no extension manager calling out (shared/notes/tested-recipes.md).
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
            shutil.copy2(nb, target)
            copied.append(nb.name)
    print(
        f"Workshop notebooks are in {workspace}"
        + (f" ({len(copied)} new)." if copied else " (your copies were kept).")
    )
    if args.no_browser_launch:
        return 0
    first = sorted(p.name for p in workspace.glob("0*.ipynb"))
    command = lab_command(workspace, *first[:1])
    return subprocess.call(command, cwd=workspace, env=lab_env())


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
    from kit.report import write_report
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
    journey = gather(store, content)
    for notice in journey.notices:
        print(notice, file=sys.stderr)
    written = write_report(journey, content, args.out, pdf=args.pdf)
    for path in written:
        print(f"Wrote {path}")
    return 0


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
    # Feature modules add their own subcommands, one line each, with
    # `from kit.<module> import add_commands as <name>` at call time and `<name>(sub)`:
    # ---- feature commands (one line each, keep them sorted) ----
    importlib.import_module("kit.room").add_commands(sub)
    importlib.import_module("kit.serve").add_commands(sub)
    importlib.import_module("kit.slides").add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``workshop-kit`` with ``argv`` and return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
