"""How fast the participant pages feel, and what one participant costs, measured in Chromium.

The pages are served as ``workshop-kit serve`` serves them (Voila with the kit's settings:
a page per step whose kernel builds the step, and Next steps on in that same kernel, so a
participant holds one live kernel; see :mod:`kit.pages.stepper`). One Chromium window plays the
participant, as a participant's browser would: with its HTTP cache (Voila's scripts are
loaded once, then come from the cache), and no request may leave the machine.

- open: from ``page.goto`` of a step's link to its exercise being usable (its first control
  drawn with a size on screen, which needs the page's kernel to have run every cell and the
  widgets to be drawn); every page of the journey is opened this way in each round.
- next: from a click on Next to the next step being usable, through the whole journey (the
  step is swapped in place: no new page, no new kernel).
- answers: the participant folder holds the demo profile's answers (``--answers none``: empty),
  so each exercise restores saved answers and the last page draws its charts, as for a
  participant who did every step.
- baseline: the same server's page of a bare notebook with one slider (no kit), opened the
  same way in every round. Pages are reported as ratios to it, so a busy machine moves both.
- memory: after the rounds, the proportional set size (PSS: shared pages divided among the
  processes that share them) of the Voila server and of every kernel still running; a
  participant holds the server (their own, on a hub) and one page kernel.

"Usable" is timed inside the page (the first animation frame in which the control has a
size), not by Playwright's polling, which waits up to half a second between looks.

It also times, inside real kernels (``jupyter_client``), why one kernel stepping through the
notebooks is the design: the cold start of a page (a new kernel, the kit imported, the
exercise built) against building the next exercise in a kernel that is already warm.

The kit is measured as installed: an install compiles the kit to bytecode, so when this
Python is told not to write bytecode (``PYTHONDONTWRITEBYTECODE``) the kit is compiled first
(into its ``__pycache__`` folders, which git ignores); else every kernel would compile it.

Run: ``.venv/bin/python benchmarks/pages.py`` (three to five minutes; needs
``/usr/bin/chromium``); ``--rounds N`` for more samples, ``--json FILE`` for the raw numbers.
The aim: p50 of open (an exercise) and of next at most 1.5 s.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from servers import _is_local, jupyter_env, launch_chromium, voila_server  # noqa: E402

#: What makes each step usable: its first control on screen, inside that step's own box
#: (after a click on Next, the step before it is still on screen until the new one is in).
USABLE = {
    name: f".wk-step-{name} {control}"
    for name, control in {
        "00-welcome": ".wk-join-room input",
        "01-the-dilemma": ".wk-first_position .wk-lean .jupyter-button",
        "02-why-leaders-still-build": ".wk-frequency .jupyter-button",
        "03-where-the-week-goes": ".wk-slider-current-hands_on_coding .noUi-handle",
        "04-which-shape-fits": ".wk-statement .jupyter-button",
        "05-your-path": ".wk-save-report",
    }.items()
}
BASELINE = "baseline-one-slider"
USABLE[BASELINE] = ".wk-baseline .noUi-handle"
TIMEOUT = 120_000
#: One exercise per notebook, as its cell builds it (for the kernel-side comparison).
BUILD = {
    "02-why-leaders-still-build": "from kit import MotivationSort\nw = MotivationSort()",
    "03-where-the-week-goes": "from kit import TimeAllocation\nw = TimeAllocation()",
    "04-which-shape-fits": "from kit import ArchetypeMatcher\nw = ArchetypeMatcher()",
    "05-your-path": "from kit import YourPath, Commitments\nw = (YourPath(), Commitments())",
}
#: In every page: the moment (epoch ms) the control named in sessionStorage has a size.
#: ``wkWatch()`` starts a new look; each call stops the one before (a step swapped in place
#: is the same document, so the page's script is not run again).
WATCH = """
(() => {
  let generation = 0;
  window.wkWatch = () => {
    const mine = ++generation;
    window.wkUsable = undefined;
    function look() {
      if (mine !== generation) { return; }
      const sel = sessionStorage.getItem('wk-usable');
      const el = sel && document.querySelector(sel);
      if (el) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden') {
          window.wkUsable = performance.timeOrigin + performance.now();
          return;
        }
      }
      requestAnimationFrame(look);
    }
    requestAnimationFrame(look);
  };
  window.wkWatch();
})();
"""


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _load() -> float:
    return os.getloadavg()[0]


def _baseline_notebook(folder: Path) -> None:
    cell = (
        "import ipywidgets as widgets\n"
        "s = widgets.IntSlider(description='x')\ns.add_class('wk-baseline')\ns"
    )
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": cell,
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / f"{BASELINE}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def _timed(page, notebook: str, act) -> tuple[float, float]:
    """Run ``act`` (a goto or a click) and return (seconds to usable, load average)."""
    page.evaluate(
        "s => { sessionStorage.setItem('wk-usable', s); if (window.wkWatch) window.wkWatch(); }",
        USABLE[notebook],
    )
    started = time.time() * 1000
    act()
    page.locator(USABLE[notebook]).first.wait_for(state="visible", timeout=TIMEOUT)
    page.wait_for_function("() => window.wkUsable", timeout=TIMEOUT)
    return (page.evaluate("() => window.wkUsable") - started) / 1000, _load()


def _fill_demo(home: Path) -> None:
    """Save the demo profile's answers in ``home``, as a participant who did every step."""
    from kit import exercises
    from kit.answers import AnswerStore, DemoStore

    demo, store = DemoStore(), AnswerStore(home)
    for name in exercises.names():
        value = demo.load(name).value
        if value:
            store.save(name, value)


