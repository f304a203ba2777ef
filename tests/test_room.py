"""The room: codes, joining, what a share holds, the file store, aggregates, demo, close, CLI."""

from __future__ import annotations

import copy
import getpass
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit import exercises
from kit.answers import AnswerStore, DemoStore
from kit.cli import main
from kit.room import archive as room_archive
from kit.room import demo as room_demo
from kit.room import pictures
from kit.room import reader as room_reader
from kit.room import shares as share_rules
from kit.room import store as room_store

SECRET = "Zebra-7 private words: my boss Dana"  # participant-typed text that must never leak


@pytest.fixture
def demo_answers() -> dict:
    demo = DemoStore()
    return {ex: demo.load(ex).value for ex in room_store.EXERCISES}


def _member(home: Path, code: str, rooms: Path) -> room_store.Membership:
    return room_store.join(code, home, rooms)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- codes
def test_new_codes_are_short_and_unambiguous():
    rng = random.Random(3)
    codes = {room_store.new_code(rng) for _ in range(500)}
    assert len(codes) == 500
    for c in codes:
        assert len(c) == room_store.CODE_LENGTH
        assert not set(c) & set("0O1I")
        assert set(c) <= set(room_store.CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["k7rm4q", " K7RM-4Q ", "k7r m4q"])
def test_a_typed_code_is_normalised(typed):
    assert room_store.normalize_code(typed) == "K7RM4Q"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Type the room code"),
        ("K7RM4", "has 5"),
        ("K7RM4Q9", "has 7"),
        ("K7RM0Q", "never contain 0, O, 1 or I"),
        ("K7R/4Q", "cannot appear"),
    ],
)
def test_a_wrong_code_is_explained(typed, words):
    with pytest.raises(room_store.RoomError, match=words):
        room_store.normalize_code(typed)


def test_create_makes_the_room_folders_and_never_reuses_a_code(rooms):
    code = room_store.create_room(rooms)
    folder = rooms / code
    assert json.loads((folder / "room.json").read_text()) == {
        "schema": 1,
        "code": code,
        "min_people": pictures.MIN_PEOPLE,
    }
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(
        [*room_store.EXERCISES, "snapshots", "joined"]
    )
    assert room_store.list_rooms(rooms) == (code,)
    with pytest.raises(room_store.RoomError, match="already exists"):
        room_store.create_room(rooms, code)


def test_rooms_folder_comes_from_the_environment_or_a_per_user_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(room_store.ENV_ROOMS, str(tmp_path / "shared"))
    assert room_store.default_rooms() == tmp_path / "shared"
    monkeypatch.delenv(room_store.ENV_ROOMS)
    default = room_store.default_rooms()
    assert default.name == "rooms"
    assert "leadership-workshop-kit" in str(default)


# --------------------------------------------------------------------------- joining
def test_join_remembers_the_room_and_a_random_secret_in_the_participant_folder(
    tmp_path, rooms, code
):
    home = tmp_path / "me"
    assert room_store.joined(home) is None
    member = room_store.join(code.lower(), home, rooms)
    assert member.code == code
    saved = json.loads((home / room_store.JOIN_FILE).read_text())
    assert saved["current"] == code
    assert len(saved["keys"][code]) == 64
    assert room_store.joined(home) == member
    assert room_store.join(code, home, rooms).key == member.key  # joining again keeps it
    other = room_store.join(code, tmp_path / "someone-else", rooms)
    assert other.key != member.key  # random, not derived from anything shared


def test_join_refuses_a_room_that_is_not_open(tmp_path, rooms):
    with pytest.raises(room_store.RoomClosedError, match="no open room ABCDEF"):
        room_store.join("ABCDEF", tmp_path / "me", rooms)
    assert not (tmp_path / "me" / room_store.JOIN_FILE).exists()


def test_joining_another_room_keeps_the_secret_of_the_first(tmp_path, rooms, code):
    home = tmp_path / "me"
    first = room_store.join(code, home, rooms)
    second_code = room_store.create_room(rooms)
    room_store.join(second_code, home, rooms)
    assert room_store.joined(home).code == second_code
    assert room_store.join(code, home, rooms).key == first.key  # can still withdraw there


def test_a_damaged_join_file_means_not_joined(tmp_path):
    home = tmp_path / "me"
    home.mkdir()
    (home / room_store.JOIN_FILE).write_text("{not json")
    assert room_store.joined(home) is None


def test_tokens_differ_per_exercise_and_per_participant(tmp_path, rooms, code):
    a = room_store.join(code, tmp_path / "a", rooms)
    b = room_store.join(code, tmp_path / "b", rooms)
    tokens = {room_store.share_token(m, ex) for m in (a, b) for ex in room_store.EXERCISES}
    assert len(tokens) == 6
    assert all(len(t) == 32 and set(t) <= set("0123456789abcdef") for t in tokens)
    assert room_store.share_token(a, "motivations") == room_store.share_token(a, "motivations")


