"""A long commitment is refused with a message, never cut silently; three fit on A4."""

from __future__ import annotations

import pytest

from kit import Commitments
from kit import commitments as logic
from kit.answers import AnswerStore


def test_a_long_commitment_is_not_cut_silently(home):
    widget = Commitments()
    widget._boxes["keep"].value = "short and saved"
    long_text = "x" * 10_000
    widget._boxes["stop"].value = long_text
    assert widget._boxes["stop"].value == long_text  # what was typed stays in the box
    shown = widget._notice.value + "".join(
        getattr(c, "value", "") for c in widget.children if hasattr(c, "value")
    )
    assert f"{logic.TEXT_LIMIT}" in shown and "10000" in shown.replace(",", "")
    widget._boxes["calendar"].value = "Thursday focus block"  # typing elsewhere meanwhile
    assert widget._boxes["stop"].value == long_text  # still there, still not cut
    saved = AnswerStore(home).load("commitments").value
    assert saved["keep"] == "short and saved" and saved["calendar"] == "Thursday focus block"
    assert saved.get("stop", "") != long_text[: logic.TEXT_LIMIT]  # never a cut-off copy
    widget._boxes["stop"].value = "hand the migration to Priya"
    assert AnswerStore(home).load("commitments").value["stop"] == "hand the migration to Priya"
    assert str(logic.TEXT_LIMIT) not in widget._notice.value  # the warning goes away


def test_a_long_commitment_set_from_python_is_refused():
    widget = Commitments(store=None)
    with pytest.raises(Exception, match=str(logic.TEXT_LIMIT)):
        widget.value = {"keep": "x" * (logic.TEXT_LIMIT + 1)}


def test_three_full_commitments_fit_on_one_printed_a4_page():
    import matplotlib
    from fpdf import FPDF

    font = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", font)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    words = "Wednesday mornings: pair with the on-call engineer on the worst incident "
    text = (words * 50)[: logic.TEXT_LIMIT]
    pdf.set_font("DejaVu", "", 18)
    pdf.multi_cell(width, 9, "My leadership path: the plan", new_x="LMARGIN", new_y="NEXT")
    for _ in logic.KINDS:  # the report's body size (10 pt), each under its own label
        pdf.set_font("DejaVu", "", 12)
        pdf.multi_cell(width, 6, "One thing I will hand off", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    assert pdf.page_no() == 1
    assert pdf.get_y() < pdf.h / 2 + 30  # room left on the page for the rest of the plan
