"""How many participants one hub machine holds: logins, CPU, memory, on a real JupyterHub.

A hub is started exactly as the hub tests start it (``deploy/jupyterhub_config.py`` with the
test overrides in ``tests/hub/hub_config.py``: 127.0.0.1, the simple local-process spawner).
K participants then log in through the login form with ``requests``, either arriving evenly
over ``--over`` seconds (60 by default) or all at once, and each:

1. logs in and lands on the first page of the guided flow (the server is started on login;
   a start refused by the spawn limit, "too many users trying to log in", is asked for again
   10 s later, as the guide tells people to, and counted);
2. opens the first exercise page (``02``: the first step whose id names an exercise in the
   registry; the story page before it is left for the walk): the page is *usable* when
   Voila has sent it whole, which is when its kernel has run every cell and the widgets
   exist (a browser then needs about 1-2 s more to draw them);
3. walks the rest of the flow as Next does: the exercise page's kernel builds every other
   step after the first in turn (no new page, no new kernel; see ``kit.pages.stepper``).

Printed per run:

- p50 / p95 seconds from pressing "Log in" to a usable first exercise;
- CPU-seconds per participant from the first login until everyone's exercise was usable
  (the hub, the proxy, every server and kernel, from /proc), and the hub's own CPU-seconds;
- memory per added participant after the walk: the machine's (drop of MemAvailable / K)
  and the sum of the proportional set size (PSS) of their servers and kernels / K, with the
  PSS of one hub, proxy, culler, server and kernel;
- the same memory once kernels of pages left behind are culled (``--settle`` seconds; the
  deployed config culls such kernels after 2 idle minutes);
- where the login CPU went: the hub, the proxy, each participant's server up to the moment
  it answered the hub (its start: imports, server extensions), the server afterwards (the
  Voila pages it rendered), and the kernels (sampled from /proc twice a second, so a process
  that ends between two samples loses at most half a second).

``--baseline`` first runs every size with the participants' servers as JupyterHub starts them
out of the box (every installed server extension: JupyterLab, jupyter_lsp, the terminals,
notebook_shim; no trims), then with the deployed settings, back to back, and prints the
deployed figures as ratios of that baseline: on a machine shared with other work, a ratio
measured in one run is steadier than two absolute figures measured an hour apart.

The machine is shared: CPU and MemAvailable move with whatever else runs, so compare runs
made back to back, and prefer PSS for memory.

Run: ``.venv/bin/python benchmarks/hub_capacity.py --sizes 10,20`` (several minutes per size);
``--sizes 10 --baseline`` for the deployed trims against JupyterHub's defaults;
``--toy`` is the 2-participant run CI makes so that this script keeps working.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What a click on Next does in the page's kernel (the page's script hands the kernel the
#: step's name; see kit.pages.stepper).
_NEXT = """
import ipywidgets
from kit.pages.stepper import Stepper
page = next(w for w in list(ipywidgets.Widget.widgets.values()) if isinstance(w, Stepper))
page.go({notebook!r})
assert page.notebook == {notebook!r} and not page.last_error, page.last_error
"""
sys.path.insert(0, str(ROOT / "tests" / "hub"))

from hubrun import Participant, running_hub, tree  # noqa: E402

from kit.exercises import names as exercise_names  # noqa: E402
from kit.pages.journey import page_steps  # noqa: E402

PAGE_SIZE = 4096


# ----------------------------------------------------------------------------- /proc
def _cpu(pid: int) -> float:
    """CPU-seconds (user + system) of one process, and of its children it has reaped."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _pss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cmd(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _kind(pid: int, hub_pid: int) -> str:
    cmd = _cmd(pid)
    if pid == hub_pid:
        return "hub"
    for word, kind in (
        ("configurable-http-proxy", "proxy"),
        ("jupyterhub_idle_culler", "culler"),
        ("jupyterhub.singleuser", "server"),
        ("ipykernel", "kernel"),
        ("kit.pages.kernel", "kernel"),
    ):
        if word in cmd:
            return kind
    return "other"


