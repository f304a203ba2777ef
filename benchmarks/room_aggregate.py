"""How long does the facilitator wait for the room's picture with 10,000 shares?

For each room size (``--people``; default 3,334 and 10,000 participants, each sharing all
three exercises: about 10,000 and 30,000 share files, written as ``submit`` writes them),
one run builds the room in a temporary folder, then measures the median of ``--repeat``
rounds of:

- kit, cold: :func:`kit.room.reader.room_picture` with a fresh
  :class:`~kit.room.reader.RoomReader`: list, open, parse and validate every file
  (skipping bad ones), then aggregate all three exercises (card by card counts, mean and
  quartiles per activity, shapes).
- kit, refresh: the same reader again with nothing new (the last share a minute old), and
  after 100 participants shared all three exercises again (what each auto-refresh costs
  while people are sharing).
- charts: the three room charts built and drawn to PNG.
- baseline, measured in the same run: the obvious code, ``Path.glob`` + ``read_text`` +
  ``json.loads`` per file and a pure-Python aggregation with :mod:`statistics`
  (``mean`` and ``quantiles``), without validation.

The kit's and the baseline's aggregates are checked to agree before anything is printed.
Run: ``.venv/bin/python benchmarks/room_aggregate.py`` (one to two minutes, mostly set-up).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit._files import write_atomic  # noqa: E402
from kit.content import load_content  # noqa: E402
from kit.room import pictures  # noqa: E402
from kit.room import reader as room_reader  # noqa: E402
from kit.room import shares as room_shares  # noqa: E402
from kit.room import store as room_store  # noqa: E402

AIM_SECONDS = 1.0


def _payloads(rng: random.Random, content) -> dict[str, dict]:
    cards = [c.id for c in content.cards]
    acts = [a.id for a in content.activities]
    roles = [r.id for r in content.scored_roles]
    weights = {w: [rng.randint(0, 20) + 1 for _ in acts] for w in ("current", "ideal")}
    top = rng.sample(roles, 2) if rng.random() > 0.05 else []
    return {
        "motivations": {
            "cards": {
                c: rng.choice(("healthy", "watch", "not_me")) for c in cards if rng.random() < 0.95
            }
        },
        "allocation": {
            w: room_shares.week_shares(dict(zip(acts, ws, strict=True)), acts)
            for w, ws in weights.items()
        },
        "archetypes": {"top": top},
    }


def build_room(rooms: Path, people: int, content, seed: int = 1) -> str:
    """Write ``people`` participants' shares of every exercise (no fsync: set-up only)."""
    code = room_store.create_room(rooms, "BENCH2")
    rng = random.Random(seed)
    for _ in range(people):
        for exercise, data in _payloads(rng, content).items():
            token = f"{rng.getrandbits(128):032x}"
            path = rooms / code / exercise / f"{token}.json"
            path.write_text(room_store.share_document(exercise, data), encoding="ascii")
    return code


def reshare(rooms: Path, code: str, n: int, content, seed: int) -> None:
    """Replace ``n`` existing shares of every exercise (atomic writes, as ``submit`` does)."""
    rng = random.Random(seed)
    for exercise in room_store.EXERCISES:
        names = sorted(os.listdir(rooms / code / exercise))[:n]
        for name in names:
            data = _payloads(rng, content)[exercise]
            text = room_store.share_document(exercise, data)
            write_atomic(rooms / code / exercise / name, text.encode("ascii"), shared=True)


# --------------------------------------------------------------------------- baseline
def naive_picture(folder: Path, content) -> dict:
    """Per-file ``read_text`` + ``json.loads``, then the obvious pure-Python aggregation."""
    docs = {
        ex: [json.loads(p.read_text())["data"] for p in sorted((folder / ex).glob("*.json"))]
        for ex in room_store.EXERCISES
    }
    cards = {c.id: Counter() for c in content.cards}
    for d in docs["motivations"]:
        for cid, bucket in d["cards"].items():
            if cid in cards:
                cards[cid][bucket] += 1
    week = {}
    for a in content.activities:
        for w in ("current", "ideal"):
            values = [d[w].get(a.id, 0.0) for d in docs["allocation"]]
            week[(a.id, w)] = (
                statistics.mean(values),
                *statistics.quantiles(values, n=4, method="inclusive"),
            )
    first = Counter(d["top"][0] for d in docs["archetypes"] if d["top"])
    top_two = Counter(r for d in docs["archetypes"] for r in d["top"])
    return {
        "counts": {ex: len(v) for ex, v in docs.items()},
        "cards": cards,
        "week": week,
        "first": first,
        "top_two": top_two,
    }


def check_same(kit: pictures.RoomPicture, naive: dict) -> None:
    """Fail loudly if the kit's aggregates differ from the baseline's."""
    ex = kit.exercises
    assert {k: v.shared for k, v in ex.items()} == naive["counts"]
    for tally in ex["motivations"].picture.cards:
        got = {b: getattr(tally, b) for b in ("healthy", "watch", "not_me")}
        assert got == {b: naive["cards"][tally.card_id][b] for b in got}, tally
    for a in ex["allocation"].picture.activities:
        for w in ("current", "ideal"):
            s = getattr(a, w)
            want = naive["week"][(a.activity_id, w)]
            assert all(
                abs(x - y) < 1e-9 for x, y in zip((s.mean, s.q1, s.median, s.q3), want, strict=True)
            ), (a, w)
    shapes = ex["archetypes"].picture
    assert {k: v for k, v in shapes.first.items() if v} == dict(naive["first"])
    assert {k: v for k, v in shapes.top_two.items() if v} == dict(naive["top_two"])