def _browser_rounds(rounds: int, answers: str) -> dict:
    from kit.pages.journey import page_steps

    steps = [s.notebook for s in page_steps()]
    samples: dict[str, list] = {f"open {s}": [] for s in steps}
    samples |= {f"next {s}": [] for s in steps[1:]}
    samples[f"open {BASELINE}"] = []
    work = Path(tempfile.mkdtemp(prefix="wk-pages-bench-"))
    home = work / "participant"
    if answers == "demo":
        _fill_demo(home)
    with voila_server(work, home) as server, launch_chromium() as browser:
        _baseline_notebook(server.root)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.add_init_script(WATCH)
        outside: list[str] = []
        context.on("request", lambda r: None if _is_local(r.url) else outside.append(r.url))
        page = context.new_page()

        def goto(notebook: str):
            return lambda: page.goto(server.page(notebook), wait_until="commit", timeout=TIMEOUT)

        page.goto(server.page(steps[0]), wait_until="commit", timeout=TIMEOUT)
        _timed(page, BASELINE, goto(BASELINE))  # warm-up: the browser cache, first imports
        baseline_kernels = [_kernel_id(page)]
        for _ in range(rounds):
            samples[f"open {BASELINE}"].append(_timed(page, BASELINE, goto(BASELINE)))
            baseline_kernels.append(_kernel_id(page))  # not a journey page: left running
            for notebook in steps:
                samples[f"open {notebook}"].append(_timed(page, notebook, goto(notebook)))
            _timed(page, steps[0], goto(steps[0]))
            for notebook in steps[1:]:
                click = page.locator("a.wk-next").click
                samples[f"next {notebook}"].append(_timed(page, notebook, click))
        time.sleep(2)  # the last page's predecessor is shut down in the background
        memory = _memory(server.process.pid, set(baseline_kernels))
        context.close()
        assert outside == [], f"requests that left the machine: {outside}"
    shutil.rmtree(work, ignore_errors=True)
    return {"samples": samples, "memory_mib": memory}


def _kernel_id(page) -> str:
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def _memory(pid: int, leave_out: set[str]) -> dict[str, float]:
    """PSS of the server and of its kernels, except those in ``leave_out`` (the baseline's)."""
    import psutil

    def pss(p) -> float:
        try:
            return p.memory_full_info().pss / (1024 * 1024)
        except (psutil.AccessDenied, AttributeError):  # no PSS here: resident size instead
            return p.memory_info().rss / (1024 * 1024)

    server = psutil.Process(pid)
    kernels = [
        p
        for p in server.children(recursive=True)
        if "kernel" in " ".join(p.cmdline())
        and not any(f"kernel-{k}" in " ".join(p.cmdline()) for k in leave_out)
    ]
    return {"server": pss(server), "kernels": len(kernels), "kernel": sum(map(pss, kernels))}


