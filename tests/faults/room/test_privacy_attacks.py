"""The room's privacy promises, tried the way a curious colleague would (issue 13).

Each test is an attack: it plays what someone in the room could do (look before and after a
colleague shares, work the hours back from a week share, link one person's files by their
times, rejoin after clearing, craft a room or snapshot file) and asserts that it finds
nothing. Each one failed against the kit before its fix (see README.md in this folder).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit import allocation
from kit.answers import AnswerStore, DemoStore
from kit.cli import main
from kit.room import pictures
from kit.room import reader as room_reader
from kit.room import shares as share_rules
from kit.room import store as room_store


def _people(code: str, rooms: Path, tmp_path: Path, n: int, exercise: str, payloads) -> None:
    for i in range(n):
        member = room_store.join(code, tmp_path / f"p{i}", rooms)
        room_store.submit(member, exercise, payloads(i), rooms)


def _cards(i: int) -> dict:
    return {"cards": {"no_code_no_proof": ("healthy", "watch", "not_me")[i % 3]}}


# --------------------------------------------------------------------------- five, not below three
def test_four_identical_card_sorts_show_nothing(tmp_path, rooms, code, content):
    same = {"cards": {"debug_not_talk": "watch"}}
    _people(code, rooms, tmp_path, 4, "motivations", lambda i: same)
    part = room_reader.room_picture(code, content, rooms).exercises["motivations"]
    assert part.shared == 4
    assert part.picture is None, "4 of 4 identical card sorts tell everyone what each chose"
    assert "4 of 5 have shared" in pictures.picture_text(part, content)


def test_a_crafted_room_file_cannot_lower_the_threshold_below_three(
    tmp_path, rooms, content, capsys
):
    code = room_store.create_room(rooms)
    (rooms / code / "room.json").write_text(
        json.dumps({"schema": 1, "code": code, "min_people": 1}), encoding="utf-8"
    )
    _people(code, rooms, tmp_path, 2, "motivations", _cards)
    picture = room_reader.room_picture(code, content, rooms)
    part = picture.exercises["motivations"]
    assert part.picture is None and part.needed == 3
    words = pictures.threshold_text(picture, content)
    assert "3" in words and "1" in words  # the view says what the file asked and what it uses
    assert main(["room", "show", code, "--rooms", str(rooms)]) == 0
    out = capsys.readouterr().out
    assert words in out and "2 of 3 have shared" in out


def test_a_lowered_room_says_so(tmp_path, rooms, content, capsys):
    assert main(["room", "create", "--min-people", "3", "--rooms", str(rooms)]) == 0
    code = capsys.readouterr().out.split()[0]
    _people(code, rooms, tmp_path, 3, "motivations", _cards)
    assert main(["room", "show", code, "--rooms", str(rooms)]) == 0
    out = capsys.readouterr().out
    assert "3 people shared their card sort" in out
    assert "lowered" in out and "5" in out
    assert main(["room", "create", "--min-people", "2", "--rooms", str(rooms)]) == 2


# --------------------------------------------------------------------------- snapshots
def _card_diff(a, b) -> dict:
    """What changed between two card pictures: (card, column) -> people (b minus a)."""
    count = Counter()
    for pic, sign in ((a, -1), (b, 1)):
        if pic is None:
            continue
        for tally in pic.cards:
            for bucket in ("healthy", "watch", "not_me"):
                count[(tally.card_id, bucket)] += sign * getattr(tally, bucket)
    return {k: v for k, v in count.items() if v}


def test_a_colleague_sharing_changing_and_withdrawing_is_in_no_pair_of_views(
    tmp_path, rooms, code, content
):
    _people(code, rooms, tmp_path, 6, "motivations", _cards)
    reader = room_reader.RoomReader(code, rooms)
    views = [room_reader.room_picture(code, content, reader=reader)]
    colleague = room_store.join(code, tmp_path / "colleague", rooms)
    answers = [
        {"cards": {"no_code_no_proof": "watch", "status_fear": "watch"}},
        {"cards": {"no_code_no_proof": "not_me", "status_fear": "healthy"}},
    ]
    room_store.submit(colleague, "motivations", answers[0], rooms)
    views.append(room_reader.room_picture(code, content, reader=reader))
    room_store.submit(colleague, "motivations", answers[1], rooms)
    views.append(room_reader.room_picture(code, content, reader=reader))
    room_store.withdraw(colleague, "motivations", rooms)
    views.append(room_reader.room_picture(code, content, reader=reader))
    # a second viewer (the projector, room show) opened later agrees
    views.append(room_reader.room_picture(code, content, rooms))
    assert [v.exercises["motivations"].shared for v in views] == [6, 7, 7, 6, 6]  # live counts
    own = [{(c, b): 1 for c, b in a["cards"].items()} for a in answers]
    swap = {k: own[1].get(k, 0) - own[0].get(k, 0) for k in set(own[0]) | set(own[1])}
    revealing = [
        own[0],
        own[1],
        {k: -v for k, v in own[0].items()},
        {k: -v for k, v in own[1].items()},
        {k: v for k, v in swap.items() if v},
        {k: -v for k, v in swap.items() if v},
    ]
    for i, a in enumerate(views):
        for b in views[i + 1 :]:
            before, after = (v.exercises["motivations"].picture for v in (a, b))
            diff = _card_diff(before, after)
            assert diff not in revealing


def test_a_snapshot_is_taken_only_after_k_changes(tmp_path, rooms, code, content):
    _people(code, rooms, tmp_path, 5, "motivations", _cards)
    reader = room_reader.RoomReader(code, rooms)
    first = room_reader.room_picture(code, content, reader=reader).exercises["motivations"]
    assert first.picture is not None and first.picture.people == 5
    late = [room_store.join(code, tmp_path / f"late{i}", rooms) for i in range(5)]
    for n, member in enumerate(late, start=1):
        room_store.submit(member, "motivations", _cards(n), rooms)
        part = room_reader.room_picture(code, content, reader=reader).exercises["motivations"]
        assert part.shared == 5 + n
        assert part.picture.people == (10 if n == 5 else 5)


def test_a_crafted_snapshot_is_not_trusted(tmp_path, rooms, code, content):
    _people(code, rooms, tmp_path, 5, "motivations", _cards)
    room_reader.room_picture(code, content, rooms)  # the first snapshot
    folder = rooms / code / "snapshots" / "motivations"
    (first,) = [p for p in folder.iterdir() if not p.name.startswith(".")]
    doc = json.loads(first.read_text(encoding="utf-8"))
    one = room_store.share_document("motivations", {"cards": {"status_fear": "watch"}})
    # one share more than the last snapshot: a difference of one person
    crafted = {**doc, "seq": doc["seq"] + 1, "shares": sorted([*doc["shares"], one])}
    (folder / f"{doc['seq'] + 1:09d}.json").write_text(json.dumps(crafted), encoding="utf-8")
    # and a snapshot of two people only
    tiny = {**doc, "seq": doc["seq"] + 2, "shares": doc["shares"][:2]}
    (folder / f"{doc['seq'] + 2:09d}.json").write_text(json.dumps(tiny), encoding="utf-8")
    for reader in (room_reader.RoomReader(code, rooms), None):
        picture = room_reader.room_picture(code, content, rooms, reader=reader)
        part = picture.exercises["motivations"]
        assert part.picture is not None and part.picture.people == 5


# --------------------------------------------------------------------------- no hours, no total
TOTALS = [10 + h / 2 for h in range(141)]  # 10 to 80 hours in half-hour steps


def _random_week(rng: random.Random, total: float, ids: list[str]) -> dict[str, float]:
    """Half-hours over a random few (or all) activities, adding up to ``total``."""
    chosen = rng.sample(ids, rng.choice((1, 2, 3, 5, 8, len(ids))))
    halves = int(total * 2)
    cuts = sorted(rng.choices(range(halves + 1), k=len(chosen) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, halves], strict=True)]
    week = dict.fromkeys(ids, 0.0)
    week.update({aid: p / 2 for aid, p in zip(chosen, parts, strict=True)})
    return week


def _witness(shares: dict[str, float], total: float, content) -> bool:
    """Whether some half-hour week of ``total`` hours shares exactly ``shares``.

    A witness, not a guess: candidate hours are built for each way the rounding could
    have gone (a threshold on the remainders) and passed through the kit's own payload.
    """
    unit = share_rules.SHARE_UNIT
    m = round(1 / unit)
    halves = round(total * 2)
    ids = list(shares)
    units = [round(shares[a] * m) for a in ids]
    for step in (10, 5, 15, 0, 20, *range(1, 20)):  # likely thresholds first: fewer tries
        r = step / 20
        lo = [max(0, math.ceil((u - 1 + r) / m * halves - 1e-9)) for u in units]
        hi = [min(halves, math.floor((u + r) / m * halves + 1e-9)) for u in units]
        if any(a > b for a, b in zip(lo, hi, strict=True)) or not sum(lo) <= halves <= sum(hi):
            continue
        n, extra = list(lo), halves - sum(lo)
        for i in range(len(n)):
            add = min(extra, hi[i] - n[i])
            n[i] += add
            extra -= add
        week = {a: k / 2 for a, k in zip(ids, n, strict=True)}
        if share_rules.week_shares(week, ids) == shares:
            return True
    return False


def test_a_week_share_fits_at_least_ten_totals(content):
    rng = random.Random(13)
    ids = [a.id for a in content.activities]
    for _ in range(1000):
        total = rng.choice(TOTALS)
        value = {
            "total": total,
            "current": _random_week(rng, total, ids),
            "ideal": _random_week(rng, total, ids),
        }
        allocation.validate(value)
        share = share_rules.allocation_payload(value, content)
        if share is None:
            continue
        fits = 0
        for candidate in [total, *rng.sample(TOTALS, len(TOTALS))]:
            if all(_witness(share[w], candidate, content) for w in ("current", "ideal")):
                fits += 1
                if fits == 10:
                    break
        assert fits >= 10, (total, share)


# --------------------------------------------------------------------------- unlinkable
def _saved(home: Path) -> AnswerStore:
    store = AnswerStore(home)
    demo = DemoStore()
    for ex in room_store.EXERCISES:
        store.save(ex, demo.load(ex).value)
    return store


def test_one_press_of_share_does_not_write_three_files_together(tmp_path, rooms, code, content):
    from kit.room.sharing import ShareModel

    store = _saved(tmp_path / "me")
    room_store.join(code, store.home, rooms)
    model = ShareModel(room_store.EXERCISES, content, store, rooms)
    assert model.share() is True
    written = [p for p in (rooms / code).rglob("*.json") if p.parent.name in room_store.EXERCISES]
    assert len(written) == 1, "three files within a millisecond link one person's shares"
    assert written[0].stat().st_mtime == room_store.SHARE_MTIME


# --------------------------------------------------------------------------- one person, one count
def test_reset_then_rejoin_counts_once(tmp_path, rooms, code, content, capsys):
    home = tmp_path / "laptop"
    member = room_store.join(code, home, rooms)
    room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    assert main(["reset", "--home", str(home), "--yes"]) == 0
    assert "withdr" in capsys.readouterr().out.lower()
    again = room_store.join(code, home, rooms)
    room_store.submit(again, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    assert room_reader.load_shares(code, "archetypes", rooms).count == 1


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="POSIX")
def test_a_share_that_cannot_be_withdrawn_stops_the_reset_and_says_what_to_do(
    tmp_path, rooms, code, capsys, monkeypatch
):
    home = tmp_path / "laptop"
    member = room_store.join(code, home, rooms)
    room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    real_unlink = Path.unlink

    def refuse(self, *args, **kwargs):
        if self.parent.name == "archetypes":
            raise PermissionError(13, "Permission denied", str(self))
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse)
    assert main(["reset", "--home", str(home), "--yes"]) == 1
    err = capsys.readouterr().err
    assert code in err and "questionnaire" in err and "again" in err
    assert (home / "room.json").is_file()  # nothing cleared: the share can still be withdrawn


def test_clear_my_answers_withdraws_first_and_asks_about_it(tmp_path, rooms, code, content):
    from kit.widgets.housekeeping import ClearAnswers

    store = _saved(tmp_path / "laptop")
    member = room_store.join(code, store.home, rooms)
    room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    clear = ClearAnswers(store=store, content=content)
    clear._ask.click()
    assert f"questionnaire in room {code}" in clear._message.value  # asked, with the rest
    clear._confirm.click()
    assert "Withdrawn from the room first" in clear._message.value
    again = room_store.join(code, store.home, rooms)
    room_store.submit(again, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    assert room_reader.load_shares(code, "archetypes", rooms).count == 1


def test_clear_my_answers_stops_when_a_share_cannot_be_withdrawn(
    tmp_path, rooms, code, content, monkeypatch
):
    from kit.widgets.housekeeping import ClearAnswers

    store = _saved(tmp_path / "laptop")
    member = room_store.join(code, store.home, rooms)
    room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    real_unlink = Path.unlink

    def refuse(self, *args, **kwargs):
        if self.parent.name == "archetypes":
            raise PermissionError(13, "Permission denied", str(self))
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", refuse)
    clear = ClearAnswers(store=store, content=content)
    clear._ask.click()
    clear._confirm.click()
    message = clear._message.value
    assert "Nothing was cleared" in message and "Permission denied" in message
    assert "close the room" in message
    assert (store.home / "room.json").is_file() and store.path("archetypes").is_file()


# --------------------------------------------------------------------------- spread, never lost
def _share_all(tmp_path: Path, rooms: Path, code: str, content, **kwargs):
    from kit.room.sharing import ShareModel

    store = _saved(tmp_path / "me")
    room_store.join(code, store.home, rooms)
    model = ShareModel(room_store.EXERCISES, content, store, rooms, **kwargs)
    assert model.share() is True
    return store, model


def _in_room(rooms: Path, code: str) -> list[Path]:
    return sorted(p for ex in room_store.EXERCISES for p in (rooms / code / ex).glob("*.json"))


def test_shares_are_shuffled_and_spread_in_time(tmp_path, rooms, code, content):
    from kit.room import pending

    firsts = set()
    for seed in range(12):
        steps = pending.plan(room_store.EXERCISES, random.Random(seed))
        firsts.add(steps[0][0])
        assert steps[0][1] == 0
        gaps = [b[1] - a[1] for a, b in itertools.pairwise(steps)]
        assert all(pending.MIN_GAP <= g <= pending.MAX_GAP for g in gaps)
    assert firsts == set(room_store.EXERCISES)  # any of the three may go first


def test_a_kernel_that_dies_before_a_delayed_write_loses_nothing(tmp_path, rooms, code, content):
    from kit.room import pending
    from kit.room.sharing import ShareModel

    t0 = 1_000_000.0
    store, model = _share_all(
        tmp_path, rooms, code, content, rng=random.Random(3), clock=lambda: t0
    )
    assert len(_in_room(rooms, code)) == 1
    waiting = pending.waiting(store.home)
    assert len(waiting) == 2 and all(w.due > t0 for w in waiting)
    assert (store.home / room_store.PENDING_FILE).stat().st_mode & 0o777 == 0o600
    assert set(model.status.values()) == {"yes", "waiting"}
    del model  # the kernel dies: no timer ever fires
    ShareModel(room_store.EXERCISES, content, store, rooms, clock=lambda: t0 + 1)
    assert len(_in_room(rooms, code)) == 1  # not due yet: still spread
    late = max(w.due for w in waiting) + 1
    ShareModel(room_store.EXERCISES, content, store, rooms, clock=lambda: late)
    files = _in_room(rooms, code)
    assert len(files) == 3 and not pending.waiting(store.home)
    assert {p.stat().st_mtime for p in files} == {room_store.SHARE_MTIME}


def test_closing_the_page_writes_what_is_still_waiting(tmp_path, rooms, code, content):
    import subprocess
    import sys

    store = _saved(tmp_path / "me")
    room_store.join(code, store.home, rooms)
    script = (
        "from kit.answers import AnswerStore\n"
        "from kit.content import load_content\n"
        "from kit.room.sharing import ShareModel\n"
        "from kit.room.store import EXERCISES\n"
        f"store = AnswerStore({str(store.home)!r})\n"
        f"m = ShareModel(EXERCISES, load_content(), store, {str(rooms)!r})\n"
        "assert m.share()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=120)
    assert len(_in_room(rooms, code)) == 3  # the kernel's orderly exit wrote the other two


def test_withdrawing_or_clearing_drops_what_is_waiting(tmp_path, rooms, code, content):
    from kit.room import pending

    store, model = _share_all(tmp_path, rooms, code, content, rng=random.Random(5))
    assert sorted(model.withdraw()) == sorted(room_store.EXERCISES)
    assert pending.flush(store.home, rooms, everything=True) == []
    assert _in_room(rooms, code) == []
    model.share()
    result = room_store.withdraw_everything(store.home, rooms)
    assert result.ok and len(result.withdrawn) == 1
    assert pending.flush(store.home, rooms, everything=True) == []  # a live timer finds nothing
    assert _in_room(rooms, code) == []


def test_a_share_file_keeps_no_time_of_its_own(tmp_path, rooms, code):
    member = room_store.join(code, tmp_path / "me", rooms)
    path = room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    st = path.stat()
    assert st.st_mtime == room_store.SHARE_MTIME and st.st_atime == room_store.SHARE_MTIME


# --------------------------------------------------------------------------- snapshots, more
def test_two_views_taking_a_snapshot_at_once_agree(tmp_path, rooms, code, content):
    _people(code, rooms, tmp_path, 5, "motivations", _cards)
    a, b = room_reader.RoomReader(code, rooms), room_reader.RoomReader(code, rooms)
    shares = a.read("motivations")
    # both decide at once that a snapshot is due; one number, one winner, one picture
    first = a.snapshot("motivations", shares, 5)
    second = b.snapshot("motivations", shares, 5)
    assert first.seq == second.seq == 1
    for view in (a, b):
        part = room_reader.room_picture(code, content, reader=view).exercises["motivations"]
        assert part.snapshot == 1 and part.pictured == 5


def test_a_snapshot_through_a_link_or_with_a_foreign_share_is_refused(
    tmp_path, rooms, code, content
):
    _people(code, rooms, tmp_path, 5, "motivations", _cards)
    room_reader.room_picture(code, content, rooms)
    folder = rooms / code / "snapshots" / "motivations"
    (first,) = [p for p in folder.iterdir() if not p.name.startswith(".")]
    doc = json.loads(first.read_text(encoding="utf-8"))
    fake = {"schema": 1, "exercise": "motivations", "data": {"cards": {"x": "watch"}}, "n": 1}
    crafted = {**doc, "seq": 7, "shares": [*doc["shares"], json.dumps(fake)] * 2}
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({**doc, "seq": 8, "shares": doc["shares"] * 3}))
    (folder / "000000007.json").write_text(json.dumps(crafted), encoding="utf-8")
    (folder / "000000008.json").symlink_to(elsewhere)
    part = room_reader.room_picture(code, content, rooms).exercises["motivations"]
    assert part.snapshot == 1 and part.picture.people == 5


def test_a_view_that_cannot_write_snapshots_still_shows_only_snapshots(
    tmp_path, rooms, code, content, monkeypatch
):
    from kit.room import snapshots

    _people(code, rooms, tmp_path, 5, "motivations", _cards)
    monkeypatch.setattr(snapshots.SnapshotBook, "_write", lambda self, snap: None)
    reader = room_reader.RoomReader(code, rooms)
    part = room_reader.room_picture(code, content, reader=reader).exercises["motivations"]
    assert part.picture.people == 5
    member = room_store.join(code, tmp_path / "late", rooms)
    room_store.submit(member, "motivations", _cards(1), rooms)
    part = room_reader.room_picture(code, content, reader=reader).exercises["motivations"]
    assert part.shared == 6 and part.picture.people == 5


def test_the_room_view_says_when_a_room_uses_a_lowered_threshold(tmp_path, rooms, content):
    from kit.widgets.room_view import RoomView

    code = room_store.create_room(rooms, min_people=3)
    _people(code, rooms, tmp_path, 3, "motivations", _cards)
    view = RoomView(code, content=content)
    assert "lowered" in view._header.value and "usually 5" in view._header.value
    assert "3 people shared their card sort" in view._sections["motivations"][2].value
    with pytest.raises(room_store.RoomError, match="at least 3"):
        room_store.create_room(rooms, min_people=2)


def test_a_withdrawn_share_does_not_outlive_the_room_in_its_archive(tmp_path, rooms, code, content):
    import zipfile

    from kit.room.archive import close_room

    _people(code, rooms, tmp_path, 5, "motivations", _cards)
    room_reader.room_picture(code, content, rooms)  # a snapshot holding all five
    gone = room_store.join(code, tmp_path / "p0", rooms)
    room_store.withdraw(gone, "motivations", rooms)
    archive = close_room(code, rooms, today="2026-12-02")
    names = zipfile.ZipFile(archive).namelist()
    assert not [n for n in names if "/snapshots/" in n]
    assert len([n for n in names if "/motivations/" in n]) == 4


def test_in_a_real_kernel_the_waiting_shares_go_when_due_and_at_shutdown(tmp_path, rooms, code):
    """The delayed writes run on the kernel's event loop; an orderly shutdown writes the rest."""
    from jupyter_client.manager import start_new_kernel

    store = _saved(tmp_path / "me")
    room_store.join(code, store.home, rooms)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        "WORKSHOP_KIT_HOME": str(store.home),
        room_store.ENV_ROOMS: str(rooms),
    }
    km, kc = start_new_kernel(env=env)
    try:
        source = (
            "from kit.answers import AnswerStore\n"
            "from kit.content import load_content\n"
            "from kit.room import pending\n"
            "from kit.room.sharing import ShareModel\n"
            "from kit.room.store import EXERCISES\n"
            "pending.MIN_GAP, pending.MAX_GAP = 0.2, 0.4\n"
            f"m = ShareModel(EXERCISES, load_content(), AnswerStore({str(store.home)!r}))\n"
            "assert m.share()\n"
        )
        assert kc.execute_interactive(source, timeout=60)["content"]["status"] == "ok"
        assert len(_in_room(rooms, code)) == 1
        for _ in range(100):  # the loop writes the other two within a second
            if len(_in_room(rooms, code)) == 3:
                break
            kc.execute_interactive("import time; time.sleep(0.05)", timeout=30)
        assert len(_in_room(rooms, code)) == 3
        source = "pending.MIN_GAP, pending.MAX_GAP = 600, 900\nm.withdraw()\nassert m.share()\n"
        assert kc.execute_interactive(source, timeout=60)["content"]["status"] == "ok"
        assert len(_in_room(rooms, code)) == 1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # what closing the page does
    assert len(_in_room(rooms, code)) == 3


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_in_a_snapshot_file_are_refused_or_read_never_a_crash(raw):
    from kit.room import snapshots

    out = snapshots.parse_snapshot(raw, "motivations", 1)
    assert out is None or isinstance(out, snapshots.Snapshot)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=50), st.integers(), st.none(), st.dictionaries(st.text(), st.text())
        ),
        max_size=5,
    )
)
def test_any_list_of_shares_in_a_snapshot_is_checked_never_a_crash(shares):
    from kit.room import snapshots

    raw = json.dumps({"schema": 1, "exercise": "motivations", "seq": 1, "shares": shares})
    assert snapshots.parse_snapshot(raw.encode(), "motivations", 1) is None or shares == []


