"""The charts of the room: how the room sorted the cards, its week, the shapes it leans to.

Each function takes a plain picture from :mod:`kit.room.pictures` and the content (whose
words it writes) and returns a ``Figure``; every number is also written on the chart or in
its text summary, so colour never carries meaning alone. :func:`room_charts` pairs each
chart with its summary, and :func:`export_charts` saves them as PNG files (with the summary
beside, as text) for the debrief slides; the callers (the ``room show --export`` command and
the room view) decide where. The room's logic never imports this module.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch

from kit import exercises
from kit.charts.core import PALETTE, ChartDisplay, new_figure
from kit.room.pictures import (
    CardsPicture,
    ExercisePicture,
    Picture,
    RoomPicture,
    ShapesPicture,
    WeekPicture,
    summary_text,
)
from kit.room.projector import is_rehearsal, screen_picture

if TYPE_CHECKING:
    from kit.content import Content

__all__ = [
    "PNG_DPI",
    "REHEARSAL_COLOR",
    "export_charts",
    "room_cards_chart",
    "room_chart",
    "room_chart_display",
    "room_charts",
    "room_png",
    "room_shapes_chart",
    "room_week_chart",
    "screen_png",
]

_BUCKETS = ("healthy", "watch", "not_me")
_LABEL_WIDTH = 58
_EXPORT_DPI = 150
#: The resolution of every room picture as PNG: the projector's, the debrief's and the
#: deck's are the same bytes for the same snapshot (sharp on a big screen and on paper).
PNG_DPI = 110
#: The rehearsal mark's colour: white on it passes WCAG AA (7.9:1).
REHEARSAL_COLOR = "#8a2a0a"


def _tidy(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _fixed_layout(fig: Figure, ax, labels: list[str], fontsize: float) -> None:
    """Place the axes by measuring the row labels once, instead of a layout engine.

    Constrained layout measures every text on the figure several times per draw; with 30
    long card labels it cost more than the drawing itself. Margins in inches: labels plus
    padding on the left, the title on top, the x label and the legend below (the legend
    sits at the bottom centre of the figure).
    """
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=fontsize)
    widest = max(
        (renderer.get_text_width_height_descent(t, prop, ismath=False)[0] for t in labels),
        default=0.0,
    )
    w, h = fig.get_size_inches()
    left = (widest / fig.dpi + 0.25) / w
    left, right = min(left, 0.7), 1 - 0.2 / w
    top, bottom = 1 - 0.45 / h, 0.85 / h
    ax.set_position((left, bottom, right - left, top - bottom))


def _short(text: str, width: int = _LABEL_WIDTH) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def room_cards_chart(picture: CardsPicture, content: Content) -> Figure:
    """Draw, card by card, how the room sorted it: one bar per card split by column.

    Bars are shares of the people who sorted that card, most often 'watch' on top; each
    segment wide enough carries its head count.
    """
    words = content.ui  # the words on the chart, from ui.yaml

    cards = content.by_id["cards"]
    rows = sorted(
        (c for c in picture.cards if c.people),
        key=lambda c: (-c.watch / c.people, -c.healthy / c.people, c.card_id),
    )
    fig = new_figure(9.0, 1.3 + 0.3 * max(len(rows), 1), layout=None)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    left = [0.0] * len(rows)
    for bucket in _BUCKETS:
        widths = [100 * getattr(c, bucket) / c.people for c in rows]
        ax.barh(
            ys,
            widths,
            left=left,
            height=0.72,
            color=PALETTE[bucket],
            edgecolor="white",
            linewidth=0.6,
        )
        for y, x0, w, c in zip(ys, left, widths, rows, strict=True):
            if w >= 7:
                ax.text(
                    x0 + w / 2,
                    y,
                    str(getattr(c, bucket)),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if bucket != "not_me" else PALETTE["ink"],
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    labels = [_short(cards[c.card_id].text) for c in rows]
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(words["room_chart_cards_axis"], fontsize=9)
    ax.set_title(words["room_chart_cards"], loc="left", fontsize=12)
    fig.legend(
        [Patch(color=PALETTE[b]) for b in _BUCKETS],
        [content.text(f"bucket_{b}") for b in _BUCKETS],
        loc="lower center",
        ncols=3,
        frameon=False,
        fontsize=9,
    )
    _tidy(ax)
    _fixed_layout(fig, ax, labels, 8)
    return fig


def room_week_chart(picture: WeekPicture, content: Content) -> Figure:
    """Draw each activity's share of the week the room had and wants: mean and middle half.

    The two weeks differ in marker shape as well as colour (circle, diamond).
    """
    words = content.ui  # the words on the chart, from ui.yaml

    acts = content.by_id["activities"]
    rows = picture.activities
    fig = new_figure(8.0, 1.4 + 0.36 * max(len(rows), 1), layout=None)
    ax = fig.add_subplot()
    n = len(rows)
    for week, offset, marker in (("current", 0.17, "o"), ("ideal", -0.17, "D")):
        ys = [n - 1 - i + offset for i in range(n)]
        spreads = [getattr(a, week) for a in rows]
        ax.hlines(
            ys,
            [100 * s.q1 for s in spreads],
            [100 * s.q3 for s in spreads],
            color=PALETTE[week],
            linewidth=4,
            alpha=0.35,
        )
        ax.scatter(
            [100 * s.mean for s in spreads],
            ys,
            marker=marker,
            s=34,
            color=PALETTE[week],
            zorder=3,
            label=words[f"room_chart_{week}"],
        )
    labels = [_short(acts[a.activity_id].label, 40) for a in rows]
    ax.set_yticks(range(n)[::-1], labels, fontsize=9)
    ax.set_xlim(left=0)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel(words["room_chart_week_axis"], fontsize=9)
    ax.set_title(words["room_chart_week"], loc="left", fontsize=12)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.legend(loc="lower center", ncols=2, frameon=False, fontsize=9)
    _tidy(ax)
    _fixed_layout(fig, ax, labels, 9)
    return fig


def room_shapes_chart(picture: ShapesPicture, content: Content) -> Figure:
    """Draw how often each shape came closest, and among the two closest, with counts."""
    words = content.ui  # the words on the chart, from ui.yaml

    roles = content.scored_roles
    fig = new_figure(7.0, 1.3 + 0.5 * max(len(roles), 1), layout=None)
    ax = fig.add_subplot()
    n = len(roles)
    peak = max([1, *picture.top_two.values(), *picture.first.values()])
    for key, offset, hatch in (("first", 0.2, None), ("top_two", -0.2, "//")):
        counts = [getattr(picture, key)[r.id] for r in roles]
        ys = [n - 1 - i + offset for i in range(n)]
        color = PALETTE["series"][0 if key == "first" else 1]
        ax.barh(
            ys,
            counts,
            height=0.38,
            color=color,
            hatch=hatch,
            edgecolor="white",
            label=words[f"room_chart_{key}"],
        )
        for y, c in zip(ys, counts, strict=True):
            ax.text(c + peak * 0.01, y, str(c), va="center", fontsize=9, color=PALETTE["ink"])
    labels = [r.label for r in roles]
    ax.set_yticks(range(n)[::-1], labels, fontsize=10)
    ax.set_xlim(0, peak * 1.12)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel(words["room_chart_shapes_axis"], fontsize=9)
    ax.set_title(words["room_chart_shapes"], loc="left", fontsize=12)
    fig.legend(loc="lower center", ncols=2, frameon=False, fontsize=9)
    _tidy(ax)
    _fixed_layout(fig, ax, labels, 10)
    return fig


def room_chart(picture: Picture, content: Content) -> Figure:
    """Draw the chart of any one exercise's picture (the kind of picture decides which)."""
    if isinstance(picture, CardsPicture):
        return room_cards_chart(picture, content)
    if isinstance(picture, WeekPicture):
        return room_week_chart(picture, content)
    return room_shapes_chart(picture, content)


