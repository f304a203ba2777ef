"""The personal report: one self-contained HTML page (and a PDF) of the whole journey.

The HTML comes from the template ``kit/templates/render/report.html.j2`` with autoescape on;
it carries its charts as embedded images and loads nothing from the network. The PDF is
drawn by :func:`kit.render.pdf.report_pdf`.
"""

from __future__ import annotations

import os
from pathlib import Path

from markupsafe import Markup

from kit import allocation, archetypes, motivations
from kit.charts import ChartDisplay
from kit.content import Content
from kit.render.pdf import report_pdf
from kit.render.templating import render
from kit.synthesis import Journey, summarize

__all__ = ["charts_for", "render_html", "render_pdf", "write_report"]


def charts_for(journey: Journey, content: Content) -> dict[str, ChartDisplay]:
    """Return the charts of the exercises that have answers, keyed by section."""
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


def render_html(journey: Journey, content: Content, *, charts: bool = True) -> str:
    """Return the report as one self-contained HTML page."""
    drawn = charts_for(journey, content) if charts else {}
    return render(
        "render/report.html.j2",
        t=content.text,
        empty=journey.empty,
        sections=summarize(journey, content),
        # ChartDisplay.html escapes its own summary (the alt text): trusted markup.
        # The section's sentences already say what the chart shows: no caption.
        figures={key: Markup(chart.html(caption=False)) for key, chart in drawn.items()},
    )


def render_pdf(journey: Journey, content: Content) -> bytes:
    """Return the report as PDF bytes (see :func:`kit.render.pdf.report_pdf`)."""
    return report_pdf(
        summarize(journey, content),
        charts_for(journey, content),
        content.text,
        empty=journey.empty,
    )


def write_report(
    journey: Journey, content: Content, out: str | os.PathLike[str], *, pdf: bool = False
) -> list[Path]:
    """Write the HTML report to ``out`` (and a PDF beside it); return the files written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(journey, content), encoding="utf-8")
    written = [out]
    if pdf:
        target = out.with_suffix(".pdf")
        target.write_bytes(render_pdf(journey, content))
        written.append(target)
    return written
