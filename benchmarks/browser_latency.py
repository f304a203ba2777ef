"""From a slider keypress to the updated live feedback, measured in the browser.

Two Voila pages, served by one Voila server in the same run (as ``workshop-kit serve``
serves them, with a participant folder, so the exercise also saves its answers on every
step):

- floor: a bare page, one ``IntSlider`` whose observer writes its value into a ``Label``.
  Nothing cheaper can answer a keypress with a kernel round trip, so this is the floor.
- exercise: the real page of notebook 03, :class:`kit.TimeAllocation`; a keypress moves
  "Hands-on coding" by half an hour, the kernel rebalances the other rows, saves the
  answers file and rewrites the live feedback (the shares, nearest profiles and biggest
  change).
- for insight only: the same widget unbound (``store=None``), which saves nothing; the
  difference to the exercise is the cost of writing the answers file on every step.

Each sample is one real key press (Playwright; ArrowRight, then as many ArrowLeft, on the
focused slider handle, which was reached with Tab). Inside the page a capturing ``keydown``
listener stamps ``performance.now()`` and a ``MutationObserver`` on the label (floor) or
the live-feedback block (exercise) stamps the first change after it; the sample is the
difference, so the browser automation's own overhead is not counted. Presses alternate
between the pages in blocks of ten, each page in its own window, so that all see the same
machine load.

Run: ``.venv/bin/python benchmarks/browser_latency.py`` (about a minute; needs
``/usr/bin/chromium``). Prints p50 and p95 for both and their ratio; the aim is an exercise
p50 within 1.5x of the floor's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from servers import CHROMIUM, chromium, launch_chromium, tab_to, voila_server  # noqa: E402

FLOOR_PAGE = "bench-floor"
FLOOR_SOURCE = """\
import ipywidgets as widgets

slider = widgets.IntSlider(value=0, min=0, max=1000, description="Floor")
slider.add_class("bench-slider")
label = widgets.Label("0")
label.add_class("bench-label")
slider.observe(lambda change: setattr(label, "value", str(change["new"])), names="value")
widgets.VBox([slider, label])
"""
EXERCISE_PAGE = "03-where-the-week-goes"
UNSAVED_PAGE = "bench-week-unsaved"
UNSAVED_SOURCE = """\
from kit import TimeAllocation

