"""Benchmark: does the projector keep up with a big room?

Simulated participants share over a given time (each writes a card sort, a week and a
questionnaire share, as the kit writes them, at a random moment) while the projector is
open in headless Chromium with the card sort revealed, served exactly as ``workshop-kit
room present`` serves it. Measured:

- **snapshot latency**: for each picture the page shows, the time from the share that made
  that snapshot due (the room's threshold-th share since the previous snapshot) to the
  moment the page shows a picture that includes it (a MutationObserver in the page stamps
  each change; the browser and this script share one clock). Reported: median, p95, max,
  and whether the last picture caught up (fewer than the threshold of shares left out);
- **keys**: every few seconds, while the kernel draws the snapshots of the load, the
  facilitator's B key (blank) is pressed twice. For each press the page stamps the key and
  then, frame by frame, the moment the screen changed (the stage's computed visibility: what
  the room sees) and the moment the kernel had heard of it (its state on the page). The
  second is the same run's baseline: it is how long a key waited when the kernel decided
  what showed. Reported: p95 of both and their ratio; also a bare round trip into the page.

Usage::

    python benchmarks/projector.py                       # 300 people over 60 s
    python benchmarks/projector.py --people 30 --seconds 10 --json out.json

The toy size runs as a test: ``tests/browser/test_projector_page.py``. Needs Chromium at
``/usr/bin/chromium`` and Playwright (the test extra).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from servers import _running, chromium, jupyter_env, launch_chromium  # noqa: E402

#: Records each change of the shown picture with the page's clock (ms since the epoch): the
#: card sort's panel, while the page's state shows it revealed.
_OBSERVE = """() => {
  window.__wk = [];
  const read = () => {
    const s = document.querySelector('.wk-proj-panel-motivations .wk-proj-panel-state');
    if (!s || document.body.dataset.wkShowing !== 'yes') return;
    if (document.body.dataset.wkPicture !== 'motivations') return;
    const n = Number(s.dataset.pictured || 0);
    const last = window.__wk.length ? window.__wk[window.__wk.length - 1][1] : -1;
    if (n !== last) window.__wk.push([Date.now(), n]);
  };
  new MutationObserver(read).observe(document.body,
    {subtree: true, childList: true, attributes: true, characterData: true});
  read();
}"""

#: Stamps each B key: when the screen changed (next frames) and when the kernel knew (ms).
_KEY_PROBE = """() => {
  window.__keys = [];
  window.addEventListener('keydown', (e) => {
    if (e.key.toLowerCase() !== 'b') return;
    const t0 = performance.now();
    const want = document.body.dataset.wkBlank !== 'yes';
    const rec = {screen: null, kernel: null};
    window.__keys.push(rec);
    const stage = document.querySelector('.wk-proj-stage');
    const tick = () => {
      const now = performance.now();
      if (rec.screen === null && (getComputedStyle(stage).visibility === 'hidden') === want)
        rec.screen = now - t0;
      const s = document.querySelector('.wk-proj-state');
      if (rec.kernel === null && s && s.dataset.blank === (want ? 'yes' : 'no'))
        rec.kernel = now - t0;
      if (rec.screen === null || rec.kernel === null) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, true);
}"""


@dataclass
class Result:
    """What one run measured (seconds)."""

    people: int
    seconds: float
    needed: int
    interval: float
    shares: int = 0
    shown: int = 0
    final_pictured: int = 0
    caught_up: bool = False
    latencies: list[float] = field(default_factory=list)
    key_screen: list[float] = field(default_factory=list)
    key_kernel: list[float] = field(default_factory=list)
    page_round_trips: list[float] = field(default_factory=list)

    @staticmethod
    def _p(values: list[float], q: float) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def summary(self) -> dict:
        """The numbers to report."""
        return {
            "people": self.people,
            "seconds": self.seconds,
            "needed": self.needed,
            "refresh_interval": self.interval,
            "card_sort_shares": self.shares,
            "pictures_shown": self.shown,
            "last_picture_holds": self.final_pictured,
            "caught_up": self.caught_up,
            "latency_median": self._p(self.latencies, 0.5),
            "latency_p95": self._p(self.latencies, 0.95),
            "latency_max": max(self.latencies, default=None),
            "key_presses": len(self.key_screen),
            "key_to_screen_median": self._p(self.key_screen, 0.5),
            "key_to_screen_p95": self._p(self.key_screen, 0.95),
            "key_to_kernel_p95": self._p(self.key_kernel, 0.95),
            "key_p95_ratio_screen_to_kernel": (
                self._p(self.key_screen, 0.95) / self._p(self.key_kernel, 0.95)
                if self.key_screen and self._p(self.key_kernel, 0.95)
                else None
            ),
            "page_round_trip_p95": self._p(self.page_round_trips, 0.95),
        }


@contextlib.contextmanager
def projector_server(work: Path, code: str, rooms: Path, home: Path) -> Iterator[str]:
    """Serve the projector of room ``code`` as ``room present`` does; yield its URL."""
    from kit.pages.projector import present

    serving = present(code, rooms=rooms)
    env = {
        **jupyter_env(work / "jupyter", home),
        "JUPYTER_PATH": serving.env["JUPYTER_PATH"],
        "WORKSHOP_KIT_ROOMS": str(rooms),
    }
    (url,) = serving.urls
    base = url.split("/voila/")[0]
    with _running(serving.command, env, work, work / "projector.log", f"{base}/"):
        yield url


def _writer(code, rooms, people, seconds, content, seed, stamps, start) -> None:
    """Write every simulated share at its moment; stamp each card sort share when written."""
    from kit.room import store
    from kit.room.demo import synthetic_answers

    rng = random.Random(seed)
    plan = []
    for _ in range(people):
        answers = synthetic_answers(rng, content)
        for ex in store.EXERCISES:
            at = rng.uniform(0, seconds)
            data = store.build_payload(ex, answers[ex], content)
            plan.append((at, ex, f"{rng.getrandbits(128):032x}", data))
    plan.sort(key=lambda p: p[0])
    for at, ex, token, data in plan:
        delay = start + at - time.time()
        if delay > 0:
            time.sleep(delay)
        store.write_share(code, ex, token, data, rooms)  # real shares: no rehearsal mark
        if ex == "motivations":
            stamps.append(time.time())


def run(
    people: int = 300,
    seconds: float = 60.0,
    *,
    needed: int = 5,
    seed: int = 1,
    settle: float = 15.0,
    key_every: float = 5.0,
    workdir: Path | None = None,
    browser=None,
) -> Result:
    """Run the benchmark once and return what it measured.

    ``browser`` is a Playwright browser to use (a test's); default: a new headless Chromium.
    """
    from kit.content import load_content
    from kit.room import store
    from kit.room.projector import claim_room
    from kit.widgets.projector import Projector

    content = load_content()
    interval = Projector.__init__.__kwdefaults__["interval"]
    result = Result(people, seconds, needed, interval)
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wk-proj-")))
        rooms, home = workdir / "rooms", workdir / "facilitator"
        code = store.create_room(rooms, min_people=needed)
        claim_room(code, rooms, home)
        url = stack.enter_context(projector_server(workdir, code, rooms, home))
        if browser is None:
            browser = stack.enter_context(launch_chromium())
        page, outside = stack.enter_context(chromium(browser, width=1600, height=900))
        page.goto(url, wait_until="commit", timeout=180_000)
        page.wait_for_selector(".wk-proj-state", state="attached", timeout=180_000)
        page.keyboard.press("r")  # reveal the card sort: it shows as soon as it is ready
        page.wait_for_selector(".wk-proj-key-reveal:has-text('Hide')", timeout=60_000)
        page.evaluate(_OBSERVE)
        page.evaluate(_KEY_PROBE)
        stamps: list[float] = []
        start = time.time() + 1.0
        writer = threading.Thread(
            target=_writer,
            args=(code, rooms, people, seconds, content, seed, stamps, start),
            daemon=True,
        )
        writer.start()
        next_key = start + key_every
        while writer.is_alive():
            t0 = time.perf_counter()
            page.evaluate("() => performance.now()")
            result.page_round_trips.append(time.perf_counter() - t0)
            if time.time() >= next_key:
                _blank_twice(page)
                next_key = time.time() + key_every
            page.wait_for_timeout(250)
        writer.join()
        deadline = time.time() + settle
        while time.time() < deadline:  # until the last due snapshot shows (or give up)
            seen = max((n for _, n in page.evaluate("() => window.__wk")), default=0)
            if len(stamps) - seen < needed:
                break
            page.wait_for_timeout(250)
        changes = page.evaluate("() => window.__wk")
        for key in page.evaluate("() => window.__keys"):
            if key["screen"] is not None and key["kernel"] is not None:
                result.key_screen.append(key["screen"] / 1000.0)
                result.key_kernel.append(key["kernel"] / 1000.0)
        if outside:
            raise RuntimeError(f"the projector asked for outside addresses: {outside[:3]}")
    _score(result, changes, stamps, needed)
    return result


def _blank_twice(page) -> None:
    """Press B twice (blank and back), each time until the screen and the kernel agree."""
    for state in ("yes", "no"):
        page.keyboard.press("b")
        page.wait_for_selector(f"body[data-wk-blank={state}]", state="attached", timeout=60_000)
        page.wait_for_selector(
            f".wk-proj-state[data-blank={state}]", state="attached", timeout=60_000
        )


def _score(result: Result, changes: list, stamps: list[float], needed: int) -> None:
    """Latency of each picture shown, from the share that made its snapshot due."""
    previous = 0
    for at_ms, count in changes:
        if count <= previous:
            continue
        due_share = previous + needed  # the share that made this snapshot due
        if due_share <= len(stamps):
            result.latencies.append(max(0.0, at_ms / 1000.0 - stamps[due_share - 1]))
        previous = count
    result.shown = len(result.latencies)
    result.shares = len(stamps)
    result.final_pictured = previous
    # Caught up: fewer than the threshold of shares are left out of the last picture.
    result.caught_up = len(stamps) - previous < needed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--needed", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.people, args.seconds, needed=args.needed, seed=args.seed)
    summary = result.summary()
    for key, value in summary.items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"{key:>24}: {shown}")
    if args.json:
        Path(args.json).write_text(json.dumps({**summary, "raw": asdict(result)}, indent=1))
    p95 = summary["latency_p95"]
    keys = summary["key_to_screen_p95"]
    print(f"key -> screen p95 {'<=' if keys and keys <= 0.1 else '>'} 0.1 s")
    ok = p95 is not None and p95 <= 2.0
    print(f"p95 snapshot latency {'<=' if ok else '>'} 2 s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