def _own_cpu(pid: int) -> float:
    """CPU-seconds (user + system) of one process alone, without its reaped children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _hub_user(pid: int) -> str:
    """The hub user a single-user server runs for (its JUPYTERHUB_USER), or ''."""
    try:
        for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if item.startswith(b"JUPYTERHUB_USER="):
                return item.split(b"=", 1)[1].decode()
    except OSError:
        pass
    return ""


class CpuSampler:
    """Where the CPU goes: every process under the hub, by kind, sampled twice a second.

    Each process counts from its first sample (processes already running when sampling
    starts: from then; new ones: from their start, their own CPU only). A participant's
    server is split at :meth:`mark_ready`, the moment its login finished: before is its
    start (imports, extensions, the hub handshake), after is the pages it served.
    """

    def __init__(self, hub_pid: int, interval: float = 0.5) -> None:
        self.hub_pid, self.interval = hub_pid, interval
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.kind: dict[int, str] = {}
        self.ready_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sample(initial=True)
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _sample(self, initial: bool = False) -> None:
        with self._lock:
            for pid in tree(self.hub_pid):
                cpu = _own_cpu(pid)
                if pid not in self.kind:
                    self.kind[pid] = _kind(pid, self.hub_pid)
                    self.first[pid] = cpu if initial else 0.0
                self.last[pid] = max(cpu, self.last.get(pid, 0.0))

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def mark_ready(self, user: str) -> None:
        """Note the CPU of ``user``'s server now (their login has just finished)."""
        self._sample()
        with self._lock:
            for pid, kind in self.kind.items():
                if kind == "server" and pid not in self.ready_cpu and _hub_user(pid) == user:
                    self.ready_cpu[pid] = self.last[pid] - self.first[pid]

    def stop(self) -> dict[str, float]:
        """Stop sampling; return CPU-seconds by kind since sampling started."""
        self._sample()
        self._stop.set()
        self._thread.join()
        out: dict[str, float] = {}
        for pid, kind in self.kind.items():
            used = self.last[pid] - self.first[pid]
            if kind == "server":
                start = self.ready_cpu.get(pid, used)
                out["server_start"] = out.get("server_start", 0.0) + start
                out["server_pages"] = out.get("server_pages", 0.0) + used - start
            else:
                out[kind] = out.get(kind, 0.0) + used
        return out


def _mem_available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no MemAvailable in /proc/meminfo")


def _memory(hub_pid: int) -> dict:
    per_kind: dict[str, list[float]] = {}
    for pid in tree(hub_pid):
        per_kind.setdefault(_kind(pid, hub_pid), []).append(_pss_mib(pid))
    return per_kind


# ----------------------------------------------------------------------------- one run
def run(k: int, over: float, settle: float, walk: bool, baseline: bool = False) -> dict:
    """Log in ``k`` participants arriving over ``over`` seconds (0: at once); measure.

    ``baseline``: the participants' servers as JupyterHub starts them without the deployed
    trims (see ``tests/hub/hub_config.py``), for a ratio measured in the same run.
    """
    steps = page_steps()
    # The first page that holds an exercise (the pages before it tell a story, no widgets).
    first_exercise = next(s.notebook for s in steps if s.id in exercise_names())
    later = [s.notebook for s in steps[1:] if s.notebook != first_exercise] if walk else []
    extra = {"WORKSHOP_TEST_UNTRIMMED": "1"} if baseline else {}
    with tempfile.TemporaryDirectory(prefix="hub-capacity-") as folder:
        with running_hub(Path(folder), extra_env=extra) as hub:
            pid = hub.process.pid
            time.sleep(2)  # let the hub settle after start-up
            mem_before = _mem_available_mib()
            cpu_before = sum(_cpu(p) for p in tree(pid))
            hub_cpu_before = _cpu(pid)
            sampler = CpuSampler(pid)
            start = time.monotonic()
            usable: dict[str, float] = {}
            failures: list[str] = []
            retries = [0]
            refused = [0]
            # Nobody walks on before everyone's first exercise is usable, so that the CPU
            # measured up to then is the cost of logging in, and nothing else.
            ready = threading.Barrier(k + 1, timeout=1800)
            walked = threading.Barrier(k + 1, timeout=1800)

            def participant(n: int) -> None:
                name = f"bench{n:03d}@example.com"
                time.sleep(max(0.0, start + (over * n / k) - time.monotonic()))
                t0 = time.monotonic()
                person = Participant(hub, name)
                try:
                    person.login(timeout=600)
                    sampler.mark_ready(name)
                    opened = person.open_page(first_exercise, limit=600)
                    usable[name] = time.monotonic() - t0
                except Exception as exc:  # a benchmark reports failures, it does not stop
                    failures.append(f"{name}: {type(exc).__name__}: {exc}")
                ready.wait()
                try:
                    if name in usable:
                        for page in later:  # Next: the same kernel builds the step
                            opened.run(_NEXT.format(notebook=page), timeout=600)
                except Exception as exc:
                    failures.append(f"{name} (walk): {type(exc).__name__}: {exc}")
                finally:
                    retries[0] += person.retries
                    refused[0] += person.refused
                    walked.wait()

            threads = [threading.Thread(target=participant, args=(n,)) for n in range(k)]
            for t in threads:
                t.start()
            load_before = os.getloadavg()[0]
            ready.wait()
            all_usable = time.monotonic() - start
            cpu_login = sum(_cpu(p) for p in tree(pid)) - cpu_before
            hub_cpu = _cpu(pid) - hub_cpu_before
            by_kind = sampler.stop()
            walked.wait()
            for t in threads:
                t.join()
            time.sleep(3)  # the last pages' kernels finish starting
            after_walk = _memory(pid)
            mem_walk = mem_before - _mem_available_mib()
            settled = None
            if settle:
                time.sleep(settle)
                settled = _memory(pid)
    times = sorted(usable.values())
    return {
        "participants": k,
        "baseline": baseline,
        "load_average_at_start": load_before,
        "arrival_seconds": over,
        "failures": failures,
        "page_retries": retries[0],
        "spawns_refused": refused[0],
        "usable_p50_s": _pct(times, 50),
        "usable_p95_s": _pct(times, 95),
        "usable_max_s": times[-1] if times else None,
        "all_usable_after_s": all_usable,
        "cpu_s_per_participant": cpu_login / k,
        "hub_cpu_s": hub_cpu,
        "cpu_s_by_kind_per_participant": {kind: v / k for kind, v in sorted(by_kind.items())},
        "machine_mib_per_participant_after_walk": mem_walk / k,
        "pss_after_walk": _summary(after_walk, k),
        "pss_after_settle": _summary(settled, k) if settled else None,
    }


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def _summary(per_kind: dict[str, list[float]], k: int) -> dict:
    servers, kernels = per_kind.get("server", []), per_kind.get("kernel", [])
    return {
        "per_participant_mib": (sum(servers) + sum(kernels)) / k,
        "kernels_per_participant": len(kernels) / k,
        **{
            f"{kind}_mib": statistics.mean(values)
            for kind, values in per_kind.items()
            if values and kind != "other"
        },
    }