# --------------------------------------------------------------------------- payloads
def test_card_sort_shares_the_column_of_kit_cards_only(content, demo_answers):
    value = copy.deepcopy(demo_answers["motivations"])
    value["own"][0]["text"] = SECRET
    value["cards"]["retired_card"] = {"bucket": "watch", "frequency": "often"}
    data = share_rules.motivations_payload(value, content)
    assert set(data) == {"cards"}
    assert data["cards"]["faster_myself"] == "watch"
    assert "retired_card" not in data["cards"] and "own_1" not in data["cards"]
    assert set(data["cards"].values()) <= {"healthy", "watch", "not_me"}  # no frequency
    assert SECRET not in json.dumps(data)


def test_nothing_sorted_shares_nothing(content):
    assert share_rules.motivations_payload({"cards": {}, "own": []}, content) is None
    own_only = {
        "cards": {},
        "own": [{"id": "own_1", "text": SECRET, "bucket": "watch", "frequency": "often"}],
    }
    assert share_rules.motivations_payload(own_only, content) is None


def test_week_shares_are_shares_without_hours_or_total(content, demo_answers):
    value = demo_answers["allocation"]
    data = share_rules.allocation_payload(value, content)
    assert set(data) == {"current", "ideal"}
    ids = [a.id for a in content.activities]
    for week in ("current", "ideal"):
        assert list(data[week]) == ids
        assert sum(data[week].values()) == pytest.approx(1, abs=1e-3)
    assert data["current"]["hands_on_coding"] == pytest.approx(14 / 40)
    doubled = {
        "total": 80,
        "current": {k: 2 * v for k, v in value["current"].items()},
        "ideal": {k: 2 * v for k, v in value["ideal"].items()},
    }
    assert share_rules.allocation_payload(doubled, content) == data  # the total is not shared


def test_week_shares_are_whole_steps_that_make_the_whole_week(content):
    ids = [a.id for a in content.activities]
    rng = random.Random(7)
    for _ in range(200):
        hours = {a: rng.choice((0, 0, 0.5, 1, 2.5, 4, 9.5)) for a in ids}
        hours[ids[0]] += 0.5  # never an empty week
        shares = share_rules.week_shares(hours, ids)
        steps = [v / share_rules.SHARE_UNIT for v in shares.values()]
        assert all(abs(x - round(x)) < 1e-9 for x in steps)
        assert sum(round(x) for x in steps) == round(1 / share_rules.SHARE_UNIT)
        total = sum(hours.values())
        for a in ids:  # each within one step of the truth
            assert abs(shares[a] - hours[a] / total) < share_rules.SHARE_UNIT
        assert share_rules.check_week({"current": shares, "ideal": shares})
    with pytest.raises(ValueError, match=r"steps of 0\.025"):
        share_rules.check_week({"current": {"a": 0.3333, "b": 0.6667}, "ideal": {"a": 1.0}})


def test_the_rounded_week_keeps_the_rooms_averages_within_a_point(content):
    """The room's week picture shows averages; rounding each person's shares barely moves them."""
    ids = [a.id for a in content.activities]
    rng = random.Random(11)
    worst = 0.0
    for _room in range(50):
        weeks = []
        for _person in range(8):
            total = rng.choice((24, 32, 37.5, 40, 45, 50))
            halves = rng.choices(range(len(ids)), k=int(total * 2))
            weeks.append({a: halves.count(i) / 2 for i, a in enumerate(ids)})
        for a in ids:
            exact = statistics.mean(w[a] / sum(w.values()) for w in weeks)
            rounded = statistics.mean(share_rules.week_shares(w, ids)[a] for w in weeks)
            worst = max(worst, abs(exact - rounded))
    assert worst < 0.01


def test_an_untouched_week_shares_nothing(content):
    from kit import allocation

    assert share_rules.allocation_payload(allocation.empty(content), content) is None


def test_questionnaire_shares_the_two_closest_shapes_only(content, demo_answers):
    from kit.archetypes import score_answers

    data = share_rules.archetypes_payload(demo_answers["archetypes"], content)
    assert data == {"top": list(score_answers(demo_answers["archetypes"], content).top)}
    assert len(data["top"]) == 2


def test_questionnaire_with_no_lean_or_too_few_answers(content):
    ids = [s.id for s in content.statements]
    assert share_rules.archetypes_payload({}, content) is None
    assert share_rules.archetypes_payload({ids[0]: 5, ids[1]: 1}, content) is None  # provisional
    flat = dict.fromkeys(ids, 3)
    assert share_rules.archetypes_payload(flat, content) == {"top": []}


