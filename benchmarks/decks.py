"""How long does building every deck take in one call, against plain nbconvert per notebook?

Both are measured in the same run, as whole commands (a fresh Python process each, so both
pay for their interpreter start and imports), with the demo profile, a throwaway
participant folder and private, temporary Jupyter folders:

- kit: ``python -m kit slides --out DIR``, one call that builds a deck per notebook plus the
  combined workshop deck (notebooks run in a few kernels side by side, each notebook once,
  one export template compiled once; reveal.js copied beside the decks);
- baseline: ``python -m jupyter nbconvert --to slides --execute NB`` once per notebook, one
  after another, as a facilitator would without the kit. It builds one deck fewer (no
  combined deck), and its decks would not even work offline (they load reveal.js and more
  from CDNs); only its time is compared.

The two alternate for ``--repeat`` rounds; the medians and their ratio are printed.

Run: ``.venv/bin/python benchmarks/decks.py`` (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _env(base: Path) -> dict[str, str]:
    from kit._jupyter import private_jupyter_env

    env = private_jupyter_env(base)
    env.update(
        {
            "WORKSHOP_KIT_PROFILE": "demo",
            "WORKSHOP_KIT_HOME": str(base / "participant"),
            "MPLBACKEND": "Agg",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    env.pop("WORKSHOP_KIT_CONTENT", None)
    return env


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    return elapsed


def kit_once(notebooks: list[Path], base: Path) -> float:
    out = base / "kit-decks"
    return _timed(
        [sys.executable, "-m", "kit", "slides", "--out", str(out), *map(str, notebooks)],
        _env(base),
        base,
    )


def baseline_once(notebooks: list[Path], base: Path) -> float:
    out = base / "nbconvert-decks"
    env = _env(base)
    total = 0.0
    for nb in notebooks:
        total += _timed(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "slides",
                "--execute",
                "--output-dir",
                str(out),
                str(nb),
            ],
            env,
            base,
        )
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="rounds of both (default 1)")
    args = parser.parse_args(argv)
    from kit.decks import notebook_paths

    notebooks = notebook_paths(ROOT / "notebooks")
    print(f"{len(notebooks)} notebooks: {', '.join(p.stem for p in notebooks)}")
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    kit_times, base_times = [], []
    for round_ in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory(prefix="bench-decks-") as tmp:
            base = Path(tmp)
            # Alternate which goes first, so a warm disk cache favours neither.
            order = [("kit", kit_once), ("baseline", baseline_once)]
            if round_ % 2 == 0:
                order.reverse()
            for name, run in order:
                seconds = run(notebooks, base)
                (kit_times if name == "kit" else base_times).append(seconds)
                print(f"round {round_}: {name:8s} {seconds:6.1f} s", flush=True)
    kit_s, base_s = statistics.median(kit_times), statistics.median(base_times)
    print()
    print(f"workshop-kit slides, all {len(notebooks) + 1} decks in one call: {kit_s:6.1f} s")
    print(
        f"jupyter nbconvert --to slides --execute, once per notebook ({len(notebooks)} "
        f"decks): {base_s:6.1f} s"
    )
    print(
        f"ratio baseline / kit: {base_s / kit_s:.2f}x "
        f"(per deck: {base_s / len(notebooks):.1f} s vs {kit_s / (len(notebooks) + 1):.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
