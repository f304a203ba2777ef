"""A static HTML picture of a live widget tree, for exports where no kernel runs.

nbconvert and slide decks cannot run widgets. Every exercise widget therefore adds a
``text/html`` snapshot to its display bundle: the text it shows, the choices made, the
slider values and the charts drawn, as plain HTML with no scripts and nothing remote.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets

__all__ = ["snapshot_html"]


def _hidden(w: widgets.Widget) -> bool:
    layout = getattr(w, "layout", None)
    return layout is not None and layout.display == "none"


def _render(w: widgets.Widget) -> str:
    if _hidden(w):
        return ""
    esc = html.escape
    if isinstance(w, widgets.HTML):
        return f"<div>{w.value}</div>"  # already escaped by the widget that built it
    if isinstance(w, widgets.Label):
        return f"<div>{esc(w.value)}</div>" if w.value else ""
    if isinstance(w, widgets.Image):
        if not w.value:
            return ""
        data = base64.b64encode(bytes(w.value)).decode("ascii")
        return f'<img src="data:image/{w.format};base64,{data}" style="max-width:100%">'
    if isinstance(w, (widgets.ToggleButtons, widgets.RadioButtons, widgets.Dropdown)):
        chosen = w.label if w.index is not None else "–"
        desc = f"{esc(w.description)} " if w.description else ""
        return f"<div>{desc}<b>{esc(str(chosen))}</b></div>"
    if isinstance(w, (widgets.FloatSlider, widgets.IntSlider, widgets.BoundedFloatText)):
        return f"<div>{esc(w.description)} <b>{w.value:g}</b></div>"
    if isinstance(w, (widgets.IntProgress, widgets.FloatProgress)):
        pct = 100 * (w.value - w.min) / ((w.max - w.min) or 1)
        return (f"<div style='background:#eee;width:220px;height:10px'><div style='"
                f"background:#0072B2;width:{pct:.0f}%;height:10px'></div></div>")
    if isinstance(w, (widgets.Text, widgets.Textarea)):
        return f"<div><i>{esc(w.value)}</i></div>" if w.value else ""
    if isinstance(w, (widgets.Checkbox, widgets.ToggleButton)):
        return f"<div>{esc(w.description)}: {'yes' if w.value else 'no'}</div>" \
            if w.value else ""
    if isinstance(w, widgets.Button):
        return ""  # a static picture has nothing to press
    if isinstance(w, widgets.Tab):
        parts = []
        for i, child in enumerate(w.children):
            title = w.titles[i] if i < len(w.titles) else ""
            parts.append(f"<h4>{esc(title)}</h4>{_render(child)}")
        return "".join(parts)
    if isinstance(w, widgets.Box):
        inner = "".join(_render(c) for c in w.children)
        if isinstance(w, widgets.HBox):
            return f"<div style='display:flex;gap:12px;flex-wrap:wrap'>{inner}</div>"
        return f"<div>{inner}</div>"
    return ""


def snapshot_html(widget: widgets.Widget) -> str:
    """Return a static, script-free HTML rendering of ``widget`` as it is now."""
    return (f"<div class='wk-snapshot' style='font-family:sans-serif;line-height:1.4'>"
            f"{_render(widget)}</div>")
