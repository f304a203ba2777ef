"""The charts of the time-allocation exercise: the two weeks against a profile, and the gap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kit.allocation import signed_hours
from kit.charts.core import PALETTE, new_figure

if TYPE_CHECKING:
    from kit.allocation import WeekComparison
    from kit.content import Content

__all__ = ["SERIES", "draw_week", "gap_chart", "week_chart"]

#: The bars of each activity, top to bottom, with the hatching that tells them apart
#: without colour.
SERIES = (("current", ""), ("ideal", "//"), ("profile", ".."))

_BAR = 0.27


def _title_and_legend(ax: Axes, title: str, handles: list, labels: list[str]) -> None:
    """Title above the bars; the legend in one row below the axis, where it hides nothing.

    The legend belongs to the figure, so constrained layout makes room for it whatever the
    length of the labels (a renamed profile can be long).
    """
    ax.set_title(title, loc="left", fontsize=12)
    ax.get_figure().legend(
        handles,
        labels,
        loc="outside lower left",
        ncols=len(labels),
        frameon=False,
        fontsize=9,
        handlelength=1.6,
    )


def _tidy(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _height(activities: int) -> float:
    return 1.4 + 0.5 * activities


def draw_week(ax: Axes, comparison: WeekComparison, content: Content) -> None:
    """Draw the grouped bars of :func:`week_chart` on ``ax`` (shared with the benchmark).

    Every bar is labelled with its hours and each series has its own hatching, so colour
    never carries meaning alone.
    """
    c = comparison
    t = content.text
    labels = {a.id: a.label for a in content.activities}
    role = content.by_id["roles"][c.profile_id]
    names = {
        "current": t("week_current"),
        "ideal": t("week_ideal"),
        "profile": t("week_chart_profile", role=role.label),
    }
    weeks = {"current": c.current, "ideal": c.ideal, "profile": c.profile}
    rows = list(range(len(c.activities)))[::-1]  # first activity on top
    for offset, (series, hatch) in zip((-_BAR, 0.0, _BAR), SERIES, strict=True):
        ys = [row - offset for row in rows]
        hours = [weeks[series].get(aid, 0.0) for aid in c.activities]
        ax.barh(
            ys,
            hours,
            height=_BAR,
            color=PALETTE[series],
            hatch=hatch,
            edgecolor="white",
            linewidth=0.5,
            label=names[series],
        )
        for y, h in zip(ys, hours, strict=True):
            text = f"{round(h, 1):g}"
            ax.text(
                h + c.total * 0.005,
                y,
                text,
                va="center",
                ha="left",
                fontsize=7,
                color=PALETTE["ink"],
            )
    ax.set_yticks(rows, [labels[aid] for aid in c.activities])
    ax.set_xlabel(t("week_chart_axis", total=f"{c.total:g}"))
    most = max([*c.current.values(), *c.ideal.values(), *c.profile.values(), 1.0])
    ax.set_xlim(0, most * 1.12)
    _title_and_legend(
        ax, t("week_chart_title", total=f"{c.total:g}"), *ax.get_legend_handles_labels()
    )
    _tidy(ax)


def week_chart(comparison: WeekComparison, content: Content) -> Figure:
    """Draw the week I had, the week I want and one role profile, hours per activity.

    The profile is scaled to the participant's total (the same shares of the week), and
    its legend entry says that it is illustrative.
    """
    fig = new_figure(7.5, _height(len(comparison.activities)) * 1.3)
    draw_week(fig.add_subplot(), comparison, content)
    return fig


def gap_chart(comparison: WeekComparison, content: Content) -> Figure:
    """Draw ideal minus current per activity: time to gain (right) and to give up (left).

    Every bar is labelled with a signed number of hours, so colour never carries meaning
    alone; an activity with no change is labelled 0 h.
    """
    c = comparison
    t = content.text
    labels = {a.id: a.label for a in content.activities}
    fig = new_figure(7.5, _height(len(c.activities)))
    ax = fig.add_subplot()
    rows = list(range(len(c.activities)))[::-1]
    gaps = [c.gap_hours[aid] for aid in c.activities]
    colors = [PALETTE["gain"] if g > 0 else PALETTE["loss"] for g in gaps]
    ax.barh(rows, gaps, height=0.6, color=colors, edgecolor="white")
    reach = max([abs(g) for g in gaps] + [1.0])
    for row, g in zip(rows, gaps, strict=True):
        text = signed_hours(g)
        pad = reach * 0.02 * (1 if g >= 0 else -1)
        ax.text(
            g + pad,
            row,
            text,
            va="center",
            ha="left" if g >= 0 else "right",
            fontsize=8,
            color=PALETTE["ink"],
        )
    ax.axvline(0, color=PALETTE["muted"], linewidth=0.8)
    ax.set_yticks(rows, [labels[aid] for aid in c.activities])
    ax.set_xlim(-reach * 1.3, reach * 1.3)
    ax.set_xlabel(t("week_gap_axis"))
    handles = [Patch(color=PALETTE["gain"]), Patch(color=PALETTE["loss"])]
    _title_and_legend(ax, t("week_gap_title"), handles, [t("week_gap_more"), t("week_gap_less")])
    _tidy(ax)
    return fig
