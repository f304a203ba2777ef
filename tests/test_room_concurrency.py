"""200 participants share into one room at the same moment, while the facilitator reads it.

Every participant is its own process (as every participant's kernel is). They all join,
prepare their answers, then wait at one barrier, so that their writes really overlap; each
shares all three exercises several times (sharing again replaces). A reader in the test's
process reads the room over and over meanwhile. What must hold: every share counted exactly
once with its last value, and the reader never meets a partial file.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
import time
import warnings

import pytest

from kit.room import reader as room_reader
from kit.room import shares as share_rules
from kit.room import store as room_store

PEOPLE = 200
ROUNDS = 3

pytestmark = pytest.mark.slow


def _payloads(i: int, content) -> list[dict]:
    """The shares participant ``i`` makes, round by round (the parent recomputes them)."""
    rng = random.Random(i)
    cards = [c.id for c in content.cards]
    acts = [a.id for a in content.activities]
    roles = [r.id for r in content.scored_roles]
    out = []
    for _ in range(ROUNDS):
        weights = {w: [rng.randint(0, 20) + 1 for _ in acts] for w in ("current", "ideal")}
        out.append(
            {
                "motivations": {
                    "cards": {
                        c: rng.choice(("healthy", "watch", "not_me"))
                        for c in cards
                        if rng.random() < 0.9
                    }
                },
                "allocation": {
                    w: share_rules.week_shares(dict(zip(acts, ws, strict=True)), acts)
                    for w, ws in weights.items()
                },
                "archetypes": {"top": rng.sample(roles, 2)},
            }
        )
    return out


def _participant(i, home_root, rooms, code, barrier, times, errors) -> None:
    try:
        from kit.content import load_content

        content = load_content()
        member = room_store.join(code, home_root / f"p{i}", rooms)
        rounds = _payloads(i, content)
        barrier.wait(timeout=120)
        times[2 * i] = time.monotonic()
        for payloads in rounds:
            for exercise, data in payloads.items():
                room_store.submit(member, exercise, data, rooms)
        times[2 * i + 1] = time.monotonic()
    except BaseException as exc:  # report, then fail the process
        errors.put(f"participant {i}: {exc!r}")
        raise SystemExit(1) from exc


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork: 200 children start in milliseconds and share the parent's memory; spawn where
    # there is no fork (Windows).
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def test_two_hundred_people_share_at_once_and_every_share_counts(tmp_path, content):
    rooms = tmp_path / "rooms"
    code = room_store.create_room(rooms)
    ctx = _context()
    barrier = ctx.Barrier(PEOPLE + 1)
    times = ctx.Array("d", 2 * PEOPLE, lock=False)
    errors = ctx.Queue()
    procs = [
        ctx.Process(
            target=_participant, args=(i, tmp_path / "homes", rooms, code, barrier, times, errors)
        )
        for i in range(PEOPLE)
    ]
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork when the test session has threads of its own
        # (e.g. a kernel client from nbval); the children only write files and exit.
        warnings.filterwarnings("ignore", "This process .* use of fork", DeprecationWarning)
        for p in procs:
            p.start()

    passes: list[tuple[float, str, int, dict]] = []
    done = threading.Event()

    def read_while_they_write() -> None:
        cached = room_reader.RoomReader(code, rooms)
        while not done.is_set():
            for exercise in room_store.EXERCISES:
                fresh = room_reader.load_shares(code, exercise, rooms)  # opens every file
                again = cached.read(exercise)  # opens only changed files
                for shares in (fresh, again):
                    passes.append((time.monotonic(), exercise, shares.count, dict(shares.skipped)))

    reader = threading.Thread(target=read_while_they_write)
    reader.start()
    try:
        barrier.wait(timeout=120)  # the parent is the last to arrive: everyone goes now
        for p in procs:
            p.join(timeout=180)
    finally:
        done.set()
        reader.join(timeout=60)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert not problems, problems[:5]
    assert [p.exitcode for p in procs] == [0] * PEOPLE

    # The writes overlapped: many people were writing at the same moment.
    spans = [(times[2 * i], times[2 * i + 1]) for i in range(PEOPLE)]
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    busy = peak = 0
    for _, step in events:
        busy += step
        peak = max(peak, busy)
    first_start, last_end = min(s for s, _ in spans), max(e for _, e in spans)
    during = [p for p in passes if first_start <= p[0] <= last_end]
    print(
        f"\n{PEOPLE} writers x {ROUNDS * 3} shares in {last_end - first_start:.2f} s; "
        f"up to {peak} writing at once; reader passes during the writes: {len(during)} "
        f"of {len(passes)}"
    )
    assert peak >= 10
    assert during, "the reader never ran while people were sharing"

    # The reader never met a partial or damaged file.
    assert all(skipped == {} for *_, skipped in passes)
    assert all(0 <= count <= PEOPLE for _, _, count, _ in passes)

    # Every share is counted once, with its last value; no temporary file is left.
    expected = {
        ex: sorted(json.dumps(_payloads(i, content)[-1][ex], sort_keys=True) for i in range(PEOPLE))
        for ex in room_store.EXERCISES
    }
    for exercise in room_store.EXERCISES:
        shares = room_reader.load_shares(code, exercise, rooms)
        assert shares.count == PEOPLE
        assert shares.skipped == {}
        assert sorted(json.dumps(d, sort_keys=True) for d in shares.items) == expected[exercise]
        assert not [f for f in (rooms / code / exercise).iterdir() if f.name.startswith(".")]
    picture = room_reader.room_picture(code, content, rooms)
    assert {ex: p.shared for ex, p in picture.exercises.items()} == dict.fromkeys(
        room_store.EXERCISES, PEOPLE
    )
    assert picture.exercises["archetypes"].picture.people == PEOPLE
