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

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kit._palette import OKABE_ITO, PALETTE  # defined once, light; re-exported here

__all__ = ["OKABE_ITO", "PALETTE", "ChartDisplay", "new_figure"]


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