# --------------------------------------------------------------------------- timing
def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Return (median wall seconds, median CPU seconds, last result) over ``repeat`` runs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def measure(people: int, repeat: int, content) -> dict:
    """Build a room of ``people`` and time the kit and the baseline on it."""
    from kit.charts.room import room_charts

    with tempfile.TemporaryDirectory(prefix="room-bench-") as tmp:
        rooms = Path(tmp) / "rooms"
        t0 = time.perf_counter()
        code = build_room(rooms, people, content)
        setup = time.perf_counter() - t0
        files = sum(len(os.listdir(rooms / code / ex)) for ex in room_store.EXERCISES)

        naive = naive_picture(rooms / code, content)  # warms the page cache for both
        cold = timed(
            lambda: room_reader.room_picture(
                code, content, reader=room_reader.RoomReader(code, rooms)
            ),
            repeat,
        )
        picture = cold[2]
        check_same(picture, naive)
        base = timed(lambda: naive_picture(rooms / code, content), repeat)

        reader = room_reader.RoomReader(code, rooms)
        room_reader.room_picture(code, content, reader=reader)
        for exercise in room_store.EXERCISES:  # as if the last share came in a minute ago
            old = time.time() - 60
            os.utime(rooms / code / exercise, (old, old))
        room_reader.room_picture(code, content, reader=reader)
        warm = timed(lambda: room_reader.room_picture(code, content, reader=reader), repeat)
        changed = []
        for i in range(repeat):
            reshare(rooms, code, 100, content, seed=100 + i)
            w, c = time.perf_counter(), time.process_time()
            again = room_reader.room_picture(code, content, reader=reader)
            changed.append((time.perf_counter() - w, time.process_time() - c))
        check_same(again, naive_picture(rooms / code, content))
        busy = (statistics.median(x for x, _ in changed), statistics.median(y for _, y in changed))

        def draw() -> int:
            return sum(len(shown.png) for shown in room_charts(picture, content).values())

        draw()  # the first draw loads fonts: not what a refresh costs
        charts = timed(draw, repeat)
    return {
        "people": people,
        "files": files,
        "setup": setup,
        "cold": cold[:2],
        "baseline": base[:2],
        "warm": warm[:2],
        "busy": busy,
        "charts": charts[:2],
    }


def report(r: dict) -> None:
    """Print one room size's rows and ratios."""
    total = (r["cold"][0] + r["charts"][0], r["cold"][1] + r["charts"][1])
    rows = [
        ("kit: read + validate + aggregate, cold", r["cold"]),
        ("kit: refresh, nothing changed", r["warm"]),
        ("kit: refresh, 100 x 3 shares replaced", r["busy"]),
        ("charts: 3 room charts drawn to PNG", r["charts"]),
        ("kit total: cold aggregate + charts", total),
        ("baseline: glob + json.loads + statistics", r["baseline"]),
    ]
    print(
        f"\n{r['people']:,} people x 3 exercises = {r['files']:,} share files "
        f"(set-up {r['setup']:.1f} s)"
    )
    print(f"{'':44}{'wall':>10}{'cpu':>10}")
    for name, (wall, cpu) in rows:
        print(f"{name:44}{wall * 1000:8.0f} ms{cpu * 1000:7.0f} ms")
    base = r["baseline"][0]
    print(f"baseline / kit, cold:                  {base / r['cold'][0]:8.2f}x")
    print(f"baseline / kit refresh, nothing new:   {base / r['warm'][0]:8.0f}x")
    print(f"baseline / kit refresh, 300 replaced:  {base / r['busy'][0]:8.1f}x")
    verdict = "yes" if total[0] < AIM_SECONDS else "no"
    print(
        f"aggregate + charts under {AIM_SECONDS:g} s (wall): {verdict} ({total[0]:.2f} s; "
        f"cpu {total[1]:.2f} s)"
    )


def reference_chart(repeat: int) -> tuple[float, float]:
    """Time one plain 12-bar chart to PNG: the machine's speed right now.

    The team measured 20-25 ms for it on a quiet two-core machine of this kind;
    on a busy shared machine every matplotlib number moves with it.
    """
    import io

    from kit.charts.core import new_figure

    def draw() -> None:
        fig = new_figure()
        fig.add_subplot().bar(range(12), range(1, 13))
        fig.savefig(io.BytesIO(), format="png")

    draw()
    wall, cpu, _ = timed(draw, max(repeat, 5))
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--people",
        type=int,
        nargs="+",
        default=[3_334, 10_000],
        help="room sizes: participants, each sharing all three exercises "
        "(default: 3,334 = 10,000 shares, and 10,000 = 30,000 shares)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="rounds per measurement")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    import matplotlib  # noqa: F401  (import time is not what is measured)

    content = load_content()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Room benchmark: Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} at start; median of {args.repeat} rounds"
    )
    results = []
    for people in args.people:
        results.append(measure(people, args.repeat, content))
        report(results[-1])
    ref = reference_chart(args.repeat)
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nreference: one 12-bar chart to PNG {ref[0] * 1000:.0f} ms wall, "
        f"{ref[1] * 1000:.0f} ms cpu (the team's recipes saw 20-25 ms on another machine); "
        f"load average {load_end:.1f} at the end"
    )
    # The reference says how fast this machine draws; it is not used to rescale the
    # results: a slow machine's numbers are reported as measured.
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(
                {
                    "load": [load, load_end],
                    "reference": ref,
                    "repeat": args.repeat,
                    "results": results,
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
