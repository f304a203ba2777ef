"""The personal report: one self-contained HTML page (and a PDF) of the whole journey.

Page one is the personal plan: the date, where the participant leaned at the start and
where they lean now (when they said so), and the commitments. The detail follows: the three
exercises with their charts, then a short reading list for participants
(:func:`kit.render.reading.reading_list`).

The HTML comes from the template ``kit/templates/render/report.html.j2`` with autoescape on;
it carries its charts as embedded images and loads nothing from the network. The PDF is
drawn by :func:`kit.render.pdf.report_pdf`.

The words of the plan page and the reading list are ``report_*`` keys of the content's
``ui.yaml``, so a facilitator can translate or reword them like any other text.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from markupsafe import Markup

from kit import allocation, archetypes, commitments, motivations, positions
from kit.charts import ChartDisplay
from kit.content import Content
from kit.render.pdf import report_pdf
from kit.render.plan import Plan
from kit.render.reading import reading_list
from kit.render.templating import render
from kit.synthesis import Journey, summarize

__all__ = [
    "Plan",
    "charts_for",
    "plan_for",
    "render_html",
    "render_pdf",
    "write_report",
]


# --------------------------------------------------------------------------- the plan
def plan_for(journey: Journey, content: Content, today: dt.date | None = None) -> Plan:
    """Return page one of the report for ``journey`` on ``today`` (default: today).

    The first position (notebook 01) and the final one (notebook 05) come first, side by
    side, each only when it was taken; then every commitment made, in the kit's order.
    """
    today = today or dt.date.today()
    taken = (
        ("report_first_position", journey.first_position),
        ("report_final_position", journey.final_position),
    )
    shown = tuple(
        (content.text(key), text)
        for key, value in taken
        if (text := positions.position_text(value, content))
    )
    made = tuple(
        (content.text(f"commit_{kind}"), journey.commitments[kind])
        for kind in commitments.KINDS
        if journey.commitments.get(kind, "").strip()
    )
    return Plan(
        heading=content.text("report_plan_heading"),
        date=content.text("report_date", date=f"{today.day} {today:%B %Y}"),
        positions=shown,
        commitments=made,
        missing="" if made else content.text("report_plan_missing"),
    )


# --------------------------------------------------------------------------- charts
def charts_for(journey: Journey, content: Content) -> dict[str, ChartDisplay]:
    """Return the charts of the exercises that have answers, keyed by section."""
    # at call time: matplotlib loads only when a report is drawn with its charts
    from kit.charts.shapes import shape_chart
    from kit.charts.sort import sort_chart
    from kit.charts.week import week_chart

    out: dict[str, ChartDisplay] = {}
    if journey.sort and (journey.sort["cards"] or journey.sort["own"]):
        summary = motivations.summarize_sort(journey.sort, content)
        out["sort"] = ChartDisplay(
            sort_chart(summary, content), motivations.summary_text(summary, content)
        )
    if journey.week:
        comparison = allocation.compare(journey.week, content)
        out["week"] = ChartDisplay(
            week_chart(comparison, content), allocation.comparison_text(comparison, content)
        )
    if journey.shape:
        result = archetypes.score_answers(journey.shape, content)
        out["shape"] = ChartDisplay(
            shape_chart(result, content), archetypes.result_text(result, content)
        )
    return out


def _details(journey: Journey, content: Content) -> tuple:
    """The sections after the plan: the exercises (the commitments are on page one)."""
    return tuple(s for s in summarize(journey, content) if s.key != "commitments")


# --------------------------------------------------------------------------- output
def render_html(
    journey: Journey, content: Content, *, charts: bool = True, today: dt.date | None = None
) -> str:
    """Return the report as one self-contained HTML page: the plan first, then the detail."""
    drawn = charts_for(journey, content) if charts else {}
    return render(
        "render/report.html.j2",
        t=content.text,
        empty=journey.empty,
        plan=plan_for(journey, content, today),
        detail_heading=content.text("report_detail_heading"),
        sections=_details(journey, content),
        # ChartDisplay.html escapes its own summary (the alt text): trusted markup.
        # The section's sentences already say what the chart shows: no caption.
        figures={key: Markup(chart.html(caption=False)) for key, chart in drawn.items()},
        reading_heading=content.text("report_reading_heading"),
        reading_intro=content.text("report_reading_intro"),
        reading=reading_list(content),
    )


def render_pdf(journey: Journey, content: Content, *, today: dt.date | None = None) -> bytes:
    """Return the report as PDF bytes: page one the plan (see :func:`kit.render.pdf.report_pdf`)."""
    return report_pdf(
        _details(journey, content),
        charts_for(journey, content),
        content.text,
        empty=journey.empty,
        plan=plan_for(journey, content, today),
        detail_heading=content.text("report_detail_heading"),
        reading=(
            content.text("report_reading_heading"),
            content.text("report_reading_intro"),
            reading_list(content),
        ),
    )


def write_report(
    journey: Journey,
    content: Content,
    out: str | os.PathLike[str],
    *,
    pdf: bool = False,
    today: dt.date | None = None,
) -> list[Path]:
    """Write the HTML report to ``out`` (and a PDF beside it); return the files written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(journey, content, today=today), encoding="utf-8")
    written = [out]
    if pdf:
        target = out.with_suffix(".pdf")
        target.write_bytes(render_pdf(journey, content, today=today))
        written.append(target)
    return written
