"""The participant pages' Voila settings, in one place for every server that shows them.

``workshop-kit serve`` (standalone Voila) reads them through ``config/voila.py``; a Jupyter
server with Voila as an extension (a JupyterHub user server) through
``config/jupyter_server_config.py``. Both files only call :func:`configure`.
"""

from __future__ import annotations

from typing import Any

from kit._theme import theme_css
from kit.pages.participant import prelaunch
from kit.pages.templates import share_compiled_templates

__all__ = ["IDLE_KERNEL_SECONDS", "TEMPLATE", "configure", "voila_settings"]

#: The kit's Voila template (in ``kit/pages/jupyter/voila/templates``).
TEMPLATE = "workshop"
#: A page left open with nobody at it gives its kernel back after this long. Connected pages
#: keep theirs; Next and Back step on in the same kernel, and a page opened by its address
#: (a reload, a bookmark) ends the previous page's kernel at once.
IDLE_KERNEL_SECONDS = 20 * 60


def voila_settings() -> dict[str, Any]:
    """Return the settings as plain data (what :func:`configure` sets), for tests and docs."""
    return {
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "theme": "light",
            "show_tracebacks": False,
            "resources": {
                "theme_css": theme_css(),  # the exercises' look, for the whole page
            },
        },
        "MappingKernelManager": {
            "cull_idle_timeout": IDLE_KERNEL_SECONDS,
            "cull_interval": 60,
        },
    }


def configure(c: Any) -> None:
    """Apply the participant pages' settings to a traitlets config object ``c``."""
    for section, values in voila_settings().items():
        for key, value in values.items():
            setattr(getattr(c, section), key, value)
    # A callable cannot live in a JSON config: it keeps one live kernel per participant and
    # runs the pages in the page kernel (see kit.pages.participant).
    c.VoilaConfiguration.prelaunch_hook = prelaunch
    share_compiled_templates()
