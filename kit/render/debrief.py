"""The debrief's files: the room's aggregates (CSV), its pictures (PNG), one page (PDF).

What the facilitator sends round after the workshop, made from the same snapshots the
projector showed (:func:`kit.room.reader.room_picture`), so nothing in them is newer or
finer than what the room saw. A picture exists only from the room's threshold of people,
so no file holds a single share. A rehearsal room (synthetic shares) says so in every
file: the names end in ``-rehearsal``, each PNG carries the word across its top, the CSV
has ``rehearsal=yes`` on every row, and the PDF says so under its title.

matplotlib and fpdf2 load when a file is drawn, not on import.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

from kit import exercises
from kit._files import write_atomic
from kit.room.pictures import picture_text, snapshot_text, threshold_text
from kit.room.projector import export_stem, is_rehearsal, write_csv

if TYPE_CHECKING:
    from kit.content import Content
    from kit.room.pictures import Picture, RoomPicture

__all__ = ["debrief_pdf", "picture_png", "write_debrief"]

_DPI = 150


def picture_png(picture: Picture, content: Content, *, rehearsal: bool, dpi: int = _DPI) -> bytes:
    """Return one exercise's room chart as PNG bytes, marked across the top in a rehearsal."""
    from kit.charts.room import room_png  # matplotlib: only when a picture is drawn

    return room_png(picture, content, rehearsal=rehearsal, dpi=dpi)


def debrief_pdf(
    picture: RoomPicture,
    content: Content,
    pngs: dict[str, bytes],
    *,
    today: str | None = None,
) -> bytes:
    """Draw the one-page debrief: title, date, each exercise's picture and its sentences.

    The pictures shrink together until everything fits on one A4 page.
    """
    # at call time: fpdf2 and matplotlib's font load only when the PDF is drawn
    from fpdf import FPDF

    from kit.render.pdf import _font

    t = content.text
    rehearsal = is_rehearsal(picture)
    pdf = FPDF(format="A4")
    pdf.set_title(t("debrief_title", code=picture.code))
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("DejaVu", "", str(_font()))
    pdf.add_font("DejaVu", "B", str(_font().with_name("DejaVuSans-Bold.ttf")))
    width = pdf.w - pdf.l_margin - pdf.r_margin
    bottom = pdf.h - pdf.b_margin
    parts = list(picture.exercises.values())

    def lines(text: str, size: float) -> float:
        pdf.set_font("DejaVu", "", size)
        return len(pdf.multi_cell(width, size * 0.45, text, dry_run=True, output="LINES")) * (
            size * 0.45
        )

    def image_height(data: bytes, w: float) -> float:
        from PIL import Image  # matplotlib depends on Pillow

        with Image.open(io.BytesIO(data)) as im:
            return w * im.height / im.width

    def draw(scale: float, dry: bool) -> float:
        y = pdf.t_margin

        def para(text: str, size: float, style: str = "", color=(0, 0, 0), gap=1.5) -> None:
            nonlocal y
            h = lines(text, size)
            if not dry:
                pdf.set_xy(pdf.l_margin, y)
                pdf.set_font("DejaVu", style, size)
                pdf.set_text_color(*color)
                pdf.multi_cell(width, size * 0.45, text)
            y += h + gap

        para(t("debrief_title", code=picture.code), 16, "B")
        para(today or _dt.date.today().isoformat(), 9)
        if rehearsal:
            para(t("debrief_rehearsal"), 11, "B", (138, 42, 10))
        rule = threshold_text(picture, content)
        if rule:
            para(rule, 8)
        for part in parts:
            para(content.text(f"room_view_heading_{part.exercise}"), 11, "B", gap=0.5)
            if part.exercise in pngs:
                w = width * scale
                h = image_height(pngs[part.exercise], w)
                if not dry:
                    pdf.image(io.BytesIO(pngs[part.exercise]), x=pdf.l_margin, y=y, w=w)
                y += h + 1
                para(picture_text(part, content), 7.5, gap=0.5)
                para(snapshot_text(part, content), 6.5, color=(60, 60, 60))
            else:
                para(picture_text(part, content), 8)
        para(t("debrief_privacy", needed=picture.needed), 7, color=(60, 60, 60))
        return y

    pdf.add_page()
    scale = 1.0
    while scale > 0.2 and draw(scale, True) > bottom:
        scale -= 0.05
    draw(scale, False)
    return bytes(pdf.output())


def write_debrief(
    picture: RoomPicture, content: Content, folder: str | Path, *, today: str | None = None
) -> list[Path]:
    """Write the debrief's files into ``folder``; return them (CSV, PNGs, PDF).

    Names start with :func:`kit.room.projector.export_stem` (``room-K7RM4Q`` or
    ``room-K7RM4Q-rehearsal``). A picture not ready yet has no PNG; the CSV and the PDF
    say only what is ready.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = export_stem(picture)
    rehearsal = is_rehearsal(picture)
    written = [write_csv(picture, content, folder)]
    pngs = {}
    for ex, part in picture.exercises.items():
        if part.picture is None:
            continue
        pngs[ex] = picture_png(part.picture, content, rehearsal=rehearsal)
        target = folder / f"{stem}-{exercises.get(ex).chart_name}.png"
        write_atomic(target, pngs[ex])
        written.append(target)
    pdf = folder / f"{stem}-debrief.pdf"
    write_atomic(pdf, debrief_pdf(picture, content, pngs, today=today))
    written.append(pdf)
    return written
