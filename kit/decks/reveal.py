"""The local reveal.js that every deck loads from beside itself (no CDN, works offline).

The copy comes from the ``sphinx-revealjs`` package (installed by the kit's own set-up; no
Sphinx import is needed to find it), or from the folder named by ``$WORKSHOP_KIT_REVEAL``
(reveal.js 4 or 5, e.g. from npm). Only what a deck loads is copied beside the decks, so
the deck folder can be moved or put on a USB stick as a whole.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from kit.decks.errors import DeckError

__all__ = ["ENV_REVEAL", "REVEAL_DIR", "THEME", "THEME_FONTS", "copy_reveal", "reveal_source"]

#: The folder beside the decks that holds the local reveal.js.
REVEAL_DIR = "reveal.js"
#: The reveal.js theme of the decks, and the fonts it loads (from beside the deck). Themes
#: such as 'simple' or 'beige' ask Google Fonts, so they would not work offline.
THEME = "white"
THEME_FONTS = ("source-sans-pro",)
ENV_REVEAL = "WORKSHOP_KIT_REVEAL"


def reveal_source() -> Path:
    """Return the installed reveal.js folder (with ``dist/`` and ``plugin/notes/``).

    ``$WORKSHOP_KIT_REVEAL`` may name another copy (reveal.js 4 or 5, e.g. from npm);
    otherwise the copy inside the ``sphinx-revealjs`` package is used, found without
    importing Sphinx.

    Raises
    ------
    DeckError
        When no usable copy is installed.
    """
    env = os.environ.get(ENV_REVEAL)
    if env:
        candidates = [Path(env).expanduser()]
    else:
        spec = importlib.util.find_spec("sphinx_revealjs")
        places = list(spec.submodule_search_locations or []) if spec else []
        candidates = [Path(p) / "_static" / "revealjs" for p in places]
    for folder in candidates:
        if (folder / "dist" / "reveal.js").is_file() and (
            folder / "plugin" / "notes" / "notes.js"
        ).is_file():
            return folder
    where = f"{ENV_REVEAL}={env}" if env else "the sphinx-revealjs package"
    raise DeckError(
        f"No usable reveal.js found in {where} (it needs dist/reveal.js and "
        "plugin/notes/notes.js). The kit's set-up installs it: run "
        "'python3 make.py workshop' or 'pip install sphinx-revealjs'."
    )


def copy_reveal(out: Path) -> Path:
    """Copy what the decks load into ``out/reveal.js``: the script, its CSS, one theme, notes.

    Only the deck's theme is copied: other reveal.js themes ask Google Fonts for their type.
    Returns the folder written.
    """
    source, target = reveal_source(), out / REVEAL_DIR
    skip = shutil.ignore_patterns("*.map", "*.esm.js")
    (target / "dist" / "theme").mkdir(parents=True, exist_ok=True)
    for name in ("reveal.js", "reveal.css", "reset.css"):
        if (source / "dist" / name).is_file():
            shutil.copy2(source / "dist" / name, target / "dist" / name)
    theme = source / "dist" / "theme"
    shutil.copy2(theme / f"{THEME}.css", target / "dist" / "theme" / f"{THEME}.css")
    for font in THEME_FONTS:
        if (theme / "fonts" / font).is_dir():
            shutil.copytree(
                theme / "fonts" / font,
                target / "dist" / "theme" / "fonts" / font,
                dirs_exist_ok=True,
            )
    shutil.copytree(
        source / "plugin" / "notes", target / "plugin" / "notes", ignore=skip, dirs_exist_ok=True
    )
    if (source / "LICENSE").is_file():
        shutil.copy2(source / "LICENSE", target / "LICENSE")
    return target
