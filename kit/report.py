"""The personal report: one self-contained HTML page (and a PDF) of the whole journey.

The HTML carries its charts as embedded images and loads nothing from the network; every
piece of participant or content text is escaped. The PDF is drawn with fpdf2 in the DejaVu
Sans font that ships with matplotlib, so any participant's characters print.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from kit import allocation, archetypes, motivations
from kit.charts import ChartDisplay
from kit.content import Content
from kit.synthesis import Journey, summarize

__all__ = ["charts_for", "render_html", "render_pdf", "write_report"]

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 46em; margin: 2em auto;
       color: #222; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 2px solid #0072B2; padding-bottom: 0.15em;
     margin-top: 1.6em; }
.todo { color: #555; font-style: italic; }
.note { color: #555; font-size: 0.9em; }
figure { margin: 0.8em 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #333; }
@media print {
  body { margin: 0; max-width: none; }
  h2 { break-after: avoid; }
  figure, li { break-inside: avoid; }
}
"""


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
    esc = html.escape
    t = content.text
    drawn = charts_for(journey, content) if charts else {}
    parts = [f"<h1>{esc(t('report_title'))}</h1>", f"<p class='note'>{esc(t('report_intro'))}</p>"]
    if journey.empty:
        parts.append(f"<p class='todo'>{esc(t('path_nothing_yet'))}</p>")
    for section in summarize(journey, content):
        parts.append(f"<h2>{esc(section.heading)}</h2>")
        if section.text:
            parts.append(f"<p class='{'' if section.done else 'todo'}'>{esc(section.text)}</p>")
        if section.key in drawn:  # the section's sentences already say what it shows
            parts.append(drawn[section.key].html(caption=False))
        if section.items:
            heading = t("path_often_watch") if section.key == "sort" else ""
            if heading:
                parts.append(f"<p>{esc(heading)}</p>")
            parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in section.items) + "</ul>")
    parts.append(f"<p class='note'>{esc(t('report_footer'))}</p>")
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(t('report_title'))}</title><style>{_CSS}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _font() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")


def render_pdf(journey: Journey, content: Content) -> bytes:
    """Return the report as PDF bytes (fpdf2, DejaVu Sans: any Unicode text prints)."""
    import io

    from fpdf import FPDF

    t = content.text
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(_font()))
    pdf.add_font("DejaVu", "B", str(_font().with_name("DejaVuSans-Bold.ttf")))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 10, style: str = "", gap: float = 2) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(t("report_title"), 18, "B", 1)
    para(t("report_intro"), 9)
    if journey.empty:
        para(t("path_nothing_yet"))
    drawn = charts_for(journey, content)
    for section in summarize(journey, content):
        para(section.heading, 13, "B", 1)
        if section.text:
            para(section.text)
        if section.key in drawn:
            png = io.BytesIO(drawn[section.key].png)
            pdf.image(png, w=min(width, 170))
            pdf.ln(2)
        if section.items:
            if section.key == "sort":
                para(t("path_often_watch"))
            for item in section.items:
                para(f"\u2022 {item}", gap=1)
    para(t("report_footer"), 8)
    return bytes(pdf.output())


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
