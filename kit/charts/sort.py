"""The chart of the motivation card sort."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kit.charts.core import PALETTE, new_figure
from kit.motivations import BUCKETS, FREQUENCIES

if TYPE_CHECKING:
    from kit.content import Content
    from kit.motivations import SortSummary

__all__ = ["sort_chart"]


def sort_chart(summary: SortSummary, content: Content) -> Figure:
    """Draw how the participant sorted the cards: one bar per column, split by frequency.

    Every segment is labelled with its count, so colour never carries meaning alone.
    """
    fig = new_figure(7.0, 2.8)
    ax = fig.add_subplot()
    labels = [content.text(f"bucket_{b}") for b in BUCKETS]
    rows = list(range(len(BUCKETS)))[::-1]  # first bucket on top
    for row, bucket in zip(rows, BUCKETS, strict=True):
        left = 0
        by_f = summary.by_frequency[bucket]
        segments = [(f, by_f[f]) for f in FREQUENCIES]
        unmarked = summary.counts[bucket] - sum(by_f.values())
        segments.append(("unmarked", unmarked))
        for f, n in segments:
            if n <= 0:
                continue
            color = PALETTE.get(f, PALETTE["not_me"]) if bucket != "not_me" else PALETTE["not_me"]
            ax.barh(row, n, left=left, color=color, edgecolor="white", height=0.62, label=f)
            text_color = (
                "white" if f in ("sometimes", "unmarked") or bucket == "not_me" else PALETTE["ink"]
            )
            ax.text(
                left + n / 2, row, str(n), ha="center", va="center", fontsize=10, color=text_color
            )
            left += n
    ax.set_yticks(rows, labels)
    ax.set_xlabel("cards")
    ax.set_xlim(0, max(1, max(summary.counts.values())) * 1.08)
    ax.set_title(content.text("chart_title"), loc="left", fontsize=12)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(color=PALETTE[f]) for f in FREQUENCIES]
    names = [content.text(f"frequency_{f}") for f in FREQUENCIES]
    handles.append(Patch(color=PALETTE["not_me"]))
    names.append(content.text("frequency_unmarked"))
    ax.legend(
        handles,
        names,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=9,
        title=content.text("chart_legend_title"),
        title_fontsize=9,
        alignment="left",
    )
    return fig
