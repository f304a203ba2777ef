"""How much does one slider move cost in the time-allocation widget, against a naive redraw?

Everything is measured in one run, inside a real IPython kernel started with jupyter_client,
so that every widget update is really serialised and sent to the client as a comm message
(in plain Python widgets have no comm and the numbers would be optimistic). The client
drains the kernel's iopub channel throughout and counts the messages it receives.

Measured, per operation, with ``time.perf_counter`` inside the kernel:

- live move: set one slider of :class:`kit.TimeAllocation` (what a drag does, one half-hour
  step at a time); the observer rebalances the week, updates the other sliders, the total
  line and the HTML feedback bars. Unbound (as the brief asks), and once more bound to a
  participant folder, where every step also writes the answers file atomically.
- naive baseline: the same rebalancing, then ``Output.clear_output`` and a full matplotlib
  redraw shown with ``plt.show()`` on every change: once with the exercise's own week chart,
  once with a plain 12-bar chart (a cheaper, more conservative baseline).
- chart refresh: one press of the widget's "Draw the charts" button (both charts to PNG,
  into ``ipywidgets.Image``).

Run: ``.venv/bin/python benchmarks/allocation_live.py`` (about 30 seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

from kit._jupyter import PER_USER_FOLDERS, private_jupyter_env

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import json, time
import matplotlib
%matplotlib inline
import matplotlib.pyplot as plt
import ipywidgets as widgets
from IPython.display import display
from kit import TimeAllocation
from kit import allocation as logic
from kit.answers import AnswerStore
from kit.charts.week import draw_week
from kit.content import load_content

content = load_content()
live = TimeAllocation(store=None)
bound = TimeAllocation(store=AnswerStore(HOME))
display(live, bound)

def make_naive(draw):
    # The same rebalancing as the widget, then clear an Output and redraw a whole figure.
    slider = widgets.FloatSlider(min=0, max=40, step=0.5,
                                 value=logic.empty(content)["current"]["hands_on_coding"])
    out = widgets.Output()
    state = {"value": logic.empty(content)}
    def redraw(change):
        value = dict(state["value"])
        value["current"] = logic.rebalance(value["current"], "hands_on_coding", change["new"])
        state["value"] = value
        out.clear_output(wait=True)
        with out:
            draw(value)
            plt.show()
    slider.observe(redraw, names="value")
    display(widgets.VBox([slider, out]))
    return slider

def draw_full(value):
    fig, ax = plt.subplots(figsize=(7.5, 9.6), layout="constrained")
    draw_week(ax, logic.compare(value, content), content)

def draw_simple(value):
    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    ax.barh(list(value["current"]), list(value["current"].values()))

naive_full = make_naive(draw_full)
naive_simple = make_naive(draw_simple)

def sweep(n, start=3.5, low=2.0, high=30.0):
    # Targets of a drag that goes up and down in half-hour steps, never repeating a value.
    out, v, up = [], start, True
    while len(out) < n:
        if up and v + 0.5 > high or not up and v - 0.5 < low:
            up = not up
        v += 0.5 if up else -0.5
        out.append(v)
    return out

def time_moves(slider, n, warmup=5):
    times = []
    for i, target in enumerate(sweep(n + warmup, start=slider.value)):
        t0 = time.perf_counter()
        slider.value = target
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return times

def time_clicks(button, n, warmup=1):
    times = []
    for i in range(n + warmup):
        t0 = time.perf_counter()
        button.click()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return times

def report(name, times):
    print("RESULT " + json.dumps({"name": name, "seconds": times}))
"""

PHASES = {
    "live": "report('live', time_moves(live._sliders['current']['hands_on_coding'], {n}))",
    "bound": "report('bound', time_moves(bound._sliders['current']['hands_on_coding'], {n}))",
    "naive_full": "report('naive_full', time_moves(naive_full, {n}))",
    "naive_simple": "report('naive_simple', time_moves(naive_simple, {n}))",
    "charts": "report('charts', time_clicks(live._chart_button, {n}))",
}

LABELS = {
    "live": "live move, unbound widget",
    "bound": "live move, bound (saves every step)",
    "naive_full": "naive: clear Output + week chart",
    "naive_simple": "naive: clear Output + 12-bar chart",
    "charts": "chart refresh (button, both charts)",
}


