"""The room's privacy promises, tried the way a curious colleague would (issue 13).

Each test is an attack: it plays what someone in the room could do (look before and after a
colleague shares, work the hours back from a week share, link one person's files by their
times, rejoin after clearing, craft a room or snapshot file) and asserts that it finds
nothing. Each one failed against the kit before its fix (see README.md in this folder).
"""

from __future__ import annotations

import json
import math
import os
import random
from collections import Counter
from pathlib import Path

import pytest

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


# --------------------------------------------------------------------------- five, never below three
def test_four_identical_card_sorts_show_nothing(tmp_path, rooms, code, content):
    _people(code, rooms, tmp_path, 4, "motivations", lambda i: {"cards": {"debug_not_talk": "watch"}})
    part = room_reader.room_picture(code, content, rooms).exercises["motivations"]
    assert part.shared == 4
    assert part.picture is None, "4 of 4 identical card sorts tell everyone what each chose"
    assert "4 of 5 have shared" in pictures.picture_text(part, content)


def test_a_crafted_room_file_cannot_lower_the_threshold_below_three(tmp_path, rooms, content):
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
    answers = [{"cards": {"no_code_no_proof": "watch", "status_fear": "watch"}},
               {"cards": {"no_code_no_proof": "not_me", "status_fear": "healthy"}}]
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
    swap = {**{k: -1 for k in own[0]}, **own[1]}
    swap = {k: own[1].get(k, 0) - own[0].get(k, 0) for k in set(own[0]) | set(own[1])}
    revealing = [own[0], own[1], {k: -v for k, v in own[0].items()},
                 {k: -v for k, v in own[1].items()}, {k: v for k, v in swap.items() if v},
                 {k: -v for k, v in swap.items() if v}]
    for i, a in enumerate(views):
        for b in views[i + 1 :]:
            diff = _card_diff(a.exercises["motivations"].picture, b.exercises["motivations"].picture)
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
        part = room_reader.room_picture(code, content, rooms, reader=reader).exercises["motivations"]
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
    for step in range(21):
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
        value = {"total": total, "current": _random_week(rng, total, ids),
                 "ideal": _random_week(rng, total, ids)}
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
