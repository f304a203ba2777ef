"""Notebook hygiene: committed clean, thin, with kernelspec and slideshow metadata.

That every cell runs is nbval's job (pytest collects ``notebooks/*.ipynb``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request) -> dict:
    return json.loads(request.param.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert any(p.name.startswith("02-") for p in NOTEBOOKS)


def test_committed_without_outputs(notebook):
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "widgets" not in notebook["metadata"]  # no saved widget state


def test_has_a_kernelspec_so_jupyterlab_does_not_ask(notebook):
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_every_cell_has_deliberate_slide_metadata(notebook):
    types = [c["metadata"].get("slideshow", {}).get("slide_type") for c in notebook["cells"]]
    assert all(t in SLIDE_TYPES for t in types), types
    assert types[0] == "slide"


def test_notebooks_stay_thin(notebook):
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    for cell in code:
        source = "".join(cell["source"])
        lines = [ln for ln in source.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(lines) <= 6, source
        for banned in ("def ", "class ", "for ", "/home/", "/tmp/", "C:\\"):
            assert banned not in source, source


def test_run_instructions_stay_out_of_decks_and_pages(notebook):
    """'Run the cell' only makes sense in a notebook: skipped in decks, left out of pages."""
    if notebook["metadata"].get("title") == "Welcome":
        return  # the welcome notebook teaches how notebooks work
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and ("Shift+Enter" in text or "Run the cell" in text):
            assert cell["metadata"]["slideshow"]["slide_type"] == "skip", text
            assert "notebook-only" in cell["metadata"].get("tags", []), text
