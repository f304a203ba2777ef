"""The chart toolkit every chart shares: the palette, a blank figure, the display object.

No pyplot state is used: figures are drawn on the Agg canvas, so charts render the same in
a kernel, in a test and in an export. A chart is shown through :class:`ChartDisplay`, which
gives a PNG, an HTML ``<figure>`` whose alt text and caption carry the text summary, and
plain text, because a bare ``Figure`` shows as ``<Figure ...>`` when pyplot is not imported.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["OKABE_ITO", "PALETTE", "ChartDisplay", "new_figure"]

#: Okabe & Ito's colour-blind-safe palette (Okabe and Ito, "Color Universal Design", 2008).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: What each meaning is drawn in, defined once for every chart of the kit.
PALETTE: Mapping[str, str] = {
    "healthy": OKABE_ITO["bluish_green"],
    "watch": OKABE_ITO["vermillion"],
    "not_me": OKABE_ITO["grey"],
    "rarely": OKABE_ITO["sky_blue"],
    "sometimes": OKABE_ITO["blue"],
    "often": OKABE_ITO["orange"],
    "current": OKABE_ITO["blue"],
    "ideal": OKABE_ITO["orange"],
    "profile": OKABE_ITO["grey"],
    "gain": OKABE_ITO["bluish_green"],
    "loss": OKABE_ITO["vermillion"],
    "series": (
        OKABE_ITO["blue"],
        OKABE_ITO["orange"],
        OKABE_ITO["bluish_green"],
        OKABE_ITO["reddish_purple"],
        OKABE_ITO["sky_blue"],
        OKABE_ITO["vermillion"],
    ),
    "ink": "#222222",
    "muted": "#666666",
}


def new_figure(
    width: float = 7.0, height: float = 3.2, *, layout: str | None = "constrained"
) -> Figure:
    """Return a Figure on the Agg canvas.

    ``layout=None`` is for charts that place their axes themselves: with no layout engine at
    all, saving draws the figure once instead of twice.
    """
    fig = Figure(figsize=(width, height), dpi=100, layout=layout)
    FigureCanvasAgg(fig)
    return fig


class ChartDisplay:
    """Show a chart as a picture with its text summary, in notebooks and exports.

    Parameters
    ----------
    figure
        The chart.
    summary
        Plain sentences saying what the chart shows; used as alt text and caption.
    """

    def __init__(self, figure: Figure, summary: str):
        self.figure = figure
        self.summary = summary
        self._png: bytes | None = None

    @property
    def png(self) -> bytes:
        """The chart as PNG bytes (drawn once)."""
        if self._png is None:
            buf = io.BytesIO()
            self.figure.savefig(buf, format="png", dpi=100, metadata={"Software": None})
            self._png = buf.getvalue()
        return self._png

    def html(self, *, caption: bool = True) -> str:
        """Return a self-contained ``<figure>`` with the PNG inline and the summary escaped.

        The summary is always the image's alt text; ``caption=False`` leaves out the
        visible caption where the same sentences already stand beside the chart.
        """
        data = base64.b64encode(self.png).decode("ascii")
        text = html.escape(self.summary)
        shown = (
            f'<figcaption style="font-size:0.95em;color:#333">{text}</figcaption>'
            if caption
            else ""
        )
        return (
            f'<figure class="wk-chart" style="margin:0">'
            f'<img src="data:image/png;base64,{data}" alt="{text}" '
            f'style="max-width:100%;height:auto">{shown}</figure>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/html": self.html(),
            "text/plain": self.summary,
        }

    def __repr__(self) -> str:
        return f"ChartDisplay({self.summary!r})"