TimeAllocation(store=None)
"""
ACTIVITY = "hands_on_coding"

# Stamp the key press and the first change of the watched element after it.
PROBE = """
(selector) => {
  const target = document.querySelector(selector);
  const b = window.__bench = {t0: null, t1: null, before: target.textContent};
  document.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      b.t0 = performance.now(); b.t1 = null; b.before = target.textContent;
    }
  }, true);
  new MutationObserver(() => {
    if (b.t0 !== null && b.t1 === null && target.textContent !== b.before) {
      b.t1 = performance.now();
    }
  }).observe(target, {subtree: true, childList: true, characterData: true});
}
"""


def _notebook(source: str) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "bench",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


class Probe:
    """One page, its slider handle focused by keyboard, ready to time presses."""

    def __init__(self, page, url: str, widget: str, handle: str, watched: str):
        page.goto(url)
        page.locator(widget).wait_for(state="visible", timeout=120_000)
        page.locator(watched).wait_for(state="attached")
        page.wait_for_timeout(500)  # let the first render settle
        tab_to(page, handle)
        page.evaluate(PROBE, watched)
        self.page = page
        self.samples: list[float] = []

    def press(self, key: str, keep: bool) -> None:
        self.page.keyboard.press(key)
        self.page.wait_for_function("() => window.__bench.t1 !== null", timeout=30_000)
        ms = self.page.evaluate("() => window.__bench.t1 - window.__bench.t0")
        if keep:
            self.samples.append(ms)
        self.page.wait_for_timeout(60)  # let any trailing message land before the next press


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print p50, p95 and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--presses",
        type=int,
        default=60,
        help="timed presses per page (at least 50; default %(default)s)",
    )
    parser.add_argument("--warmup", type=int, default=5, help="untimed presses per page")
    parser.add_argument("--json", type=Path, help="also write the raw samples here")
    args = parser.parse_args(argv)
    if args.presses < 50:
        parser.error("--presses must be at least 50")
    if not CHROMIUM.exists():
        print(
            f"{CHROMIUM} not found: run `apt-get install chromium` (as root) first.",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    with voila_server() as server, launch_chromium() as browser:
        for name, source in ((FLOOR_PAGE, FLOOR_SOURCE), (UNSAVED_PAGE, UNSAVED_SOURCE)):
            (server.root / f"{name}.ipynb").write_text(
                json.dumps(_notebook(source)), encoding="utf-8"
            )
        handle = f".wk-slider-current-{ACTIVITY} .noUi-handle"
        with (
            chromium(browser) as (floor_page, floor_out),
            chromium(browser) as (week_page, week_out),
            chromium(browser) as (unsaved_page, unsaved_out),
        ):
            floor = Probe(
                floor_page,
                server.page(FLOOR_PAGE),
                ".bench-slider",
                ".bench-slider .noUi-handle",
                ".bench-label",
            )
            week = Probe(
                week_page, server.page(EXERCISE_PAGE), ".wk-time-allocation", handle, ".wk-feedback"
            )
            unsaved = Probe(
                unsaved_page,
                server.page(UNSAVED_PAGE),
                ".wk-time-allocation",
                handle,
                ".wk-feedback",
            )
            # Up for the first half, then back down: the week stays well inside 40 hours.
            total = args.warmup + args.presses
            keys = ["ArrowRight"] * (total - total // 2) + ["ArrowLeft"] * (total // 2)
            block = 10
            for start in range(0, total, block):
                for probe in (floor, week, unsaved):
                    for i in range(start, min(start + block, total)):
                        probe.press(keys[i], keep=i >= args.warmup)
            # The presses did what they should: the state the page shows is the final one.
            moved = keys.count("ArrowRight") - keys.count("ArrowLeft")
            label = floor_page.locator(".bench-label").inner_text().strip()
            readout = (
                week_page.locator(f".wk-slider-current-{ACTIVITY} .widget-readout")
                .inner_text()
                .strip()
            )
            saved = json.loads((server.home / "allocation.json").read_text("utf-8"))["value"]
            outside = floor_out + week_out + unsaved_out
        expected_week = saved["current"][ACTIVITY]
    checks = {
        "floor label shows every press": label == str(moved),
        "exercise slider shows the saved hours": readout == f"{expected_week:.1f}",
        "the saved week still adds up to 40 h": abs(sum(saved["current"].values()) - saved["total"])
        < 1e-9,
        "no request left the machine": not outside,
    }
    results = {
        name: {
            "n": len(p.samples),
            "p50": statistics.median(p.samples),
            "p95": _p95(p.samples),
            "samples": p.samples,
        }
        for name, p in (("floor", floor), ("exercise", week), ("unsaved", unsaved))
    }
    import ipywidgets
    import voila

    print(
        "browser_latency.py: slider keypress -> updated live feedback, in Chromium, served by Voila"
    )
    print(
        f"python {platform.python_version()}, voila {voila.__version__}, ipywidgets "
        f"{ipywidgets.__version__}; {os.cpu_count()} CPUs, {platform.machine()}"
    )
    print()
    print(f"{'page':58} {'n':>4} {'p50':>9} {'p95':>9}")
    labels = {
        "floor": "floor: bare IntSlider -> Label",
        "exercise": "exercise: TimeAllocation slider -> live feedback (saves)",
        "unsaved": "  the same, unbound (saves nothing; for insight)",
    }
    for name, r in results.items():
        print(f"{labels[name]:58} {r['n']:4d} {r['p50']:7.1f} ms {r['p95']:7.1f} ms")
    ratio50 = results["exercise"]["p50"] / results["floor"]["p50"]
    ratio95 = results["exercise"]["p95"] / results["floor"]["p95"]
    print()
    print(
        f"ratio exercise/floor: p50 {ratio50:.2f}x, p95 {ratio95:.2f}x "
        f"(aim: p50 within 1.5x) -> {'met' if ratio50 <= 1.5 else 'NOT met'}"
    )
    print(
        f"ratio unbound/floor:  p50 {results['unsaved']['p50'] / results['floor']['p50']:.2f}x"
        f" (what saving the answers file on every step adds: "
        f"{results['exercise']['p50'] - results['unsaved']['p50']:+.1f} ms at p50)"
    )
    for what, ok in checks.items():
        print(f"check: {what}: {'yes' if ok else 'NO'}")
    print(f"whole run: {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