def _viewer(code, rooms, people, out) -> None:
    import time

    from kit.content import load_content

    content = load_content()
    reader = room_reader.RoomReader(code, rooms)
    seen = []
    until = time.monotonic() + 60
    while time.monotonic() < until:  # refresh until everyone has shared, then once more
        done = reader.read("motivations").count == people
        room_reader.room_picture(code, content, reader=reader)
        snap = reader.snapshots.latest("motivations", 5)
        if snap is not None and (not seen or seen[-1][0] != snap.seq):
            seen.append((snap.seq, sorted(snap.versions.elements())))
        if done:
            break
    out.put(seen)


def test_views_in_several_processes_agree_on_every_snapshot(tmp_path, rooms, code):
    import multiprocessing
    import time
    import warnings

    from kit.room.snapshots import changes

    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    out = ctx.Queue()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "This process .* use of fork", DeprecationWarning)
        viewers = [ctx.Process(target=_viewer, args=(code, rooms, 40, out)) for _ in range(4)]
        for v in viewers:
            v.start()
    for i in range(40):  # people share while four views refresh
        member = room_store.join(code, tmp_path / f"p{i}", rooms)
        room_store.submit(member, "motivations", _cards(i), rooms)
        time.sleep(0.01)
    histories = [out.get(timeout=120) for _ in viewers]
    for v in viewers:
        v.join(timeout=60)
    by_seq: dict[int, list] = {}
    for history in histories:
        for (_, a), (_, b) in itertools.pairwise(history):
            assert changes(Counter(a), Counter(b)) >= 5  # no view ever moved by fewer than k
        for seq, versions in history:
            by_seq.setdefault(seq, []).append(versions)
    assert len(by_seq) >= 4  # 40 shares in steps of at least 5: the views moved on, together
    for seq, seen in by_seq.items():
        assert all(v == seen[0] for v in seen), f"views disagree on snapshot {seq}"