@pytest.mark.parametrize(
    ("exercise", "data"),
    [
        ("motivations", {"cards": {"faster_myself": "watch"}, "own": [SECRET]}),
        ("motivations", {"cards": {"faster_myself": SECRET}}),
        ("motivations", {"cards": {"faster_myself": {"bucket": "watch", "frequency": "often"}}}),
        ("allocation", {"current": {"a": 1.0}, "ideal": {"a": 1.0}, "total": 40}),
        ("allocation", {"current": {"a": 0.5}, "ideal": {"a": 1.0}}),
        ("allocation", {"current": {"a": 40}, "ideal": {"a": 1.0}}),
        ("allocation", {"current": {"a": float("nan"), "b": 1.0}, "ideal": {"a": 1.0}}),
        ("allocation", {"current": {"a": True}, "ideal": {"a": 1.0}}),
        ("archetypes", {"top": ["tech_lead"]}),
        ("archetypes", {"top": ["tech_lead", "architect"], "answers": {"x": 5}}),
        ("archetypes", {"top": ["tech_lead", "tech_lead"]}),
    ],
)
def test_submit_refuses_anything_outside_the_whitelist(tmp_path, rooms, code, exercise, data):
    member = room_store.join(code, tmp_path / "me", rooms)
    with pytest.raises(ValueError):
        room_store.submit(member, exercise, data, rooms)
    assert not _files(rooms / code / exercise)


# --------------------------------------------------------------------------- the store
def test_share_again_replaces_and_withdraw_deletes(tmp_path, rooms, code):
    member = room_store.join(code, tmp_path / "me", rooms)
    path = room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    assert (
        path == rooms / code / "archetypes" / f"{room_store.share_token(member, 'archetypes')}.json"
    )
    room_store.submit(member, "archetypes", {"top": ["solver", "architect"]}, rooms)
    shares = room_reader.load_shares(code, "archetypes", rooms)
    assert shares.items == ({"top": ["solver", "architect"]},)
    assert room_store.has_shared(member, "archetypes", rooms)
    assert room_store.withdraw(member, "archetypes", rooms) is True
    assert room_store.withdraw(member, "archetypes", rooms) is False
    assert room_reader.load_shares(code, "archetypes", rooms).count == 0
    assert not [p for p in (rooms / code / "archetypes").iterdir()]  # no temp left behind


def test_a_share_file_holds_the_data_and_nothing_else(tmp_path, rooms, code):
    member = room_store.join(code, tmp_path / "me", rooms)
    path = room_store.submit(member, "motivations", {"cards": {"faster_myself": "watch"}}, rooms)
    doc = json.loads(path.read_text())
    assert doc == {
        "schema": 1,
        "exercise": "motivations",
        "data": {"cards": {"faster_myself": "watch"}},
    }


def test_nothing_in_the_room_folder_can_identify_a_participant(
    tmp_path, rooms, code, content, demo_answers
):
    home = tmp_path / "participant-dana"
    store = AnswerStore(home)
    value = copy.deepcopy(demo_answers["motivations"])
    value["own"][0]["text"] = SECRET
    store.save("motivations", value)
    store.save("allocation", demo_answers["allocation"])
    store.save("archetypes", demo_answers["archetypes"])
    store.save("commitments", {"keep": SECRET, "stop": SECRET, "calendar": SECRET})
    member = room_store.join(code, home, rooms)
    for ex in room_store.EXERCISES:
        data = room_store.build_payload(ex, room_store.saved_answers(store, ex), content)
        room_store.submit(member, ex, data, rooms)
    blob = b"".join(p.read_bytes() for p in _files(rooms))
    names = " ".join(str(p.relative_to(rooms)) for p in _files(rooms))
    for needle in (
        SECRET,
        "Dana",
        "participant-dana",
        str(home),
        member.key,
        getpass.getuser(),
        socket.gethostname(),
    ):
        if len(needle) >= 4:
            assert needle.encode() not in blob, needle
            assert needle not in names, needle
    for path in _files(rooms / code):
        if path.parent.name == "joined":  # the presence mark: empty
            assert path.read_bytes() == b""
            continue
        doc = json.loads(path.read_text())
        # no time, no name: shares, the room's own file, and snapshots (of share documents)
        assert set(doc) <= {"schema", "exercise", "data", "code", "min_people", "seq", "shares"}


