"""The radar chart of the archetype matcher: one spoke per scored role, 0-100."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from kit.charts.core import PALETTE, new_figure

if TYPE_CHECKING:
    from kit.archetypes import ShapeResult
    from kit.content import Content

__all__ = ["shape_chart"]

_CIRCLE_STEPS = 120


def shape_chart(result: ShapeResult, content: Content) -> Figure:
    """Draw the scores as a radar: one spoke per scored role, in content order, clockwise.

    The participant's scores are one closed line (with a light fill); a dashed circle marks
    50, 'no lean'. Every spoke is labelled with the role and its score, and the top two
    labels are bold, so colour never carries meaning alone. Without answers only the
    reference circle and a note are drawn.
    """
    roles = content.scored_roles
    k = len(roles)
    angles = [2 * math.pi * i / k for i in range(k)]
    scores = [result.score(r.id) for r in roles]

    fig = new_figure(6.4, 5.0)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    circle = [2 * math.pi * i / _CIRCLE_STEPS for i in range(_CIRCLE_STEPS + 1)]
    ax.plot(
        circle,
        [50] * len(circle),
        linestyle="--",
        linewidth=1,
        color=PALETTE["muted"],
        label=content.text("archetypes_chart_reference"),
    )
    if result.status == "no_answers":
        ax.text(
            0,
            0,
            content.text("archetypes_chart_empty"),
            ha="center",
            va="center",
            fontsize=11,
            color=PALETTE["muted"],
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 2},
        )
    else:
        color = PALETTE["series"][0]
        ax.plot(
            [*angles, angles[0]],
            [*scores, scores[0]],
            color=color,
            linewidth=2,
            marker="o",
            label=content.text("archetypes_chart_title"),
        )
        ax.fill([*angles, angles[0]], [*scores, scores[0]], color=color, alpha=0.18)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["", "50", "", "100"], fontsize=8, color=PALETTE["muted"])
    labels = [
        f"{r.label}\n{round(s)}" if result.status != "no_answers" else r.label
        for r, s in zip(roles, scores, strict=True)
    ]
    ax.set_xticks(angles, labels, fontsize=10, color=PALETTE["ink"])
    for tick, role, angle in zip(ax.get_xticklabels(), roles, angles, strict=True):
        if role.id in result.top:
            tick.set_fontweight("bold")
        # Labels beside the circle grow away from it, so none is cut by the outer ring.
        side = math.sin(angle)  # clockwise from the top: right side positive
        tick.set_horizontalalignment("left" if side > 0.2 else "right" if side < -0.2 else "center")
    ax.tick_params(axis="x", pad=12)
    ax.set_title(content.text("archetypes_chart_title"), loc="left", fontsize=12, pad=16)
    ax.legend(
        handles=ax.lines[:1],
        loc="lower left",
        bbox_to_anchor=(-0.12, -0.12),
        frameon=False,
        fontsize=9,
    )
    return fig
