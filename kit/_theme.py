"""The kit's look: the stylesheet shared by the exercises and the participant pages.

``widgets/theme.css`` is read once, here, so that the widgets themselves do no file I/O:
:mod:`kit.widgets._base` shows it once per exercise (JupyterLab), and
:mod:`kit.pages.settings` hands it to the page template (Voila).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["THEME_FILE", "theme_css"]

THEME_FILE = Path(__file__).resolve().parent / "widgets" / "theme.css"


@cache
def theme_css() -> str:
    """Return the kit's stylesheet (CSS text)."""
    return THEME_FILE.read_text(encoding="utf-8")
