"""How fast the participant pages feel, and what one participant costs, measured in Chromium.

The pages are served as ``workshop-kit serve`` serves them (Voila with the kit's settings:
one page per notebook, one live kernel per participant). One Chromium window plays the
participant:

- open: from ``page.goto`` of a step's link to its exercise being usable (its first control
  visible, which needs the page's kernel to have run every cell and the widgets to be drawn);
  every page of the journey is opened this way in each round.
- next: from a click on Next to the next step being usable, through the whole journey.
- memory: after the rounds, the resident memory (RSS) of the Voila server and of every
  kernel it runs; a participant holds the server (their own, on a hub) and one kernel.

For the choice between designs it also times, inside real kernels (``jupyter_client``), what
one kernel stepping through the notebooks would save: the cold start of a page (a new
kernel, the kit imported, the exercise built) against building the next exercise in a kernel
that is already warm. The browser's own share (loading the page and drawing the widgets) is
the same in both designs, so "open" minus "cold kernel" is what stepping cannot remove.

Run: ``.venv/bin/python benchmarks/pages.py`` (two to four minutes; needs
``/usr/bin/chromium``); ``--rounds N`` for more samples, ``--json FILE`` for the raw numbers.
The aim: p50 of open and of next at most 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from servers import chromium, jupyter_env, launch_chromium, voila_server  # noqa: E402

#: What makes each step usable: its first control on screen.
USABLE = {
    "00-welcome": ".wk-join-room input",
    "01-the-dilemma": "a.wk-next",
    "02-why-leaders-still-build": ".wk-frequency .jupyter-button",
    "03-where-the-week-goes": ".wk-slider-current-hands_on_coding .noUi-handle",
    "04-which-shape-fits": ".wk-statement .jupyter-button",
    "05-your-path": ".wk-save-report",
}
TIMEOUT = 120_000
#: One exercise per notebook, as its cell builds it (for the kernel-side comparison).
BUILD = {
    "02-why-leaders-still-build": "from kit import MotivationSort\nw = MotivationSort()",
    "03-where-the-week-goes": "from kit import TimeAllocation\nw = TimeAllocation()",
    "04-which-shape-fits": "from kit import ArchetypeMatcher\nw = ArchetypeMatcher()",
    "05-your-path": "from kit import YourPath, Commitments\nw = (YourPath(), Commitments())",
}


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _usable(page, notebook: str, started: float) -> float:
    page.locator(USABLE[notebook]).first.wait_for(state="visible", timeout=TIMEOUT)
    return time.perf_counter() - started


def _browser_rounds(rounds: int) -> dict:
    from kit.pages.journey import page_steps

    steps = [s.notebook for s in page_steps()]
    opened: dict[str, list[float]] = {s: [] for s in steps}
    nexts: dict[str, list[float]] = {s: [] for s in steps[1:]}
    memory: dict[str, float] = {}
    with voila_server() as server, launch_chromium() as browser:
        with chromium(browser, width=1366, height=768) as (page, outside):
            page.goto(server.page(steps[0]), wait_until="commit", timeout=TIMEOUT)
            _usable(page, steps[0], time.perf_counter())  # warm-up: first imports, caches
            for _ in range(rounds):
                for notebook in steps:
                    started = time.perf_counter()
                    page.goto(server.page(notebook), wait_until="commit", timeout=TIMEOUT)
                    opened[notebook].append(_usable(page, notebook, started))
                page.goto(server.page(steps[0]), wait_until="commit", timeout=TIMEOUT)
                _usable(page, steps[0], time.perf_counter())
                for notebook in steps[1:]:
                    started = time.perf_counter()
                    page.locator("a.wk-next").click()
                    nexts[notebook].append(_usable(page, notebook, started))
            memory = _memory(server.process.pid)
            assert outside == [], f"requests that left the machine: {outside}"
    return {"open": opened, "next": nexts, "memory_mib": memory}


def _memory(pid: int) -> dict[str, float]:
    import psutil

    server = psutil.Process(pid)
    kernels = [p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    mib = 1024 * 1024
    return {
        "server": server.memory_info().rss / mib,
        "kernels": len(kernels),
        "kernel": sum(k.memory_info().rss for k in kernels) / mib,
    }


def _kernel_side(rounds: int) -> dict:
    """Seconds for a cold page (new kernel + build) and a warm step (build only)."""
    from jupyter_client.manager import start_new_kernel

    cold: list[float] = []
    warm: list[float] = []
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        env = jupyter_env(Path(tmp), Path(tmp) / "participant")
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            for _ in range(rounds):
                for source in BUILD.values():
                    started = time.perf_counter()
                    manager, client = start_new_kernel(kernel_name="python3")
                    try:
                        client.execute_interactive(source, timeout=120, store_history=False)
                        cold.append(time.perf_counter() - started)
                        for again in BUILD.values():  # the next steps, in the same kernel
                            started = time.perf_counter()
                            client.execute_interactive(again, timeout=120, store_history=False)
                            warm.append(time.perf_counter() - started)
                    finally:
                        client.stop_channels()
                        manager.shutdown_kernel(now=True)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return {"cold_page": cold, "warm_step": warm}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="journeys walked (default 3)")
    parser.add_argument("--json", help="also write the raw numbers to this file")
    args = parser.parse_args(argv)
    browser = _browser_rounds(args.rounds)
    kernel = _kernel_side(max(1, args.rounds - 1))
    every_open = [x for xs in browser["open"].values() for x in xs]
    every_next = [x for xs in browser["next"].values() for x in xs]
    exercises = [x for k, xs in browser["open"].items() if k in BUILD for x in xs]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'':34}{'p50 s':>8}{'p95 s':>8}{'n':>5}")
    rows = [
        ("open link -> usable (all pages)", every_open),
        ("open link -> usable exercise", exercises),
        ("Next -> next page usable", every_next),
        *((f"  open {k}", v) for k, v in browser["open"].items()),
        *((f"  next -> {k}", v) for k, v in browser["next"].items()),
        ("kernel: cold page (start+build)", kernel["cold_page"]),
        ("kernel: warm step (build only)", kernel["warm_step"]),
    ]
    for name, values in rows:
        print(f"{name:34}{statistics.median(values):8.2f}{_p(values, 0.95):8.2f}{len(values):5}")
    mem = browser["memory_mib"]
    print(
        f"memory: server {mem['server']:.0f} MiB + {mem['kernels']} live kernel(s) "
        f"{mem['kernel']:.0f} MiB = {mem['server'] + mem['kernel']:.0f} MiB per participant"
    )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"browser": browser, "kernel": kernel}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
