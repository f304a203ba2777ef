"""A static HTML picture of a live widget tree, for exports where no kernel runs.

nbconvert and slide decks cannot run widgets. Every exercise widget therefore adds a
``text/html`` snapshot to its display bundle: the text it shows, the choices made, the
slider values and the charts drawn, as plain HTML with no scripts and nothing remote.
``workshop-kit slides`` also uses :func:`snapshot_html` for any other widget a notebook
shows, so a deck never shows a blank space or ``VBox(...)`` where a widget was.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import _Bool
from ipywidgets.widgets.widget_float import _Float, _FloatRange
from ipywidgets.widgets.widget_int import _Int, _IntRange
from ipywidgets.widgets.widget_selection import _MultipleSelection, _Selection
from ipywidgets.widgets.widget_selectioncontainer import _SelectionContainer

__all__ = ["output_html", "snapshot_html"]

_esc = html.escape


def _hidden(w: widgets.Widget) -> bool:
    layout = getattr(w, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _described(w: widgets.Widget, shown: str) -> str:
    desc = getattr(w, "description", "") or ""
    return f"<div>{_esc(desc) + ' ' if desc else ''}<b>{shown}</b></div>"


def _bar(w: widgets.Widget) -> str:
    span = (w.max - w.min) or 1
    pct = max(0.0, min(100.0, 100 * (w.value - w.min) / span))
    desc = f"<span>{_esc(w.description)}</span> " if w.description else ""
    return (
        f"<div>{desc}<div style='display:inline-block;vertical-align:middle;"
        f"background:#eee;width:220px;height:10px'><div style='background:#0072B2;"
        f"width:{pct:.0f}%;height:10px'></div></div></div>"
    )


def output_html(output: Mapping[str, Any]) -> str:
    """Return static HTML for one Jupyter output (as held by an ``Output`` widget)."""
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        return f"<pre>{_esc(text)}</pre>" if output.get("name") != "stderr" and text else ""
    data = output.get("data") or {}
    if "text/html" in data:
        return f"<div>{data['text/html']}</div>"  # made by the kit's own display objects
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            alt = _esc(str(data.get("text/plain", "")), quote=True)
            return (
                f'<img src="data:{mime};base64,{data[mime]}" alt="{alt}" '
                'style="max-width:100%;height:auto">'
            )
    if "text/plain" in data and "application/vnd.jupyter.widget-view+json" not in data:
        return f"<pre>{_esc(str(data['text/plain']))}</pre>"
    return ""


#: Parts of a live exercise that speak of the live session (where answers are saved, that a
#: sample participant's answers are shown): true in a notebook, wrong on a projected slide.
LIVE_ONLY = "wk-notice"


def _render(w: widgets.Widget) -> str:
    if _hidden(w) or LIVE_ONLY in getattr(w, "_dom_classes", ()):
        return ""
    if isinstance(w, (widgets.HTML, widgets.HTMLMath)):
        return f"<div>{w.value}</div>"  # already escaped by the widget that built it
    if isinstance(w, widgets.Label):
        return f"<div>{_esc(w.value)}</div>" if w.value else ""
    if isinstance(w, widgets.Image):
        if not w.value:
            return ""
        data = base64.b64encode(bytes(w.value)).decode("ascii")
        alt = _esc(getattr(w, "tooltip", None) or "", quote=True)
        return (
            f'<img src="data:image/{w.format};base64,{data}" alt="{alt}" '
            'style="max-width:100%;height:auto">'
        )
    if isinstance(w, widgets.Output):
        return "".join(output_html(o) for o in w.outputs)
    if isinstance(w, _MultipleSelection):
        return _described(w, _esc(", ".join(map(str, w.label))) if w.label else "–")
    if isinstance(w, _Selection):
        return _described(w, _esc(str(w.label)) if w.index is not None else "–")
    if isinstance(w, (widgets.IntProgress, widgets.FloatProgress)):
        return _bar(w)
    if isinstance(w, (_IntRange, _FloatRange)):
        low, high = w.value
        return _described(w, f"{_number(low)} – {_number(high)}")
    if isinstance(w, (_Int, _Float)):
        return _described(w, _number(w.value))
    if isinstance(w, (widgets.Text, widgets.Textarea)):
        return f"<div><i>{_esc(w.value)}</i></div>" if w.value else ""
    if isinstance(w, _Bool):
        return f"<div>{_esc(w.description)}: yes</div>" if w.value else ""
    if isinstance(w, widgets.Button):
        return ""  # a static picture has nothing to press
    if isinstance(w, _SelectionContainer):  # Tab, Accordion, Stack: show every page
        parts = []
        for i, child in enumerate(w.children):
            title = w.titles[i] if i < len(w.titles) else ""
            heading = f"<h4>{_esc(title)}</h4>" if title else ""
            parts.append(f"{heading}{_render(child)}")
        return "".join(parts)
    if isinstance(w, widgets.Box):
        inner = "".join(_render(c) for c in w.children)
        if isinstance(w, widgets.HBox):
            return f"<div style='display:flex;gap:12px;flex-wrap:wrap'>{inner}</div>"
        return f"<div>{inner}</div>"
    return ""


def snapshot_html(widget: widgets.Widget) -> str:
    """Return a static, script-free HTML rendering of ``widget`` as it is now."""
    return (
        f"<div class='wk-snapshot' style='font-family:sans-serif;line-height:1.4'>"
        f"{_render(widget)}</div>"
    )
