"""What a participant's page holds, and how many kernels a participant keeps.

:func:`stub_notebook` is the page served for a step: one cell that builds the step in the
page's kernel (:mod:`kit.pages.stepper`). :func:`participant_notebook` is pure: it returns
a copy of a notebook without the cells that are not for participants (the facilitator's
speaker notes, and cells tagged ``notebook-only`` that talk about running code); the stepper
builds each step from that copy of the packaged notebook. :func:`prelaunch` is Voila's
pre-launch hook: it applies that to every journey page before it runs (a stub has nothing
to leave out), shuts down the kernels of the pages this participant opened before, so that
a participant holds at most one live kernel even when a phone never says that it left a
page, and runs the page in the pages' own kernel (:mod:`kit.pages.kernel`, which starts
faster). Next and Back open no page while the kernel is connected, so for the journey the
hook runs only when a page is opened by its address: the first page, a reload, a bookmark.
:func:`room_from_link` reads the room code a join link carries (``?room=CODE``) inside the
page's kernel.
"""

from __future__ import annotations

import asyncio
import copy
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote

from kit.pages.journey import Step, page_steps
from kit.pages.kernel import KERNEL_NAME

__all__ = [
    "NOTEBOOK_ONLY_TAG",
    "is_for_participants",
    "participant_notebook",
    "prelaunch",
    "room_from_link",
    "stub_notebook",
]

#: A served stub names its step in its metadata under this key.
STUB_MARK = "workshop_kit_step"
#: Cells tagged with this are about running a notebook; the code-free pages leave them out.
NOTEBOOK_ONLY_TAG = "notebook-only"
_PENDING: set[asyncio.Future] = set()
#: Kernels started for journey pages, and for anything else, in this server (see prelaunch).
_PAGE_KERNELS: set[str] = set()
_OTHER_KERNELS: set[str] = set()
#: What the previous hook call opened ("page" or "other") and the kernels running then.
_LAST: list[Any] = ["other", set()]


def is_for_participants(cell: Any) -> bool:
    """Whether a notebook cell belongs on a participant's page."""
    if _is_speaker_notes(cell):
        return False  # the facilitator's speaker notes: for the deck and the guide
    return NOTEBOOK_ONLY_TAG not in cell.get("metadata", {}).get("tags", [])


def participant_notebook(nb: Any, *, page: bool = True) -> Any:
    """Return a copy of ``nb`` holding only the cells for participants.

    ``page=True`` (a served page) also leaves out the ``notebook-only`` cells; ``page=False``
    (the participant's JupyterLab copy) keeps them, since they say how to run a notebook.
    """
    out = copy.deepcopy(nb)
    out["cells"] = [
        cell
        for cell in out["cells"]
        if is_for_participants(cell) or (not page and not _is_speaker_notes(cell))
    ]
    return out


def _is_speaker_notes(cell: Any) -> bool:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"


def prelaunch(handler: Any, notebook: Any, cwd: str) -> Any:
    """Voila's pre-launch hook: the participant's copy of a page, and one page kernel at most.

    Runs in the server before a page's kernel starts, that is whenever a journey page is
    opened by its address (the first page, a reload, a bookmark, a step's link opened in a
    new tab or while the kernel is gone); Next and Back in a connected page step on in the
    same kernel and open no page. Kernels that started after the previous journey page's
    hook are that page's; opening another journey page shuts them down, so a participant
    holds one live page kernel even when a phone never says it left. Other kernels are left
    alone: a facilitator's projector page, a notebook in JupyterLab on the same server,
    anything that did not start for a journey page.

    A journey page runs in the kernel spec ``workshop-pages`` (the stock Python kernel
    without its debugger, which a page never uses; it starts about a third faster) when the
    server can find it; otherwise in the kernel the notebook names.
    """
    manager = getattr(handler, "kernel_manager", None)
    page = _is_journey_page(handler)
    if manager is not None:
        now = set(manager.list_kernel_ids())
        kind, before = _LAST
        started = now - before
        (_PAGE_KERNELS if kind == "page" else _OTHER_KERNELS).update(started)
        if page:
            for kernel_id in sorted(now & _PAGE_KERNELS):
                _PAGE_KERNELS.discard(kernel_id)
                task = asyncio.ensure_future(_shut_down(manager, kernel_id))
                _PENDING.add(task)  # keep a reference until done, or the task may be dropped
                task.add_done_callback(_PENDING.discard)
        _LAST[:] = ["page" if page else "other", now]
    if not page:
        return notebook
    shown = participant_notebook(notebook)
    spec = shown.get("metadata", {}).get("kernelspec")
    if spec is not None and _has_kernel(handler, KERNEL_NAME):
        spec["name"] = KERNEL_NAME  # in place: Voila reads it as an attribute (NotebookNode)
    return shown


def _has_kernel(handler: Any, name: str) -> bool:
    specs = getattr(handler, "kernel_spec_manager", None)
    return specs is not None and name in specs.find_kernel_specs()


def _is_journey_page(handler: Any) -> bool:
    path = getattr(getattr(handler, "request", None), "path", "") or ""
    name = unquote(path.rstrip("/").rsplit("/", 1)[-1]).removesuffix(".ipynb")
    return name in {step.notebook for step in page_steps()}


async def _shut_down(manager: Any, kernel_id: str) -> None:
    try:
        await manager.shutdown_kernel(kernel_id, now=True)
    except KeyError:
        pass  # already gone: a closed page said so itself


def room_from_link(environ: Mapping[str, str] | None = None) -> str:
    """Return the room code the page's link carries (``?room=CODE``), or ``""``.

    Voila hands a page's kernel the query of its URL as ``QUERY_STRING`` (as CGI does), also
    behind a JupyterHub prefix. The code is returned as typed, stripped; joining checks it.
    Outside a served page (JupyterLab, tests) there is no such variable and no code.
    """
    environ = os.environ if environ is None else environ
    query = parse_qs(environ.get("QUERY_STRING", ""))
    return query.get("room", [""])[0].strip()[:64]


def stub_notebook(step: Step) -> dict[str, Any]:
    """Return the served notebook of ``step``: one cell that builds the step in its kernel.

    The step's content is read from the packaged notebook by :mod:`kit.pages.stepper` in
    the page's kernel, so the packaged notebooks stay the one source of pages and
    JupyterLab alike.
    """
    from nbformat import v4  # here: only writing the pages needs it, not the pages' kernels

    cell = v4.new_code_cell(f"from kit.pages.stepper import show\n\nshow({step.notebook!r})")
    cell["id"] = "step"  # the same file every time, for a page folder written afresh
    kernel = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return v4.new_notebook(
        cells=[cell],
        metadata={"kernelspec": kernel, "language_info": {"name": "python"}, STUB_MARK: step.id},
    )
