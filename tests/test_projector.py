"""The projector: who may open it, what it shows, and the debrief's files."""

from __future__ import annotations

import csv
import io
import json
import random
import stat
import subprocess
import sys

import pytest

from kit.room import projector as logic
from kit.room import store
from kit.room.demo import synthetic_answers
from kit.room.reader import room_picture


def _share(code, rooms, content, people, *, seed=7, synthetic=False, only=None):
    """Write ``people`` shares (real unless ``synthetic``) of each exercise, or of ``only``."""
    rng = random.Random(seed)
    for _ in range(people):
        answers = synthetic_answers(rng, content)
        for ex in [only] if only else store.EXERCISES:
            data = store.build_payload(ex, answers[ex], content)
            token = f"{rng.getrandbits(128):032x}"
            store.write_share(code, ex, token, data, rooms, synthetic=synthetic)


# --------------------------------------------------------------------------- who may open it
def test_the_room_s_creator_runs_it_and_nobody_else(code, rooms, tmp_path):
    facilitator, participant = tmp_path / "facilitator", tmp_path / "participant"
    assert logic.claim_room(code, rooms, facilitator) is True
    assert logic.claim_room(code, rooms, facilitator) is False  # already theirs
    assert logic.runs_room(code, rooms, facilitator)
    assert not logic.runs_room(code, rooms, participant)
    with pytest.raises(logic.ProjectorRefused, match="another participant folder"):
        logic.claim_room(code, rooms, participant)  # the first claim wins
    assert not logic.runs_room(code, rooms, participant)


def test_the_room_holds_only_the_key_s_hash_and_the_key_stays_private(code, rooms, tmp_path):
    home = tmp_path / "facilitator"
    logic.claim_room(code, rooms, home)
    key = json.loads((home / logic.KEYS_FILE).read_text())[code]
    lock = (rooms / code / logic.LOCK_FILE).read_text()
    assert key not in lock and len(json.loads(lock)["facilitator"]) == 64
    assert stat.S_IMODE((home / logic.KEYS_FILE).stat().st_mode) == 0o600


def test_a_participant_copying_the_lock_into_their_own_keys_gets_nothing(code, rooms, tmp_path):
    logic.claim_room(code, rooms, tmp_path / "facilitator")
    forger = tmp_path / "forger"
    forger.mkdir()
    digest = json.loads((rooms / code / logic.LOCK_FILE).read_text())["facilitator"]
    (forger / logic.KEYS_FILE).write_text(json.dumps({code: digest}))
    assert not logic.runs_room(code, rooms, forger)


def test_the_page_refuses_what_it_cannot_show(code, rooms, tmp_path):
    home = tmp_path / "facilitator"
    with pytest.raises(logic.ProjectorRefused, match="room="):
        logic.page_request("", rooms, home)
    with pytest.raises(logic.ProjectorRefused, match="no open room"):
        logic.page_request("room=ABCDEF", rooms, home)
    with pytest.raises(logic.ProjectorRefused, match="only to the facilitator"):
        logic.page_request(f"room={code}", rooms, home)
    logic.claim_room(code, rooms, home)
    assert logic.page_request(f"room={code.lower()}", rooms, home) == (code, "")
    _, join = logic.page_request(f"room={code}&join=https://hub.example.org/hub/", rooms, home)
    assert join == f"https://hub.example.org/hub/?room={code}"


# --------------------------------------------------------------------------- join link, QR
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8888/voila", "http://localhost/x", "ftp://hub.example.org", "hub"]
)
def test_no_qr_of_this_machine_or_of_a_non_web_address(url):
    with pytest.raises(ValueError, match="join link"):
        logic.join_link(url, "K7RM4Q")


def test_the_join_link_carries_the_room_and_keeps_its_query():
    link = logic.join_link("https://hub.example.org/hub/login?next=%2Fx&room=OLD", "k7rm4q")
    assert link == "https://hub.example.org/hub/login?next=%2Fx&room=K7RM4Q"


def test_the_qr_code_is_inline_svg_with_a_name_and_no_outside_reference():
    svg = logic.qr_svg("https://hub.example.org/?room=K7RM4Q", "Join this room")
    assert svg.startswith('<svg role="img" ') and "<title>Join this room</title>" in svg
    assert "href" not in svg and "viewBox" in svg


# --------------------------------------------------------------------------- aggregates
def test_no_aggregate_row_before_the_room_s_threshold(code, rooms, content):
    _share(code, rooms, content, 4)
    picture = room_picture(code, content)
    assert logic.aggregate_rows(picture, content) == []
    assert logic.csv_text(picture, content).strip() == ",".join(logic.CSV_COLUMNS)


def test_aggregates_are_of_the_ready_pictures_only_and_say_a_rehearsal(code, rooms, content):
    _share(code, rooms, content, 6, only="allocation")
    real = logic.aggregate_rows(room_picture(code, content), content)
    assert {r["exercise"] for r in real} == {"allocation"}
    assert {r["people"] for r in real} == {6} and {r["rehearsal"] for r in real} == {"no"}
    assert all(r["measure"].endswith("_pct") for r in real)  # shares of the week, no hours
    _share(code, rooms, content, 6, seed=8, synthetic=True)
    picture = room_picture(code, content)
    rows = list(csv.DictReader(io.StringIO(logic.csv_text(picture, content))))
    assert {r["rehearsal"] for r in rows} == {"yes"}
    assert {r["exercise"] for r in rows} == set(store.EXERCISES)
    assert logic.export_stem(picture) == f"room-{code}-rehearsal"


def test_the_count_of_people_is_a_lower_bound_from_the_shares(code, rooms, content):
    _share(code, rooms, content, 3, only="motivations")
    _share(code, rooms, content, 2, seed=9, only="allocation")
    picture = room_picture(code, content)
    assert logic.joined_at_least(picture) == 3
    assert logic.counts(picture) == {"motivations": 3, "allocation": 2, "archetypes": 0}


def test_the_projector_logic_imports_neither_widgets_nor_matplotlib():
    code = (
        "import kit.room.projector, kit.pages.projector, sys, json;"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert not {"matplotlib", "ipywidgets"} & set(json.loads(out.stdout))


# --------------------------------------------------------------------------- the page
def test_the_page_ships_in_the_package_and_picks_its_own_template():
    from kit._resources import jupyter_data_dir
    from kit.pages.projector import PAGE, TEMPLATE

    nb = json.loads(PAGE.read_text())
    assert nb["metadata"]["voila"]["template"] == TEMPLATE
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb["cells"])
    folder = jupyter_data_dir() / "voila" / "templates" / TEMPLATE
    index = (folder / "index.html.j2").read_text()
    assert "http://" not in index and "https://" not in index  # no CDN
    assert json.loads((folder / "conf.json").read_text()) == {"base_template": "lab"}


def test_present_serves_on_this_machine_with_a_token(code, rooms):
    from kit.pages.projector import present

    serving = present(code, join_url="https://hub.example.org/", rooms=rooms, port=8123)
    (url,) = serving.urls
    assert url.startswith("http://127.0.0.1:8123/voila/render/projector.ipynb?token=")
    assert f"room={code}" in url and "join=https%3A%2F%2Fhub.example.org" in url
    assert "--Voila.ip=127.0.0.1" in serving.command and serving.token
    assert f"--Voila.token={serving.token}" in serving.command
    assert "--VoilaConfiguration.template=projector" in serving.command
    assert serving.env["WORKSHOP_KIT_ROOMS"] == str(rooms.resolve())