class Kernel:
    """A python3 kernel in a private set of Jupyter folders, driven over ZeroMQ."""

    def __init__(self, folder: Path):
        env = private_jupyter_env(folder)
        for name in PER_USER_FOLDERS:
            os.environ[name] = env[name]  # the connection file goes there too
        env["WORKSHOP_KIT_HOME"] = str(folder / "participant")
        env.pop("WORKSHOP_KIT_PROFILE", None)
        env.pop("WORKSHOP_KIT_CONTENT", None)
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=env, cwd=str(ROOT))
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 300) -> tuple[str, dict[str, int]]:
        """Run ``code``; return its stdout and the iopub messages received, by type."""
        counts: dict[str, int] = {}
        stdout: list[str] = []

        def hook(msg: dict) -> None:
            kind = msg["msg_type"]
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "stream" and msg["content"]["name"] == "stdout":
                stdout.append(msg["content"]["text"])
            elif kind == "error":
                raise RuntimeError("\n".join(msg["content"]["traceback"]))

        reply = self.client.execute_interactive(
            code, output_hook=hook, timeout=timeout, store_history=False
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel error: {reply['content'].get('evalue')}")
        return "".join(stdout), counts

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.2f} ms"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print medians, 95th percentiles and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=300, help="live moves to time")
    parser.add_argument("--naive", type=int, default=20, help="naive redraws to time")
    parser.add_argument("--charts", type=int, default=6, help="chart refreshes to time")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)
    counts = {
        "live": args.moves,
        "bound": max(args.moves // 3, 10),
        "naive_full": args.naive,
        "naive_simple": args.naive,
        "charts": args.charts,
    }
    started = time.perf_counter()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        kernel = Kernel(Path(tmp))
        try:
            home = Path(tmp) / "participant"
            _, setup_msgs = kernel.run(f"HOME = {str(home)!r}\n" + textwrap.dedent(SETUP))
            versions, _ = kernel.run(
                "import ipykernel, ipywidgets, matplotlib, sys\n"
                "print(json.dumps([sys.version.split()[0], ipykernel.__version__,"
                " ipywidgets.__version__, matplotlib.__version__]))"
            )
            for phase, template in PHASES.items():
                n = counts[phase]
                out, msgs = kernel.run(template.format(n=n))
                line = next(x for x in out.splitlines() if x.startswith("RESULT "))
                times = json.loads(line[len("RESULT ") :])["seconds"]
                results[phase] = {
                    "n": len(times),
                    "median": statistics.median(times),
                    "p95": _p95(times),
                    "messages": msgs,
                    "ops": n + (5 if phase != "charts" else 1),
                }
        finally:
            kernel.close()
    py, ipk, ipw, mpl = json.loads(versions.strip().splitlines()[-1])
    print("allocation_live.py: one slider move of TimeAllocation inside a real kernel")
    print(
        f"python {py}, ipykernel {ipk}, ipywidgets {ipw}, matplotlib {mpl}; "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        f"comm_open messages received while building the widgets: {setup_msgs.get('comm_open', 0)}"
    )
    print()
    print(f"{'operation':40} {'n':>4} {'median':>11} {'p95':>11}  iopub messages per op")
    for phase, r in results.items():
        per_op = ", ".join(
            f"{k} {v / r['ops']:.1f}"
            for k, v in sorted(r["messages"].items())
            if k in ("comm_msg", "display_data", "clear_output")
        )
        print(f"{LABELS[phase]:40} {r['n']:4d} {_ms(r['median'])} {_ms(r['p95'])}  {per_op}")
    live = results["live"]["median"]
    full = results["naive_full"]["median"] / live
    simple = results["naive_simple"]["median"] / live
    print()
    print(
        f"ratio naive/live (medians): {full:.0f}x against the week chart, "
        f"{simple:.0f}x against a plain 12-bar chart (aim: at least 10x)"
    )
    print(
        f"live move median: {live * 1e3:.2f} ms (aim: under 5 ms) -> "
        f"{'met' if live < 0.005 and min(full, simple) >= 10 else 'NOT met'}"
    )
    print(f"whole run: {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
