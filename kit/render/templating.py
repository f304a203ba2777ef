"""The kit's Jinja2 environment: the templates of ``kit/templates``, autoescape on.

Every HTML page the kit writes itself (report, handouts, the room slides of the decks) is
rendered here, so that all content and participant text is escaped by one rule: a value is
escaped unless the Python side marked it :class:`markupsafe.Markup` on purpose (a chart's
``<figure>``, which escapes its own text).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from kit._resources import templates_dir

__all__ = ["environment", "render"]


@cache
def environment() -> jinja2.Environment:
    """Return the shared environment (built once)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt name fails loudly, never prints ""
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **values: Any) -> str:
    """Render the template ``name`` (a path under ``kit/templates``) with ``values``."""
    return environment().get_template(name).render(**values)