def _write(folder: Path, name: str, raw: bytes | str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(raw if isinstance(raw, bytes) else raw.encode())


def test_bad_files_are_skipped_and_counted_never_fatal(tmp_path, rooms, code):
    member = room_store.join(code, tmp_path / "me", rooms)
    room_store.submit(member, "motivations", {"cards": {"faster_myself": "watch"}}, rooms)
    folder = rooms / code / "motivations"
    good = json.dumps(
        {"schema": 1, "exercise": "motivations", "data": {"cards": {"faster_myself": "healthy"}}}
    )
    token = "{:032x}"
    _write(folder, token.format(1) + ".json", good[: len(good) // 2])  # cut off mid-write
    _write(folder, token.format(2) + ".json", b"\xff\xfe\x00garbage")
    _write(folder, token.format(3) + ".json", good.replace('"schema": 1', '"schema": 9'))
    _write(folder, token.format(4) + ".json", good.replace("motivations", "allocation"))
    _write(folder, token.format(5) + ".json", good[:-1] + ', "name": "Dana"}')
    _write(folder, token.format(6) + ".json", "[1, 2, 3]")
    _write(folder, token.format(7) + ".json", " " * (share_rules.MAX_SHARE_BYTES + 1) + good)
    _write(folder, "notes.txt", "hello")
    _write(folder, ".abc.tmp", good[:10])  # a share being written: not counted
    (folder / (token.format(8) + ".json")).mkdir()
    shares = room_reader.load_shares(code, "motivations", rooms)
    assert shares.items == ({"cards": {"faster_myself": "watch"}},)
    assert shares.skipped == {"malformed": 5, "oversized": 1, "other_version": 1, "stray": 2}


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.sampled_from(["healthy", "watch", "not_me", "tech_lead"]),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(["cards", "current", "ideal", "top", "faster_myself", "x"]),
            kids,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    exercise=st.sampled_from(room_store.EXERCISES),
    data=_JSON,
    synthetic=st.sampled_from([None, True, 1]),
)
def test_any_file_content_is_read_or_skipped_never_a_crash(exercise, data, synthetic):
    doc = {"schema": 1, "exercise": exercise, "data": data}
    if synthetic is not None:
        doc["synthetic"] = synthetic
    check = exercises.get(exercise).check_share
    parsed = share_rules.parse_share(json.dumps(doc).encode(), exercise, check)
    assert parsed.outcome in ("ok", "malformed")
    if parsed.ok:
        room_store.validate_share(exercise, parsed.data)  # what was kept passes the whitelist
        if exercise == "allocation":
            assert all(math.isfinite(x) for w in parsed.data.values() for x in w.values())


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_any_bytes_are_skipped_never_a_crash(raw):
    check = exercises.get("motivations").check_share
    outcome = share_rules.parse_share(raw, "motivations", check).outcome
    assert outcome in ("malformed", "other_version", "ok")


def test_the_reader_rereads_only_changed_files(tmp_path, rooms, code, monkeypatch):
    members = [room_store.join(code, tmp_path / f"p{i}", rooms) for i in range(4)]
    for m in members:
        room_store.submit(m, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    parsed = []
    real = share_rules.parse_share
    monkeypatch.setattr(
        share_rules, "parse_share", lambda raw, ex, check: parsed.append(1) or real(raw, ex, check)
    )
    reader = room_reader.RoomReader(code, rooms)
    assert reader.read("archetypes").count == 4 and len(parsed) == 4
    assert reader.read("archetypes").count == 4 and len(parsed) == 4  # cached
    room_store.submit(members[0], "archetypes", {"top": ["solver", "architect"]}, rooms)
    room_store.withdraw(members[1], "archetypes", rooms)
    shares = reader.read("archetypes")
    assert len(parsed) == 5
    assert sorted(s["top"][0] for s in shares.items) == ["solver", "tech_lead", "tech_lead"]


def test_an_unchanged_folder_costs_one_stat_and_changes_are_still_seen(
    tmp_path, rooms, code, monkeypatch
):
    members = [room_store.join(code, tmp_path / f"p{i}", rooms) for i in range(3)]
    for m in members:
        room_store.submit(m, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    folder = rooms / code / "archetypes"
    minute_ago = time.time() - 60
    os.utime(folder, (minute_ago, minute_ago))  # the last share came in a minute ago
    reader = room_reader.RoomReader(code, rooms)
    first = reader.read("archetypes")
    scans = []
    real = reader._scan
    monkeypatch.setattr(reader, "_scan", lambda *a: scans.append(1) or real(*a))
    assert reader.read("archetypes") is first and scans == []
    room_store.submit(members[0], "archetypes", {"top": ["solver", "architect"]}, rooms)
    shares = reader.read("archetypes")  # the folder changed: listed again
    assert scans == [1] and sorted(s["top"][0] for s in shares.items) == [
        "solver",
        "tech_lead",
        "tech_lead",
    ]
    # A file edited in place by hand does not change the folder: seen at the next full scan.
    os.utime(folder, (minute_ago, minute_ago))
    reader.read("archetypes")
    path = folder / f"{room_store.share_token(members[1], 'archetypes')}.json"
    path.write_text(path.read_text().replace("tech_lead", "right_hand"))
    os.utime(folder, (minute_ago, minute_ago))
    assert "right_hand" not in str(reader.read("archetypes").items)
    monkeypatch.setattr(reader, "FULL_SCAN_SECONDS", 0.0)
    assert "right_hand" in str(reader.read("archetypes").items)


def test_a_share_into_a_closed_room_is_refused(tmp_path, rooms, code):
    member = room_store.join(code, tmp_path / "me", rooms)
    room_archive.close_room(code, rooms, delete=True)
    with pytest.raises(room_store.RoomClosedError, match="closed"):
        room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    assert not (rooms / code).exists()


# --------------------------------------------------------------------------- aggregates
def test_cards_are_counted_card_by_card(content):
    items = [
        {"cards": {"faster_myself": "watch", "feel_the_friction": "healthy"}},
        {"cards": {"faster_myself": "watch", "unknown_card": "watch"}},
        {"cards": {"faster_myself": "not_me"}},
    ]
    picture = pictures.aggregate_cards(items, content)
    assert picture.people == 3
    assert [c.card_id for c in picture.cards] == [c.id for c in content.cards]
    tally = {c.card_id: c for c in picture.cards}
    assert (tally["faster_myself"].watch, tally["faster_myself"].not_me) == (2, 1)
    assert tally["feel_the_friction"].people == 1
    assert sum(c.people for c in picture.cards) == 4  # the unknown card is ignored


def test_week_mean_and_quartiles_match_the_statistics_module(content):
    rng = random.Random(5)
    ids = [a.id for a in content.activities]
    items = []
    for _ in range(11):
        w = [rng.random() for _ in ids]
        items.append(
            {
                week: {aid: x / sum(w) for aid, x in zip(ids, w, strict=True)}
                for week in ("current", "ideal")
            }
        )
    picture = pictures.aggregate_week(items, content)
    assert picture.people == 11
    for spread in picture.activities:
        values = [i["current"][spread.activity_id] for i in items]
        q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
        assert spread.current.mean == pytest.approx(statistics.fmean(values))
        assert (spread.current.q1, spread.current.median, spread.current.q3) == pytest.approx(
            (q1, q2, q3)
        )


def test_shapes_count_first_choice_top_two_and_no_lean(content):
    items = [
        {"top": ["tech_lead", "architect"]},
        {"top": ["tech_lead", "solver"]},
        {"top": ["architect", "tech_lead"]},
        {"top": []},
        {"top": ["ghost", "solver"]},
    ]
    p = pictures.aggregate_shapes(items, content)
    assert p.people == 5 and p.no_lean == 1
    assert p.first == {
        "tech_lead": 2,
        "architect": 1,
        "solver": 0,
        "right_hand": 0,
        "tech_lead_manager": 0,
        "eng_manager": 0,
    }
    assert p.top_two["tech_lead"] == 3 and p.top_two["solver"] == 2
    assert "ghost" not in p.top_two


@pytest.mark.parametrize(("people", "ready"), [(0, False), (4, False), (5, True)])
def test_nothing_is_shown_below_five_people(tmp_path, rooms, code, content, people, ready):
    for i in range(people):
        m = room_store.join(code, tmp_path / f"p{i}", rooms)
        room_store.submit(m, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    part = room_reader.room_picture(code, content, rooms).exercises["archetypes"]
    assert part.shared == people
    assert part.ready is ready
    text = pictures.picture_text(part, content)
    if ready:
        assert text.startswith("5 people shared")
    else:
        assert part.picture is None
        assert f"{people} of 5 have shared" in text


def test_the_threshold_is_applied_in_one_place_and_said_in_the_words(
    tmp_path, rooms, code, content
):
    for i in range(3):
        m = room_store.join(code, tmp_path / f"p{i}", rooms)
        room_store.submit(m, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    part = room_reader.room_picture(code, content, rooms, needed=6).exercises["archetypes"]
    assert part.picture is None and part.needed == 6
    assert "3 of 6 have shared" in pictures.picture_text(part, content)
    # a number given by a caller goes through the same floor as a room file's
    low = room_reader.room_picture(code, content, rooms, needed=1)
    assert low.needed == 3 and low.refused == 1 and low.exercises["archetypes"].ready


def test_summaries_name_what_the_room_did(content):
    cards = pictures.aggregate_cards([{"cards": {"faster_myself": "watch"}}] * 4, content)
    text = pictures.summary_text(cards, content)
    assert "4 people" in text and "quicker" in text and "(4 of 4)" in text
    shapes = pictures.aggregate_shapes(
        [{"top": ["solver", "architect"]}] * 3 + [{"top": []}], content
    )
    text = pictures.summary_text(shapes, content)
    assert "Solver (3)" in text and "1 showed no clear lean" in text
    ids = [a.id for a in content.activities]
    had = dict.fromkeys(ids, 0.0) | {"hands_on_coding": 0.5, "interruptions": 0.5}
    want = dict.fromkeys(ids, 0.0) | {"hands_on_coding": 0.25, "one_on_ones": 0.75}
    week = pictures.aggregate_week([{"current": had, "ideal": want}] * 3, content)
    text = pictures.summary_text(week, content)
    assert "more 1:1s (+75 points)" in text
    assert "reactive interruptions (−50 points)" in text


# --------------------------------------------------------------------------- demo, close
def test_demo_fills_a_room_reproducibly(rooms, content):
    written = room_demo.fill_demo("DEM234", 12, content, rooms, seed=7)
    picture = room_reader.room_picture("DEM234", content, rooms)
    counts = {ex: p.shared for ex, p in picture.exercises.items()}
    assert sum(counts.values()) == written
    assert counts["motivations"] == counts["allocation"] == 12
    assert all(p.synthetic == p.shared and p.ready for p in picture.exercises.values())
    room_demo.fill_demo("DEM234", 12, content, rooms, seed=7)  # the same people again
    assert room_reader.load_shares("DEM234", "motivations", rooms).count == 12
    room_demo.fill_demo("DEM234", 5, content, rooms, seed=8)
    assert room_reader.load_shares("DEM234", "motivations", rooms).count == 17


def test_a_rehearsal_room_counts_its_synthetic_people_exactly(rooms, content):
    from kit.room import presence
    from kit.room import projector as room_projector

    def joined():
        return room_projector.joined_count(room_reader.room_picture("REH234", content, rooms))

    room_demo.fill_demo("REH234", 9, content, rooms, seed=3)
    assert joined() == (9, True)  # "9 joined", not "at least 9"
    room_demo.fill_demo("REH234", 9, content, rooms, seed=3)  # the same people again
    assert joined() == (9, True) and presence.count_present("REH234", rooms) == 9
    room_demo.fill_demo("REH234", 4, content, rooms, seed=4)
    assert joined() == (13, True)


def test_synthetic_answers_are_valid_exercise_values(content):
    from kit import allocation, archetypes, motivations

    rng = random.Random(1)
    for _ in range(50):
        a = room_demo.synthetic_answers(rng, content)
        motivations.validate(a["motivations"])
        allocation.validate(a["allocation"])
        archetypes.check_known(archetypes.validate(a["archetypes"]), content)


def test_close_archives_to_a_dated_zip_without_share_times(tmp_path, rooms, content):
    room_demo.fill_demo("CLS234", 4, content, rooms)
    archive = room_archive.close_room("CLS234", rooms, today="2025-03-01")
    assert archive == rooms / "archive" / "room-CLS234-2025-03-01.zip"
    assert not (rooms / "CLS234").exists()
    assert room_store.list_rooms(rooms) == ()
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
    assert len(infos) == 1 + 3 * 4
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    room_demo.fill_demo("CLS234", 1, content, rooms)
    again = room_archive.close_room("CLS234", rooms, today="2025-03-01")
    assert again.name == "room-CLS234-2025-03-01-2.zip"
    with pytest.raises(room_store.RoomClosedError):
        room_archive.close_room("CLS234", rooms)


# --------------------------------------------------------------------------- commands
def test_cli_create_demo_show_export_close(rooms, tmp_path, capsys):
    assert main(["room", "create"]) == 0
    code = capsys.readouterr().out.strip()
    assert room_store.room_exists(code)
    assert main(["room", "demo", code, "--people", "2"]) == 0
    capsys.readouterr()
    assert main(["room", "show", code]) == 0
    out = capsys.readouterr().out
    assert f"Room {code}" in out and "2 shared, 2 synthetic" in out
    assert "Not enough people yet: 2 of 5" in out
    assert main(["room", "demo", code, "--people", "6", "--seed", "2"]) == 0
    capsys.readouterr()
    slides = tmp_path / "slides"
    assert main(["room", "show", code, "--export", str(slides)]) == 0
    out = capsys.readouterr().out
    assert "8 people shared their card sort" in out
    assert sorted(p.name for p in slides.iterdir()) == sorted(
        f"{code}-{n}.{ext}" for n in ("cards", "week", "shapes") for ext in ("png", "txt")
    )
    assert (slides / f"{code}-cards.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["room", "close", code]) == 0
    assert "archived in" in capsys.readouterr().out
    assert not room_store.room_exists(code)


def test_cli_show_watch_stops_after_rounds_and_on_unknown_rooms(rooms, content, capsys):
    room_demo.fill_demo("WAT234", 3, content, rooms)
    assert main(["room", "show", "WAT234", "--watch", "0", "--rounds", "2"]) == 0
    assert capsys.readouterr().out.count("Room WAT234") == 1  # printed again only on change
    assert main(["room", "show", "NPQ234"]) == 1
    assert "no open room NPQ234" in capsys.readouterr().err
    assert main(["room", "show", "bad"]) == 2


def test_cli_close_delete_asks_for_yes_without_a_terminal(rooms, capsys, monkeypatch):
    code = room_store.create_room(rooms)
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["room", "close", code, "--delete"]) == 1
    assert room_store.room_exists(code)
    assert main(["room", "close", code, "--delete", "--yes"]) == 0
    assert not room_store.room_exists(code)
    assert not (rooms / "archive").exists()
    assert main(["room", "close", code]) == 1


_ROOM_LOGIC = (
    "archive",
    "demo",
    "folders",
    "pending",
    "pictures",
    "reader",
    "shares",
    "sharing",
    "snapshots",
    "store",
)


def test_room_logic_imports_neither_widgets_nor_matplotlib():
    imports = "; ".join(f"import kit.room.{m}" for m in _ROOM_LOGIC)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{imports}; import sys, json; print(json.dumps(sorted(sys.modules)))",
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    loaded = set(json.loads(out.stdout))
    assert not {"matplotlib", "ipywidgets", "numpy"} & loaded


def _imports(path: Path, package: tuple[str, ...]) -> set[str]:
    """The modules a file imports anywhere (inside functions too), read from its AST."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return found


def _kit_imports() -> dict[str, set[str]]:
    """Every kit module and everything it imports, functions included."""
    root = Path(__file__).resolve().parent.parent / "kit"
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        package = parts[:-1]  # a relative import starts from the package of the file
        name = ".".join(parts[:-1] if path.name == "__init__.py" else parts)
        graph[name] = _imports(path, package)
    return graph


def test_room_modules_never_import_ui_or_charts_even_inside_functions():
    ui = ("matplotlib", "ipywidgets", "kit.widgets", "kit.charts")
    for module, deps in _kit_imports().items():
        if module.startswith("kit.room"):
            assert not {d for d in deps if d.startswith(ui)}, module


def test_no_import_cycle_runs_through_the_room_or_the_registry():
    graph = {m: {d for d in deps if d != m} for m, deps in _kit_imports().items()}
    graph = {m: {d for d in deps if d in graph} for m, deps in graph.items()}
    watched = [
        m
        for m in graph
        if m.startswith(("kit.room", "kit.widgets.room", "kit.charts.room"))
        or m in ("kit.exercises", "kit.cli")
    ]
    for start in watched:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            assert module != start, f"{start} imports itself through a cycle"
            if module not in seen:
                seen.add(module)
                todo.extend(graph[module])


# --------------------------------------------------------------------------- charts
def test_charts_use_the_kit_palette_and_show_every_card(content):
    from matplotlib.colors import to_hex

    from kit.charts.core import PALETTE
    from kit.charts.room import room_cards_chart, room_shapes_chart, room_week_chart

    cards = pictures.aggregate_cards(
        [{"cards": {c.id: "watch" for c in content.cards}}] * 3, content
    )
    fig = room_cards_chart(cards, content)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == len(content.cards)
    colours = {to_hex(p.get_facecolor()) for p in ax.patches if p.get_width() > 0}
    assert colours == {PALETTE["watch"].lower()}
    shapes = pictures.aggregate_shapes([{"top": ["solver", "architect"]}] * 3, content)
    assert len(room_shapes_chart(shapes, content).axes[0].patches) == 2 * len(content.scored_roles)
    ids = [a.id for a in content.activities]
    week = pictures.aggregate_week(
        [{"current": dict.fromkeys(ids, 1 / len(ids)), "ideal": dict.fromkeys(ids, 1 / len(ids))}]
        * 3,
        content,
    )
    ax = room_week_chart(week, content).axes[0]
    assert len(ax.get_yticklabels()) == len(ids)


def test_shares_are_readable_by_the_room_and_the_participant_secret_is_not(tmp_path):
    old = os.umask(0o022)
    try:
        rooms, home = tmp_path / "rooms", tmp_path / "home"
        code = room_store.create_room(rooms)
        member = room_store.join(code, home, rooms)
        room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    finally:
        os.umask(old)
    assert (home / "room.json").stat().st_mode & 0o777 == 0o600
    (share,) = (rooms / code / "archetypes").glob("*.json")
    assert share.stat().st_mode & 0o777 == 0o644
    assert (rooms / code / "room.json").stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------- the share model
def test_the_share_model_previews_shares_and_withdraws_without_any_widget(
    tmp_path, rooms, code, content, demo_answers
):
    from kit.room.sharing import ShareModel

    store = AnswerStore(tmp_path / "me")
    store.save("archetypes", demo_answers["archetypes"])
    model = ShareModel(("motivations", "archetypes"), content, store, rooms)
    seen = []
    model.observe(lambda change: seen.append(change["name"]), names=["code", "status", "message"])
    assert model.value == {
        "archetypes": share_rules.archetypes_payload(demo_answers["archetypes"], content)
    }
    assert not model.can_share and model.status_text().startswith("Join a room first")
    assert model.preview("motivations").head == content.text("room_nothing_motivations")
    preview = model.preview("archetypes")
    exact = room_store.share_document("archetypes", model.value["archetypes"])
    assert json.loads(preview.document) == json.loads(exact)
    room_store.join(code, store.home, rooms)
    model.sync()
    assert model.code == code and model.can_share and "code" in seen
    assert model.status == {"motivations": "no", "archetypes": "no"}
    assert model.share() is True
    assert model.status["archetypes"] == "yes" and code in model.message
    assert _shared_count(code, "archetypes", rooms) == 1
    assert model.withdraw() == ["archetypes"]
    assert _shared_count(code, "archetypes", rooms) == 0
    assert not model.failed and "no longer in room" in model.message


def test_the_share_model_of_the_demo_profile_never_shares(rooms, code, content):
    from kit.room.sharing import ShareModel

    model = ShareModel(room_store.EXERCISES, content, DemoStore(), rooms)
    assert model.demo and set(model.value) == set(room_store.EXERCISES)
    assert not model.can_share and model.share() is False
    assert model.status_text() == content.text("room_share_demo")
    assert [p.name for p in (rooms / code).rglob("*.json")] == ["room.json"]


def _shared_count(code: str, exercise: str, rooms: Path) -> int:
    return room_reader.load_shares(code, exercise, rooms).count


# --------------------------------------------------------------------------- crafted files
def test_a_deeply_nested_share_is_skipped_not_a_crash(rooms, code, content, capsys):
    folder = rooms / code / "motivations"
    (folder / f"{1:032x}.json").write_text("[" * 16_000 + "]" * 16_000)  # 32 KB
    (folder / f"{2:032x}.json").write_text('{"data":' * 3_000 + "1" + "}" * 3_000)
    shares = room_reader.load_shares(code, "motivations", rooms)
    assert shares.count == 0
    assert sum(shares.skipped.values()) == 2
    assert main(["room", "show", code]) == 0
    assert "Skipped 2 file(s)" in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_named_like_a_share_never_hangs_the_reader(rooms, code):
    import threading

    fifo = rooms / code / "archetypes" / f"{3:032x}.json"
    os.mkfifo(fifo)
    box: dict = {}
    thread = threading.Thread(
        target=lambda: box.update(shares=room_reader.load_shares(code, "archetypes", rooms)),
        daemon=True,
    )
    thread.start()
    thread.join(10)
    try:
        assert not thread.is_alive(), "the reader hangs on a named pipe"
    finally:
        if thread.is_alive():  # let the stuck open() return, so the test run can end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(10)
    assert box["shares"].count == 0 and box["shares"].skipped == {"stray": 1}


def test_close_archives_regular_files_only_and_the_archive_is_private(tmp_path, rooms, content):
    secret = tmp_path / "facilitator-only.txt"
    secret.write_text("the facilitator's private notes")
    secret.chmod(0o600)
    room_demo.fill_demo("SYM234", 3, content, rooms)
    folder = rooms / "SYM234"
    (folder / "motivations" / f"{4:032x}.json").symlink_to(secret)
    (folder / "notes.txt").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    old = os.umask(0o022)
    try:
        archive = room_archive.close_room("SYM234", rooms, today="2025-03-01")
    finally:
        os.umask(old)
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        blob = b"".join(zf.read(n) for n in names)
    assert b"private notes" not in blob
    assert len(names) == 1 + 3 * 3  # room.json and the nine shares
    assert archive.stat().st_mode & 0o777 == 0o600
    assert secret.read_text() == "the facilitator's private notes"  # left where it was


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_place_of_my_share_never_hangs_my_page(tmp_path, rooms, code):
    import threading

    member = room_store.join(code, tmp_path / "me", rooms)
    path = room_store.submit(member, "archetypes", {"top": ["tech_lead", "architect"]}, rooms)
    path.unlink()
    os.mkfifo(path)  # someone who can write the room swapped my share for a pipe
    box: dict = {}
    thread = threading.Thread(
        target=lambda: box.update(text=room_store.shared_document(member, "archetypes", rooms)),
        daemon=True,
    )
    thread.start()
    thread.join(10)
    try:
        assert not thread.is_alive(), "reading my own share hangs on a named pipe"
    finally:
        if thread.is_alive():
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(10)
    assert box["text"] is None
