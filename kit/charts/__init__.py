"""Charts: functions that take plain results and return a matplotlib ``Figure``.

No pyplot state is used: figures are drawn on the Agg canvas, so charts render the same in a
kernel, in a test and in an export. Each chart is shown through :class:`ChartDisplay` with a
text summary. The palette (:data:`PALETTE`) is colour-blind safe and defined once, in
:mod:`kit._palette` (light, so pages colour their HTML without matplotlib); each exercise
has its own module of chart functions.
"""

from kit.charts.core import OKABE_ITO, PALETTE, ChartDisplay, new_figure
from kit.charts.shapes import shape_chart as shape_chart
from kit.charts.sort import sort_chart

__all__ = ["OKABE_ITO", "PALETTE", "ChartDisplay", "new_figure", "sort_chart"]
