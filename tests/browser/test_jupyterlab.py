"""Every workshop notebook in JupyterLab, in a real browser: it opens with its kernel, runs
all cells without an error, and every widget renders.

JupyterLab runs as ``workshop-kit open`` starts it (quiet and offline settings), with the
news pop-up disabled, on 127.0.0.1 with a token; no request may leave the machine
(``blocked_page``, from this folder's conftest). Without Chromium the module skips in one
line; with ``CI=true`` it fails instead.
Screenshots of each notebook's widgets go to ``$WORKSHOP_KIT_SCREENSHOTS`` (``lab-NN.png``).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from servers import ANNOUNCEMENTS, ROOT, jupyterlab_server, require_chromium, screenshot

require_chromium()

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: The widgets each notebook must show (by the CSS class the widget gives itself); a
#: notebook not listed here is held to the general checks only.
WIDGETS = {
    "00": (".wk-clear-answers",),
    "02": (".wk-motivation-sort",),
    "03": (".wk-time-allocation",),
    "04": (".wk-archetype-matcher",),
    "05": (".wk-your-path", ".wk-commitments"),
    "90": (".wk-room-view",),
}
#: What JupyterLab and ipywidgets show in an output when a widget did not render.
BROKEN = ("Error displaying widget", "Loading widget", "Failed to load", "model not found")
OPEN_TIMEOUT = 90_000  # ms
RUN_TIMEOUT = 120_000


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on copies of the workshop notebooks, with an empty participant folder."""
    with jupyterlab_server(NOTEBOOKS, tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture
def lab_kernels(lab):
    """The JupyterLab server; every kernel the test started is shut down after it."""
    yield lab
    lab.shut_down_kernels()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(blocked_page, lab_kernels, notebook) -> None:
    lab = lab_kernels
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    kernel = cells["metadata"]["kernelspec"]["display_name"]
    code_cells = sum(1 for c in cells["cells"] if c["cell_type"] == "code")
    page = blocked_page.page
    page.goto(lab.page(notebook.stem) + "&reset")  # a clean workspace: this one only
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    # Opens with its own kernel (no 'Select kernel' dialog), and the kernel is ready.
    status = page.locator(".jp-StatusBar-TextItem", has_text=f"{kernel} | Idle")
    expect(status).to_be_visible(timeout=OPEN_TIMEOUT)
    expect(page.locator(".jp-Dialog")).to_have_count(0)
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    assert ANNOUNCEMENTS in config["disabledExtensions"], "the news pop-up is not off"
    expect(panel.locator(".jp-CodeCell")).to_have_count(code_cells)

    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()

    prompts = panel.locator(".jp-CodeCell .jp-InputPrompt")
    expect(prompts).to_have_text([re.compile(r"^\[\d+\]:$")] * code_cells, timeout=RUN_TIMEOUT)
    expect(status).to_be_visible(timeout=RUN_TIMEOUT)

    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, "\n".join(errors.all_inner_texts())
    widgets = panel.locator(".jp-OutputArea-output > .jupyter-widgets")
    for selector in WIDGETS.get(notebook.name[:2], ()):
        expect(panel.locator(selector)).to_be_visible()
    for i in range(widgets.count()):
        widget = widgets.nth(i)
        widget.scroll_into_view_if_needed()
        expect(widget).to_be_visible()
        for words in BROKEN:
            expect(widget).not_to_contain_text(words)
    outputs = panel.locator(".jp-OutputArea-output")
    for words in BROKEN:
        expect(outputs.filter(has_text=words)).to_have_count(0)

    for i in range(widgets.count()):
        suffix = f"-{i + 1}" if i else ""
        screenshot(page, widgets.nth(i), f"lab-{notebook.name[:2]}{suffix}.png")
    assert blocked_page.blocked == [], blocked_page.blocked
    assert blocked_page.errors == [], blocked_page.errors
