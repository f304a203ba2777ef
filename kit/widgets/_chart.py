"""Charts drawn on request: a button, the pictures, and their text summaries.

matplotlib takes around a tenth of a second per chart, so an exercise never redraws on every
click. After a change the panel says that the picture is out of date, and the person
presses the button to draw it again. Every chart an exercise shows goes through this panel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import ipywidgets as widgets
import traitlets

from kit.widgets._base import escape

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not with the page
    from kit.charts import ChartDisplay

__all__ = ["ChartPanel"]


class ChartPanel(widgets.VBox):
    """Draw ``make()`` into PNGs and their summaries when the button is pressed.

    Parameters
    ----------
    make
        Returns the chart (or, with ``count`` above 1, the charts) of the current answers.
    label
        The button's words; ``None``: no button, the owner calls :meth:`draw` (the last
        page draws its charts whenever it reads the answers).
    stale_note
        The sentence shown when the answers changed after the chart was drawn.
    width
        The largest width of a picture.
    count
        How many charts ``make`` returns. With one chart the out-of-date sentence takes
        the caption's place; with more it stands above the pictures.
    controls
        Widgets shown before the button on its row (a choice that changes the chart).
    summaries
        Whether the text summary goes below each picture (``False`` where the page says
        the same in its own sentences).
    empty
        Returns a friendly sentence when there is nothing to draw yet (shown instead of
        empty axes), or ``None`` when there is.
    """

    drawn = traitlets.Bool(False, help="Whether the charts have been drawn")
    stale = traitlets.Bool(False, help="Whether the answers changed since they were drawn")

    def __init__(
        self,
        make: Callable[[], ChartDisplay | Sequence[ChartDisplay]],
        label: str | None,
        stale_note: str,
        width: str = "700px",
        *,
        count: int = 1,
        controls: Sequence[widgets.Widget] = (),
        summaries: bool = True,
        empty: Callable[[], str | None] | None = None,
    ):
        super().__init__()
        self.add_class("wk-chart-panel")
        self._make = make
        self._stale_note = stale_note
        self._summaries = summaries
        self._empty = empty
        self.button = widgets.Button(
            description=label or "", layout=widgets.Layout(width="260px", display=None)
        )
        if label is None:
            self.button.layout.display = "none"
        self.button.add_class("wk-chart-button")
        self.button.on_click(lambda _b: self.draw())
        self.images = tuple(
            widgets.Image(format="png", layout=widgets.Layout(max_width=width, display="none"))
            for _ in range(count)
        )
        self.captions = tuple(widgets.HTML() for _ in range(count))
        for image, caption in zip(self.images, self.captions, strict=True):
            image.add_class("wk-chart")
            caption.add_class("wk-chart-caption")
        self.image, self.caption = self.images[0], self.captions[0]
        self.note = self.caption if count == 1 else widgets.HTML()
        self.note.add_class("wk-chart-note")
        pictures = [w for pair in zip(self.images, self.captions, strict=True) for w in pair]
        head = widgets.HBox([*controls, self.button]) if controls else self.button
        self.children = [head, *([] if count == 1 else [self.note]), *pictures]

    @property
    def shown(self) -> bool:
        """Whether a chart has been drawn."""
        return self.drawn

    def draw(self) -> None:
        """Draw the charts of the current answers, with their summaries below them."""
        nothing = self._empty() if self._empty is not None else None
        if nothing:
            self.clear()
            self.note.value = f"<div class='wk-empty-chart'>{escape(nothing)}</div>"
            return
        made = self._make()
        charts = (made,) if hasattr(made, "png") else tuple(made)  # one chart, or several
        with self.hold_sync():
            for chart, image, caption in zip(charts, self.images, self.captions, strict=True):
                image.value = chart.png
                image.layout.display = None
                caption.value = f"<p>{escape(chart.summary)}</p>" if self._summaries else ""
            if self.note is not self.caption:
                self.note.value = ""
            self.drawn, self.stale = True, False

    def clear(self) -> None:
        """Hide the pictures (there is nothing to draw yet)."""
        with self.hold_sync():
            for image, caption in zip(self.images, self.captions, strict=True):
                image.value = b""
                image.layout.display = "none"
                caption.value = ""
            self.drawn, self.stale = False, False

    def mark_stale(self) -> None:
        """Say that the pictures no longer show the current answers (cheap: no drawing)."""
        if self.drawn:
            self.note.value = f"<p style='color:#555'><i>{escape(self._stale_note)}</i></p>"
            self.stale = True
