"""A chart drawn on request: a button, the picture, and its text summary.

matplotlib takes around a tenth of a second per chart, so an exercise never redraws on every
click. After a change the panel says that the picture is out of date, and the person
presses the button to draw it again.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from kit.charts import ChartDisplay
from kit.widgets._base import escape

__all__ = ["ChartPanel"]


class ChartPanel(widgets.VBox):
    """Draw ``make()`` into a PNG and its summary when the button is pressed.

    Parameters
    ----------
    make
        Returns the chart of the current answers.
    label
        The button's words.
    stale_note
        The sentence shown when the answers changed after the chart was drawn.
    width
        The largest width of the picture.
    """

    def __init__(
        self, make: Callable[[], ChartDisplay], label: str, stale_note: str, width: str = "700px"
    ):
        super().__init__()
        self.add_class("wk-chart-panel")
        self._make = make
        self._stale_note = stale_note
        self.button = widgets.Button(description=label, layout=widgets.Layout(width="260px"))
        self.button.add_class("wk-chart-button")
        self.button.on_click(lambda _b: self.draw())
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(max_width=width, display="none")
        )
        self.image.add_class("wk-chart")
        self.caption = widgets.HTML()
        self.caption.add_class("wk-chart-caption")
        self.children = [self.button, self.image, self.caption]

    @property
    def shown(self) -> bool:
        """Whether a chart has been drawn."""
        return self.image.layout.display != "none"

    def draw(self) -> None:
        """Draw the chart of the current answers, with its summary below it."""
        chart = self._make()
        with self.hold_sync():
            self.image.value = chart.png
            self.image.layout.display = None
            self.caption.value = f"<p>{escape(chart.summary)}</p>"

    def mark_stale(self) -> None:
        """Say that the picture no longer shows the current answers (cheap: no drawing)."""
        if self.shown:
            self.caption.value = f"<p style='color:#555'><i>{escape(self._stale_note)}</i></p>"
