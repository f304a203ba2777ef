"""The ``{placeholders}`` of the words on screen: find them, check them, fill them in.

A text in ``ui.yaml`` may name values the kit fills in, such as ``{sorted} of {total}
sorted``. Facilitators edit these texts, so they are never handed to ``str.format``, which
evaluates attribute and index access (``{total.__class__.__mro__}``). A placeholder is a plain
lower-case name in curly braces, nothing else, and curly braces have no other use. Nothing here
imports the rest of the kit.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from typing import Any

__all__ = ["fill", "placeholders"]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARSER = string.Formatter()


@functools.lru_cache(maxsize=1024)  # texts are few and filled in on every redraw
def _parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """Split ``template`` into (literal text, placeholder name or None), or raise ValueError."""
    try:
        parsed = list(_PARSER.parse(template))
    except ValueError:
        raise ValueError(
            "has a '{' or '}' that does not enclose a placeholder; curly braces are kept "
            "for placeholders such as {total}"
        ) from None
    out = []
    for literal, name, spec, conversion in parsed:
        if "{" in literal or "}" in literal:  # written as '{{' or '}}'
            raise ValueError(
                "has a doubled '{{' or '}}'; curly braces are kept for placeholders such as {total}"
            )
        if name is not None and (not _NAME_RE.match(name) or spec or conversion):
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise ValueError(
                f"has the placeholder {shown[:40]}; a placeholder is a plain name in curly "
                "braces, such as {total}, with no dots, brackets, '!' or ':'"
            )
        out.append((literal, name))
    return tuple(out)


def placeholders(template: str) -> frozenset[str]:
    """Return the placeholder names of ``template``.

    Raises
    ------
    ValueError
        If a brace is stray or doubled, or a placeholder is not a plain name (the message
        completes a sentence that starts with the text's key).
    """
    return frozenset(name for _, name in _parts(template) if name is not None)


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Return ``template`` with each ``{name}`` replaced by ``str(values[name])``.

    Only plain names are looked up; nothing in the template is evaluated.

    Raises
    ------
    ValueError
        If the template is not a valid text (see :func:`placeholders`).
    KeyError
        If a placeholder has no value.
    """
    return "".join(
        literal + ("" if name is None else str(values[name])) for literal, name in _parts(template)
    )