def room_png(
    picture: Picture, content: Content, *, rehearsal: bool = False, dpi: int = PNG_DPI
) -> bytes:
    """Return one exercise's room chart as PNG bytes: the one drawing of a room picture.

    The projector, the debrief files and the deck's room slide all call this, so the same
    snapshot gives the same bytes everywhere. A rehearsal (synthetic) room is marked across
    the top of the picture itself, so the mark travels with the file.
    """
    figure = room_chart(picture, content)
    if rehearsal:
        figure.text(
            0.99,
            0.995,
            content.text("projector_rehearsal"),
            ha="right",
            va="top",
            fontsize=11,
            fontweight="bold",
            color="white",
            bbox={"facecolor": REHEARSAL_COLOR, "edgecolor": "none", "pad": 3},
        )
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def screen_png(part: ExercisePicture, content: Content, *, rehearsal: bool = False) -> bytes:
    """Return the picture of one exercise's snapshot as a big screen shows it (PNG bytes).

    The projector and the deck's room slides both show this, so the same snapshot is the
    same bytes on both: the card sort's top cards (:func:`kit.room.projector.screen_picture`)
    at :data:`PNG_DPI`, marked in a rehearsal. ``room export`` draws every card with the
    same :func:`room_png`.
    """
    if part.picture is None:
        raise ValueError(f"the {part.exercise} picture is not ready: nothing to draw")
    return room_png(screen_picture(part.picture), content, rehearsal=rehearsal)


def room_chart_display(picture: Picture, content: Content) -> ChartDisplay:
    """Return the chart of one exercise's picture with its text summary beside it."""
    return ChartDisplay(room_chart(picture, content), summary_text(picture, content))


def room_charts(picture: RoomPicture, content: Content) -> dict[str, ChartDisplay]:
    """Return each ready exercise's chart with its text summary (none below the threshold)."""
    return {
        ex: room_chart_display(p.picture, content)
        for ex, p in picture.exercises.items()
        if p.picture is not None
    }


def export_charts(picture: RoomPicture, content: Content, folder: str | Path) -> list[Path]:
    """Save each ready chart as ``<code>-<name>.png`` with its summary in ``.txt`` beside.

    Returns the PNG files written (none while no snapshot holds the room's threshold of people).
    """
    folder = Path(folder)
    written = []
    rehearsal = is_rehearsal(picture)  # marked in the PNG, as the debrief files are
    for exercise, part in picture.exercises.items():
        if part.picture is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{picture.code}-{exercises.get(exercise).chart_name}"
        png = folder / f"{stem}.png"
        png.write_bytes(room_png(part.picture, content, rehearsal=rehearsal, dpi=_EXPORT_DPI))
        summary = summary_text(part.picture, content)
        (folder / f"{stem}.txt").write_text(summary + "\n", encoding="utf-8")
        written.append(png)
    return written
