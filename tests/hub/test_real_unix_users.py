"""The deployed spawner, with real Unix users: each participant's answers are theirs alone.

A smaller run than the workshop one, with ``deploy/jupyterhub_config.py`` and its own
spawner (no test override of it): two participants log in, the hub makes a Unix account for
each (an opaque ``wk-`` name), their servers run as those accounts from a Python they can
read (:mod:`userenv`), and both do the week exercise and share it into a room set up as the
guide says. Then, from inside one participant's own kernel, the other's answers and the
room's list of shares cannot be read. The accounts, their homes and the group are removed
afterwards. Needs root, ``useradd`` and ``/usr/bin/python3``; skips in one line without.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from hubrun import WEEK_PAGE, Participant, running_hub, week_exercise

pytestmark = [pytest.mark.hub, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ["ines.real@example.com", "omar.real@example.com"]
GROUP = "workshop"

#: Run in a participant's own kernel: try to read another's answers and list the room.
PEEK = """
import json, os
out = {{}}
for what, path in (("answers", {answers!r}), ("room", {room!r})):
    try:
        out[what] = "read" if os.path.isfile(path) and open(path).read() else os.listdir(path)
    except PermissionError:
        out[what] = "refused"
print("RESULT", json.dumps(out))
"""


def _prerequisites() -> str | None:
    if os.geteuid() != 0:
        return "the real-Unix-users run needs root (to make and remove accounts)"
    if shutil.which("useradd") is None or shutil.which("userdel") is None:
        return "the real-Unix-users run needs useradd and userdel"
    if not Path("/usr/bin/python3").exists():
        return "the real-Unix-users run needs /usr/bin/python3 to build a readable Python"
    return None


def _accounts_under(homes: Path) -> list[str]:
    return [p.pw_name for p in pwd.getpwall() if p.pw_dir.startswith(str(homes) + "/")]


@pytest.fixture(scope="module")
def real_run(hub_tools):
    reason = _prerequisites()
    if reason:
        pytest.skip(reason)
    from userenv import participant_python

    python = participant_python()
    had_group = GROUP in {g.gr_name for g in grp.getgrall()}
    folder = Path(tempfile.mkdtemp(prefix="wk-hub-real-", dir="/var/tmp"))
    folder.chmod(0o755)  # the accounts must reach their homes and the pages inside
    record: dict = {"folder": folder}
    # The checkout may sit where other accounts cannot read (a private home, CI's clone):
    # the hub and the servers import the kit from a readable copy of it instead.
    source = folder / "src"
    for part in ("kit", "notebooks"):
        shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
    try:
        with running_hub(
            folder, real_users=True, python=str(python), extra_env={"PYTHONPATH": str(source)}
        ) as hub:
            people = [Participant(hub, name) for name in PEOPLE]
            for person in people:
                person.login()
            made = hub.room_command("create")
            assert made.returncode == 0, made.stderr
            code = made.stdout.split()[0]
            room = hub.rooms / code
            # As hub-day.md says: the group writes shares, nobody lists them.
            subprocess.run(["chgrp", "-R", GROUP, str(room)], check=True)
            room.chmod(0o2751)
            for sub in room.iterdir():
                if sub.is_dir():
                    sub.chmod(0o3730)
            pages = [person.open_page(WEEK_PAGE) for person in people]
            record["shared"] = [
                week_exercise(page, hours=1.0, other=n + 1, code=code)
                for n, page in enumerate(pages)
            ]
            record["accounts"] = {
                p.pw_dir.rsplit("/", 1)[1]: p
                for p in pwd.getpwall()
                if p.pw_dir.startswith(str(hub.homes) + "/")
            }
            answers = {
                acc.pw_name: Path(acc.pw_dir) / "workshop-answers" / "allocation.json"
                for acc in record["accounts"].values()
            }
            record["answers"] = answers
            record["peek"] = []
            for page in pages:
                mine = _account_of(page)
                other = next(a for a in answers if a != mine)
                out = page.run(
                    PEEK.format(answers=str(answers[other]), room=str(room / "allocation"))
                )
                record["peek"].append(out)
            record["show"] = hub.room_command("show", code).stdout
            record["room"] = room
            record["homes"] = hub.homes
            yield record
    finally:
        for account in _accounts_under(folder / "homes"):  # their own groups go with them
            subprocess.run(["userdel", "--remove", account], check=False, capture_output=True)
        if not had_group:
            subprocess.run(["groupdel", GROUP], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _account_of(page) -> str:
    out = page.run("import os, pwd; print('RESULT', pwd.getpwuid(os.getuid()).pw_name)")
    return out.split("RESULT ")[-1].strip()


def test_each_server_runs_as_its_own_opaque_account(real_run):
    names = [acc.pw_name for acc in real_run["accounts"].values()]
    assert len(names) == 2
    assert all(re.fullmatch(r"wk-[0-9a-f]{12}", n) for n in names)
    for acc in real_run["accounts"].values():
        home = Path(acc.pw_dir)
        assert home.stat().st_uid == acc.pw_uid
        assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_answers_belong_to_their_owner_and_nobody_else_can_read_them(real_run):
    for account, path in real_run["answers"].items():
        info = path.stat()
        assert pwd.getpwuid(info.st_uid).pw_name == account
        assert stat.S_IMODE(info.st_mode) & 0o077 == 0
    for out in real_run["peek"]:
        assert '"answers": "refused"' in out
        assert '"room": "refused"' in out  # shares can be written, not listed


def test_both_shared_and_the_facilitator_counts_them(real_run):
    for result in real_run["shared"]:
        assert "Shared with room" in result["message"]
    assert re.search(r"^Week: 2 shared$", real_run["show"], re.MULTILINE), real_run["show"]
    owners = {f.stat().st_uid for f in (real_run["room"] / "allocation").glob("*.json")}
    assert {pwd.getpwuid(uid).pw_name for uid in owners} == {
        acc.pw_name for acc in real_run["accounts"].values()
    }
