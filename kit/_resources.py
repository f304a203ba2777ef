"""Where the kit's packaged files are, and the app name, written once.

Everything that needs a packaged folder (notebooks, templates, Jupyter settings, Voila
templates) asks here, so that an installed wheel and an editable checkout behave alike.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = [
    "APP_NAME",
    "COMMAND",
    "DISTRIBUTION",
    "PACKAGE_DIR",
    "jupyter_config_dir",
    "jupyter_data_dir",
    "notebooks_dir",
    "templates_dir",
    "voila_config_dir",
]

#: The name of the distribution, also used for the per-user data folder.
DISTRIBUTION = "leadership-workshop-kit"
#: The name people type.
COMMAND = "workshop-kit"
#: The name of the product in sentences.
APP_NAME = "Leadership workshop kit"

PACKAGE_DIR = Path(__file__).resolve().parent


def notebooks_dir() -> Path:
    """Return the folder of the workshop notebooks that ship with the kit."""
    packaged = Path(str(resources.files("kit") / "_notebooks"))
    if packaged.is_dir():
        return packaged
    # An editable install of a checkout: the notebooks sit beside the package.
    return PACKAGE_DIR.parent / "notebooks"


def templates_dir() -> Path:
    """Return the folder of the kit's templates (nbconvert, Jinja2, room slides)."""
    return PACKAGE_DIR / "templates"


def jupyter_config_dir() -> Path:
    """Return the kit's Jupyter config folder (added to ``JUPYTER_CONFIG_PATH``)."""
    return PACKAGE_DIR / "jupyter_config"


def jupyter_data_dir() -> Path:
    """Return the pages' Jupyter data folder (Voila templates; added to ``JUPYTER_PATH``)."""
    return PACKAGE_DIR / "pages" / "jupyter"


def voila_config_dir() -> Path:
    """Return the pages' Jupyter config folder (Voila settings; on ``JUPYTER_CONFIG_PATH``)."""
    return PACKAGE_DIR / "pages" / "config"