def _print(result: dict) -> None:
    r, w = result, result["pss_after_walk"]
    when = "at once" if not r["arrival_seconds"] else f"over {r['arrival_seconds']:.0f} s"
    what = "BASELINE (no trims) " if r.get("baseline") else ""
    print(
        f"\n{what}K={r['participants']} arriving {when} "
        f"(load average {r['load_average_at_start']:.1f} at the start)"
    )
    if r["failures"]:
        print(f"  FAILED: {len(r['failures'])}: " + "; ".join(r["failures"][:3]))
    print(
        f"  login -> usable first exercise: p50 {r['usable_p50_s']:.1f} s, "
        f"p95 {r['usable_p95_s']:.1f} s, max {r['usable_max_s']:.1f} s "
        f"(pages asked again: {r['page_retries']}; starts refused by the spawn limit and "
        f"tried again 10 s later: {r.get('spawns_refused', 0)})"
    )
    print(
        f"  CPU per participant to a usable page: {r['cpu_s_per_participant']:.1f} s; "
        f"hub CPU: {r['hub_cpu_s']:.1f} s"
    )
    print(
        "  of which, per participant: "
        + ", ".join(f"{kind} {v:.2f} s" for kind, v in r["cpu_s_by_kind_per_participant"].items())
    )
    print(
        f"  memory per participant after the walk: PSS {w['per_participant_mib']:.0f} MiB "
        f"({w['kernels_per_participant']:.1f} kernels each); machine "
        f"{r['machine_mib_per_participant_after_walk']:.0f} MiB"
    )
    print(
        "  PSS each: "
        + ", ".join(
            f"{k[:-4]} {v:.0f} MiB"
            for k, v in w.items()
            if k.endswith("_mib") and k != "per_participant_mib"
        )
    )
    s = r["pss_after_settle"]
    if s:
        print(
            f"  after kernels of pages left were culled: PSS {s['per_participant_mib']:.0f} MiB "
            f"per participant ({s['kernels_per_participant']:.1f} kernels each)"
        )


def _print_ratios(base: dict, trimmed: dict) -> None:
    def ratio(key: str, a: dict = base, b: dict = trimmed) -> str:
        return f"{b[key] / a[key]:.2f}" if a.get(key) and b.get(key) is not None else "n/a"

    bw, tw = base["pss_after_walk"], trimmed["pss_after_walk"]
    print(
        f"  deployed / baseline, same run: p50 {ratio('usable_p50_s')}, "
        f"p95 {ratio('usable_p95_s')}, CPU per participant {ratio('cpu_s_per_participant')}, "
        f"hub CPU {ratio('hub_cpu_s')}, PSS per participant "
        f"{ratio('per_participant_mib', bw, tw)}, server PSS {ratio('server_mib', bw, tw)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,20", help="participant counts, e.g. 10,20,40")
    parser.add_argument("--over", type=float, default=60.0, help="arrival spread, seconds")
    parser.add_argument("--at-once", action="store_true", help="also a run with all at once")
    parser.add_argument("--settle", type=float, default=0.0, help="then wait and measure again")
    parser.add_argument("--no-walk", action="store_true", help="stop at the first exercise")
    parser.add_argument(
        "--baseline", action="store_true", help="each size first without the deployed trims"
    )
    parser.add_argument("--toy", action="store_true", help="2 participants at once (CI)")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if args.toy:
        plans = [(2, 0.0, 0.0, False)]
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        walk = not args.no_walk
        plans = [(k, args.over, args.settle, walk) for k in sizes]
        if args.at_once:
            plans += [(k, 0.0, 0.0, walk) for k in sizes]
    results = []
    for k, over, settle, walk in plans:
        if args.baseline and not args.toy:
            results.append(run(k, over, settle, walk, baseline=True))
            _print(results[-1])
        results.append(run(k, over, settle, walk))
        _print(results[-1])
        if args.baseline and not args.toy:
            _print_ratios(results[-2], results[-1])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    return 1 if any(r["failures"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
