"""Every PDF the kit makes, in one place.

- HTML pages made for paper (the handouts) and the decks are printed by headless Chromium,
  with the network shut off: :func:`find_chromium`, :func:`print_pdf`. The browser tests
  launch the same Chromium with the same :data:`CHROMIUM_ARGS`.
- The personal report is drawn with fpdf2 (:func:`report_pdf`), so a participant gets a PDF
  without Chromium; it uses the DejaVu Sans font that ships with matplotlib, so any
  participant's characters print.

Nothing heavy is imported at import time: fpdf2 and matplotlib load when a report is drawn.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kit.charts import ChartDisplay
    from kit.content import Source
    from kit.render.plan import Plan
    from kit.synthesis import Section

__all__ = [
    "CHROMIUM_ARGS",
    "ENV_CHROMIUM",
    "NO_CHROMIUM",
    "PLAN_SIZES",
    "PdfError",
    "find_chromium",
    "print_pdf",
    "report_pdf",
]

ENV_CHROMIUM = "WORKSHOP_KIT_CHROMIUM"

#: Flags for headless Chromium on a machine with no display and no outside network: no
#: sandbox (CI runs as root), and none of the background calls Chromium would make.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

NO_CHROMIUM = (
    "Chromium was not found, so no PDF was printed. Install it (Debian/Ubuntu: "
    f"'apt-get install chromium'), or set {ENV_CHROMIUM} to a Chromium or "
    "Chrome program; or open the HTML in a browser and print it there."
)


class PdfError(RuntimeError):
    """A PDF could not be printed; the message says which page and what to do."""


# --------------------------------------------------------------------------- Chromium
def find_chromium() -> str | None:
    """Return the Chromium (or Chrome) program to print with, or ``None``.

    ``$WORKSHOP_KIT_CHROMIUM`` names one (a path or a program on ``PATH``); otherwise the
    usual program names are tried.
    """
    env = os.environ.get(ENV_CHROMIUM)
    if env:
        return env if Path(env).is_file() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def print_pdf(
    page: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    query: str = "",
    chromium: str | None = None,
    timeout: float = 120,
) -> Path:
    """Print a local HTML file to PDF with headless Chromium, with the network shut off.

    Parameters
    ----------
    page
        The HTML file.
    target
        The PDF to write.
    query
        A query string for the page: ``wk-print`` for a deck (every slide a page).
    chromium
        The browser program (default: :func:`find_chromium`).
    timeout
        Seconds before giving up.

    Raises
    ------
    PdfError
        When Chromium is missing or prints nothing.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise PdfError(NO_CHROMIUM)
    page, target = Path(page).resolve(), Path(target).resolve()
    url = page.as_uri() + (f"?{query}" if query else "")
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="workshop-kit-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            *CHROMIUM_ARGS,
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            f"--user-data-dir={profile}",
            # No network: every host name fails to resolve and every request goes to a
            # closed local port, so a stray remote reference cannot be fetched.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--no-pdf-header-footer",
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}",
            url,
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"Chromium ({chromium}) could not print {page.name}: {exc}") from exc
    if not target.is_file() or target.stat().st_size == 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise PdfError(
            f"Chromium ({chromium}) printed no PDF for {page.name} "
            f"(exit {done.returncode}): " + " / ".join(detail)
        )
    return target


# --------------------------------------------------------------------------- the report
def _font() -> Path:
    import matplotlib  # here, not at the top: printing a deck needs no matplotlib

    return Path(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")


#: Font sizes the plan page tries, largest first, until it fits on page one.
PLAN_SIZES = (11.0, 10.0, 9.0, 8.0, 7.0, 6.0)


def report_pdf(
    sections: Sequence[Section],
    charts: Mapping[str, ChartDisplay],
    text: Callable[[str], str],
    *,
    empty: bool = False,
    plan: Plan | None = None,
    detail_heading: str = "",
    reading: tuple[str, str, Sequence[Source]] | None = None,
) -> bytes:
    """Draw the personal report as PDF bytes (fpdf2, DejaVu Sans: any Unicode text prints).

    Page one is the plan (when given): its date, positions and commitments, in the largest
    of :data:`PLAN_SIZES` that keeps it on one page; the detail starts on page two.

    Parameters
    ----------
    sections
        The report's detail sections (:func:`kit.synthesis.summarize`).
    charts
        The charts to show, keyed by section (see :func:`kit.render.report.charts_for`).
    text
        The content's words by key (``content.text``).
    empty
        Whether the participant has no answers yet (the page then says so).
    plan
        Page one (:func:`kit.render.report.plan_for`).
    detail_heading
        The heading over the detail, on page two.
    reading
        ``(heading, intro, sources)`` of the reading list at the end, or ``None``.
    """
    from fpdf import FPDF  # here, not at the top: printing a deck needs no fpdf2

    t = text
    pdf = FPDF(format="A4")
    pdf.set_title(t("report_title"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(_font()))
    pdf.add_font("DejaVu", "B", str(_font().with_name("DejaVuSans-Bold.ttf")))
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def para(text: str, size: float = 10, style: str = "", gap: float = 2, dry=False) -> float:
        pdf.set_font("DejaVu", style, size)
        if dry:
            lines = pdf.multi_cell(width, size * 0.5, text, dry_run=True, output="LINES")
            return len(lines) * size * 0.5 + gap
        pdf.multi_cell(width, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)
        return 0.0

    if plan is not None:
        pdf.add_page()
        room = pdf.h - pdf.t_margin - pdf.b_margin - 2

        def draw_plan(size: float, dry: bool) -> float:
            used = para(plan.heading, size * 1.8, "B", 1, dry)
            used += para(plan.date, size, "", 4, dry)
            for label, words in plan.positions:
                used += para(label, size * 1.2, "B", 1, dry)
                used += para(words, size, "", 3, dry)
            used += para(t("path_commit_heading"), size * 1.2, "B", 2, dry)
            for label, words in plan.commitments or (("", plan.missing),):
                if label:
                    used += para(label, size, "B", 1, dry)
                used += para(words, size, "", 3, dry)
            return used

        size = next((s for s in PLAN_SIZES if draw_plan(s, True) <= room), PLAN_SIZES[-1])
        draw_plan(size, False)

    pdf.add_page()
    para(detail_heading or t("report_title"), 18, "B", 1)
    para(t("report_intro"), 9)
    if empty:
        para(t("path_nothing_yet"))
    for section in sections:
        para(section.heading, 13, "B", 1)
        if section.text:
            para(section.text)
        if section.key in charts:
            pdf.image(io.BytesIO(charts[section.key].png), w=min(width, 170))
            pdf.ln(2)
        if section.items:
            if section.key == "sort":
                para(t("path_often_watch"))
            for item in section.items:
                para(f"\u2022 {item}", gap=1)
        if section.healthy:
            para(t("path_healthy"))
            for item in section.healthy:
                para(f"\u2022 {item}", gap=1)
    if reading is not None and reading[2]:
        heading, intro, sources = reading
        para(heading, 13, "B", 1)
        para(intro, 9)
        for source in sources:
            para(f"\u2022 {source.citation()}" + (f" {source.url}" if source.url else ""), 9, gap=1)
    para(t("report_footer"), 8)
    return bytes(pdf.output())
