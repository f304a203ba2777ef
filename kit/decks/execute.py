"""Run the workshop notebooks once, in kernels side by side, for their decks.

Each notebook runs under the demo profile (``WORKSHOP_KIT_PROFILE=demo``) in a throwaway
participant folder, so every exercise shows the sample participant's answers. A setup cell
run first gives every widget a static ``text/html`` snapshot, so that no deck shows
``VBox(...)`` or a blank space where a widget was.
"""

from __future__ import annotations

import asyncio
import copy
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from kit.decks.errors import DeckError

__all__ = ["CELL_TIMEOUT", "execute_all", "kernel_env"]

CELL_TIMEOUT = 300  # seconds; the slowest cell draws a chart, far below this

# Run in each kernel before the notebooks, then dropped from the deck: every widget, not only
# the exercise widgets, gets a static ``text/html`` snapshot (an exercise widget's own one
# wins).
_KERNEL_SETUP = """
def _wk_deck_setup():
    from IPython import get_ipython

    def snapshot(widget):
        bundle = widget._repr_mimebundle_() or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        if "text/html" in bundle:
            return bundle["text/html"]
        from kit.widgets._snapshot import snapshot_html
        return snapshot_html(widget)

    get_ipython().display_formatter.formatters["text/html"].for_type_by_name(
        "ipywidgets.widgets.widget", "Widget", snapshot)


_wk_deck_setup()
del _wk_deck_setup
"""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _plain(text: str) -> str:
    """Text without terminal colour codes (tracebacks from the kernel carry them)."""
    return _ANSI.sub("", text)


def _run(coro: Any) -> Any:
    """Run a coroutine to the end, also when called from a running event loop (a notebook)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def kernel_env(home: Path, content: Path | None) -> dict[str, str]:
    """Return the kernels' environment: demo profile, ``home`` as participant folder."""
    env = dict(os.environ)
    env.update(
        {
            "WORKSHOP_KIT_PROFILE": "demo",
            "WORKSHOP_KIT_HOME": str(home),
            "MPLBACKEND": "Agg",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    if content is not None:
        env["WORKSHOP_KIT_CONTENT"] = str(content)
    else:
        env.pop("WORKSHOP_KIT_CONTENT", None)
    return env


async def _execute_batch(
    batch: Sequence[tuple[Path, Any]],
    env: dict[str, str],
    work: Path,
    step: Callable[[str], None],
) -> None:
    """Run the notebooks of ``batch`` one after another in one kernel, outputs in place.

    One kernel per batch, its namespace reset before each notebook, runs a notebook as a
    fresh kernel would while the imports (ipywidgets, matplotlib, the content) happen once.
    """
    whole = nbformat.v4.new_notebook(metadata=copy.deepcopy(batch[0][1].metadata))
    whole.cells.append(nbformat.v4.new_code_cell(_KERNEL_SETUP))
    starts: dict[int, Path] = {}  # index of the reset cell -> the notebook it starts
    owner: list[Path | None] = [None]
    for path, nb in batch:
        starts[len(whole.cells)] = path
        whole.cells.append(nbformat.v4.new_code_cell("%reset -f"))
        owner.append(None)
        whole.cells.extend(nb.cells)  # the same cell objects: outputs land in ``nb``
        owner.extend([path] * len(nb.cells))
    order = [p for p, _ in batch]

    def finished(cell: Any, cell_index: int, execute_reply: Any) -> None:
        path = starts.get(cell_index)
        if path is not None and order.index(path) > 0:
            step(f"ran {order[order.index(path) - 1].name}")

    client = NotebookClient(
        whole,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        store_widget_state=False,
        record_timing=False,
        on_cell_executed=finished,
        resources={"metadata": {"path": str(work)}},
    )
    log = work / f"kernel-{order[0].stem}.log"
    try:
        with log.open("wb") as err:
            await client.async_execute(env=env, stderr=err)
    except CellExecutionError as exc:
        at = next(
            (
                i
                for i, c in enumerate(whole.cells)
                if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)
            ),
            None,
        )
        path = owner[at] if at is not None else None
        if path is None:
            raise DeckError(
                f"A notebook failed while building the decks:\n{_plain(str(exc))}"
            ) from exc
        number = at - owner.index(path) + 1
        raise DeckError(
            f"{path.name} failed in cell {number} while building its deck (demo profile): "
            f"{exc.ename}: {_plain(str(exc.evalue))}\n\n{_plain(str(exc)).strip()}"
        ) from exc
    except (DeadKernelError, RuntimeError, TimeoutError) as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise DeckError(
            f"The kernel running {', '.join(p.name for p in order)} failed ({exc}).\n{tail}"
        ) from exc
    step(f"ran {order[-1].name}")


def execute_all(
    paths: Sequence[Path],
    env: dict[str, str],
    work: Path,
    jobs: int,
    step: Callable[[str], None],
) -> list[Any]:
    """Execute every notebook once, in ``jobs`` kernels side by side; return them in order.

    ``step`` is called with a short sentence as each notebook finishes.

    Raises
    ------
    DeckError
        Naming the notebook and the cell that failed, or the kernel that died.
    """
    notebooks = [nbformat.read(p, as_version=4) for p in paths]
    pairs = list(zip(paths, notebooks, strict=True))
    jobs = max(1, min(jobs, len(pairs)))
    batches = [pairs[i::jobs] for i in range(jobs)]

    async def run() -> None:
        await asyncio.gather(*(_execute_batch(b, env, work, step) for b in batches))

    _run(run())
    return notebooks
