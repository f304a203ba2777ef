"""The ``workshop-kit`` command: one ``main(argv) -> int``, tested in-process."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

__all__ = ["main", "notebooks_dir"]

# JupyterLab settings that keep the workshop quiet and offline: no news, no update check,
# no extension manager calling out (shared/notes/tested-recipes.md).
LAB_QUIET = (
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
)


def notebooks_dir() -> Path:
    """Return the folder of the workshop notebooks that ship with the kit."""
    packaged = Path(str(resources.files("kit") / "_notebooks"))
    if packaged.is_dir():
        return packaged
    # An editable install of a checkout: the notebooks sit beside the package.
    return Path(__file__).resolve().parent.parent / "notebooks"


def _check(args: argparse.Namespace) -> int:
    from kit.content import ContentError, load_content

    folder = Path(args.folder)
    try:
        content = load_content(folder)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print(f"\nFix these in {folder} and run 'workshop-kit check {folder}' again.",
              file=sys.stderr)
        return 1
    print(f"{folder}: the content is valid ({len(content.cards)} cards, "
          f"{len(content.activities)} activities, {len(content.roles)} roles, "
          f"{len(content.statements)} statements, {len(content.sources)} sources).")
    return 0


def _open(args: argparse.Namespace) -> int:
    workspace = Path(args.folder).expanduser().resolve()
    source = notebooks_dir()
    workspace.mkdir(parents=True, exist_ok=True)
    copied = []
    for nb in sorted(source.glob("*.ipynb")):
        target = workspace / nb.name
        if not target.exists():  # never overwrite a participant's own copy
            shutil.copy2(nb, target)
            copied.append(nb.name)
    print(f"Workshop notebooks are in {workspace}"
          + (f" ({len(copied)} new)." if copied else " (your copies were kept)."))
    if args.no_browser_launch:
        return 0
    command = [sys.executable, "-m", "jupyter", "lab", *LAB_QUIET,
               f"--ServerApp.root_dir={workspace}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    first = sorted(p.name for p in workspace.glob("0*.ipynb"))
    if first:
        command.append(first[0])
    return subprocess.call(command, cwd=workspace)


def _parser() -> argparse.ArgumentParser:
    from kit import __version__

    parser = argparse.ArgumentParser(
        prog="workshop-kit",
        description="Leadership workshop kit: should I keep doing hands-on work?")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate a content folder and list every problem")
    check.add_argument("folder", help="a folder holding some of the kit's YAML files")
    check.set_defaults(run=_check)
    open_ = sub.add_parser("open", help="copy the workshop notebooks to a folder and open "
                           "them in JupyterLab")
    open_.add_argument("folder", nargs="?", default="workshop",
                       help="where the notebooks go (default: ./workshop)")
    open_.add_argument("--no-browser-launch", action="store_true",
                       help="only make the workspace, do not start JupyterLab")
    open_.set_defaults(run=_open)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``workshop-kit`` with ``argv`` and return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