def _kernel_side(rounds: int) -> dict:
    """Seconds for a cold page (new kernel + build) and a warm step (build only)."""
    from jupyter_client.manager import start_new_kernel

    from kit.pages.kernel import KERNEL_NAME
    from kit.serve import voila_env

    cold: list = []
    warm: list = []
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        env = voila_env(jupyter_env(Path(tmp), Path(tmp) / "participant"))
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            for _ in range(rounds):
                for source in BUILD.values():
                    started = time.perf_counter()
                    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
                    try:
                        client.execute_interactive(source, timeout=120, store_history=False)
                        cold.append((time.perf_counter() - started, _load()))
                        for again in BUILD.values():  # the next steps, in the same kernel
                            started = time.perf_counter()
                            client.execute_interactive(again, timeout=120, store_history=False)
                            warm.append((time.perf_counter() - started, _load()))
                    finally:
                        client.stop_channels()
                        manager.shutdown_kernel(now=True)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return {"kernel: cold page (start+build)": cold, "kernel: warm step (build only)": warm}


def _compile_kit() -> str:
    import kit

    if not sys.flags.dont_write_bytecode:
        return "kit bytecode: as Python writes it"
    folder = Path(kit.__file__).parent
    compileall.compile_dir(folder, quiet=1)
    return f"kit bytecode: compiled first ({folder}), as an install does"


def _row(name: str, pairs: list, base: float | None) -> str:
    values = [v for v, _ in pairs]
    loads = [lo for _, lo in pairs]
    p50 = statistics.median(values)
    ratio = f"{p50 / base:7.1f}x" if base else f"{'':8}"
    return (
        f"{name:36}{p50:7.2f}{_p(values, 0.95):7.2f}{len(values):4}{ratio}"
        f"   load {min(loads):.1f}-{max(loads):.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="journeys walked (default 3)")
    parser.add_argument("--json", help="also write the raw numbers to this file")
    parser.add_argument(
        "--answers",
        choices=("demo", "none"),
        default="demo",
        help="the participant folder: the demo profile's answers (default) or empty",
    )
    parser.add_argument(
        "--no-kernel-side", action="store_true", help="skip the jupyter_client comparison"
    )
    args = parser.parse_args(argv)
    compiled = _compile_kit()
    browser = _browser_rounds(args.rounds, args.answers)
    kernel = {} if args.no_kernel_side else _kernel_side(max(1, args.rounds - 1))
    samples = browser["samples"]
    exercises = [
        x for k, xs in samples.items() if k.startswith("open ") and k[5:] in BUILD for x in xs
    ]
    every_next = [x for k, xs in samples.items() if k.startswith("next ") for x in xs]
    base = statistics.median(v for v, _ in samples[f"open {BASELINE}"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {compiled}")
    print(f"participant folder: {'the demo answers' if args.answers == 'demo' else 'empty'}")
    print(f"{'':36}{'p50 s':>7}{'p95 s':>7}{'n':>4}{'/base':>8}   load (1-min average)")
    rows = [
        ("baseline: one-slider page", samples[f"open {BASELINE}"]),
        ("open link -> usable exercise", exercises),
        ("Next -> next page usable", every_next),
        *((f"  {k}", v) for k, v in samples.items() if BASELINE not in k),
        *kernel.items(),
    ]
    for name, pairs in rows:
        print(_row(name, pairs, None if name.startswith(("baseline", "kernel")) else base))
    mem = browser["memory_mib"]
    print(
        f"memory (PSS): server {mem['server']:.0f} MiB + {mem['kernels']} live kernel(s) "
        f"{mem['kernel']:.0f} MiB = {mem['server'] + mem['kernel']:.0f} MiB per participant"
        f"   load {_load():.1f}"
    )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"browser": browser, "kernel": kernel}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
