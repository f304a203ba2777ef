"""Faults of a facilitator's content folder: every mistake named, nothing evaluated.

Each test is one class of fault found by trying to break the kit with a content folder of
one's own. Every one of them passed `workshop-kit check`, or broke later, before its fix.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from kit import allocation, exercises
from kit.cli import main as cli
from kit.content import (
    ENV_CONTENT,
    MAX_ACTIVITIES,
    MAX_ENTRIES,
    MAX_ID_LENGTH,
    ContentError,
    load_content,
    packaged_content_dir,
)
from kit.room import shares as room


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    return list(info.value.problems)


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _cards(ids: list[str], text: str = "I fix a bug now and then.") -> str:
    entry = (
        "  - id: {id}\n    text: {text}\n    reading: healthy\n    theme: ground_truth\n"
        "    note: Ask what changed.\n    sources: [larson_2020_archetypes]\n"
    )
    return "cards:\n" + "".join(entry.format(id=i, text=text) for i in ids) + "pairs: []\n"


# --------------------------------------------------------------------------- files
def test_a_folder_named_like_a_content_file_is_an_error_not_the_packaged_file(tmp_path):
    folder = tmp_path / "mine"
    (folder / "cards.yaml").mkdir(parents=True)
    (problem,) = _problems(folder)
    assert str(folder / "cards.yaml") in problem
    assert "is a folder, not a file" in problem


def test_a_broken_link_named_like_a_content_file_is_an_error(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "themes.yaml").symlink_to(tmp_path / "gone.yaml")
    (problem,) = _problems(folder)
    assert str(folder / "themes.yaml") in problem and "cannot be read" in problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_named_like_a_content_file_is_refused_without_waiting(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    os.mkfifo(folder / "ui.yaml")
    found: list[list[str]] = []
    worker = threading.Thread(target=lambda: found.append(_problems(folder)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "loading the content waits on a named pipe"
    (problem,) = found[0]
    assert "ui.yaml" in problem and "named pipe" in problem


# --------------------------------------------------------------------------- words on screen
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{sorted} of {total} sorted {", "does not enclose a placeholder"),
        ("{sorted} of {total} sorted }", "does not enclose a placeholder"),
        ("{sorted.__class__.__mro__} of {total}", "{sorted.__class__.__mro__}"),
        ("{sorted[0]} of {total}", "no dots, brackets"),
        ("{sorted!r} of {total}", "{sorted!r}"),
        ("{sorted:>99999} of {total}", "{sorted:>99999}"),
        ("{sorted} of {total} {{sorted}}", "doubled"),
        ("{sorted} of {total} by {__import__}", "plain name"),
        ("{sorted} of {total} by {author}", "keep exactly the placeholders"),
    ],
)
def test_a_ui_text_takes_only_its_own_plain_placeholders(tmp_path, text, expected):
    folder = tmp_path / "mine"
    _write(folder, "ui.yaml", f"sort_progress: {text!r}\n")
    (problem,) = _problems(folder)
    assert "key 'sort_progress'" in problem and expected in problem


def test_check_refuses_a_stray_brace(tmp_path, capsys):
    folder = tmp_path / "mine"
    _write(folder, "ui.yaml", "bucket_watch: 'Worth a {second look'\n")
    assert cli(["check", str(folder)]) == 1
    assert "key 'bucket_watch'" in capsys.readouterr().err


def test_a_text_is_filled_in_without_evaluating_anything(content):
    assert content.text("sort_progress", sorted=3, total=12) == "3 of 12 sorted"
    forged = dataclasses.replace(content, ui={**content.ui, "sort_progress": "{sorted.__class__}"})
    with pytest.raises(ValueError, match="plain name"):
        forged.text("sort_progress", sorted=3, total=12)


# --------------------------------------------------------------------------- links
SOURCE = """\
sources:
  - id: larson_2020_archetypes
    author: Will Larson
    title: Staff archetypes
    year: 2020
    url: {url}
"""


@pytest.mark.parametrize(
    "url",
    [
        "'javascript:alert(document.cookie)'",
        "'JavaScript:alert(1)'",
        "' javascript:alert(1)'",
        "'java\\tscript:alert(1)'",
        "'data:text/html,<script>alert(1)</script>'",
        "'file:///etc/passwd'",
        "'https:/no-host'",
        "'//example.org/no-scheme'",
    ],
)
def test_a_source_link_must_be_a_web_or_mail_address(tmp_path, url):
    folder = tmp_path / "mine"
    _write(folder, "sources.yaml", SOURCE.format(url=url.replace("\\t", '"+"\\t"+"')))
    problems = _problems(folder)
    assert any(
        "source 'larson_2020_archetypes'" in p and "field 'url'" in p and "https://" in p
        for p in problems
    ), problems


@pytest.mark.parametrize("url", ["https://staffeng.com/guides/", "http://x.org", "mailto:a@b.org"])
def test_web_and_mail_addresses_are_fine(tmp_path, url):
    packaged = (packaged_content_dir() / "sources.yaml").read_text(encoding="utf-8")
    old = "    url: https://staffeng.com/guides/staff-archetypes/\n"
    assert packaged.count(old) == 1
    folder = tmp_path / "mine"
    _write(folder, "sources.yaml", packaged.replace(old, f"    url: {url}\n"))
    assert load_content(folder).by_id["sources"]["larson_2020_archetypes"].url == url


# --------------------------------------------------------------------------- size
def test_a_20_mb_text_field_gets_a_short_message(tmp_path):
    folder = tmp_path / "mine"
    _write(folder, "cards.yaml", _cards(["huge"], text="x" * 20_000_000))
    started = time.perf_counter()
    with pytest.raises(ContentError) as info:
        load_content(folder)
    assert time.perf_counter() - started < 1
    assert len(str(info.value)) < 500 and "larger than" in str(info.value)


def test_a_long_field_in_a_small_file_is_quoted_by_a_short_prefix_only(tmp_path):
    folder = tmp_path / "mine"
    _write(
        folder,
        "themes.yaml",
        "themes:\n  - id: long\n    label: L\n    description: " + "y" * 50_000 + "\n",
    )
    problems = _problems(folder)
    (problem,) = [p for p in problems if "theme 'long'" in p]
    assert "field 'description'" in problem and "50,000 characters" in problem
    assert len(problem) < 400


def test_a_yaml_alias_bomb_ends_quickly_in_one_short_message(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("statements: *i")  # 9 ** 9 entries for a loader that expands aliases
    folder = tmp_path / "mine"
    _write(folder, "statements.yaml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    (problem,) = _problems(folder)
    assert time.perf_counter() - started < 1
    assert "alias" in problem and len(problem) < 300


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    folder = tmp_path / "mine"
    _write(folder, "themes.yaml", "themes: &loop\n  - *loop\n")
    (problem,) = _problems(folder)
    assert "inside its own anchor" in problem


def test_a_few_aliases_such_as_a_yaml_tool_writes_are_fine(tmp_path):
    packaged = (packaged_content_dir() / "themes.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "mine"
    data = yaml.safe_load(packaged)
    data["themes"].append(data["themes"][0])  # the same entry twice: written as an alias
    _write(folder, "themes.yaml", yaml.safe_dump(data, sort_keys=False))
    assert "*id001" in (folder / "themes.yaml").read_text(encoding="utf-8")
    (problem,) = _problems(folder)  # read through the alias, then checked as usual
    assert "duplicate id" in problem


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    folder = tmp_path / "mine"
    _write(folder, "roles.yaml", "roles: " + "[" * 30_000 + "]" * 30_000 + "\n")
    (problem,) = _problems(folder)
    assert "nested more than" in problem


# --------------------------------------------------------------------------- counts
def test_a_deck_larger_than_a_room_share_takes_fails_check(tmp_path):
    folder = tmp_path / "mine"
    _write(folder, "cards.yaml", _cards([f"card_{i}" for i in range(MAX_ENTRIES + 10)]))
    (problem,) = _problems(folder)
    assert f"'cards' has {MAX_ENTRIES + 10} entries" in problem and str(MAX_ENTRIES) in problem


def test_the_largest_deck_check_accepts_can_be_shared_with_a_room(tmp_path):
    ids = [f"c{i:03d}".ljust(MAX_ID_LENGTH, "x") for i in range(MAX_ENTRIES)]
    folder = tmp_path / "mine"
    _write(folder, "cards.yaml", _cards(ids))
    content = load_content(folder)
    assert len(content.cards) == MAX_ENTRIES <= room.MAX_ENTRIES
    cards = {i: "not_me" for i in ids}  # a share names each sorted card and its column
    document = room.share_document("motivations", {"cards": cards}, room.check_cards)
    assert len(document.encode("ascii")) <= room.MAX_SHARE_BYTES


def test_the_most_activities_check_accepts_fit_in_a_room_share():
    ids = [f"a{i:02d}".ljust(MAX_ID_LENGTH, "x") for i in range(MAX_ACTIVITIES)]
    # the longest share a week can hold: as many activities as allowed, none of them empty
    week = room.week_shares(dict.fromkeys(ids, 1.0), ids)
    document = room.share_document("allocation", {"current": week, "ideal": week}, room.check_week)
    assert len(document.encode("ascii")) <= room.MAX_SHARE_BYTES


def test_too_many_activities_and_too_long_ids_are_named(tmp_path):
    folder = tmp_path / "mine"
    long_id = "x" * (MAX_ID_LENGTH + 1)
    acts = "".join(
        f"  - id: act_{i}\n    label: A {i}\n    counts: Things.\n"
        for i in range(MAX_ACTIVITIES + 1)
    )
    _write(folder, "activities.yaml", "activities:\n" + acts)
    _write(folder, "themes.yaml", f"themes:\n  - id: {long_id}\n    label: L\n    description: D\n")
    problems = _problems(folder)
    assert any(f"has {MAX_ACTIVITIES + 1} entries" in p for p in problems)
    assert any("theme #1" in p and f"up to {MAX_ID_LENGTH}" in p for p in problems)


# --------------------------------------------------------------------------- one message
def test_a_bad_content_folder_explains_itself_in_one_message(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    _write(folder, "cards.yaml", _cards([f"Bad-{i}" for i in range(40)]))
    monkeypatch.setenv(ENV_CONTENT, str(folder))
    with pytest.raises(ContentError) as info:
        load_content()
    message = info.value.explain()
    lines = message.splitlines()
    assert str(folder) in lines[0] and ENV_CONTENT in lines[0]
    assert "and 28 more" in message and f"workshop-kit check {folder}" in message
    assert f"unset {ENV_CONTENT}" in message
    assert info.value._render_traceback_() == lines


@pytest.mark.parametrize(
    ("name", "what"), [("nowhere", "no such folder"), ("file", "not a folder")]
)
def test_a_missing_content_folder_explains_itself(tmp_path, monkeypatch, name, what):
    (tmp_path / "file").write_text("cards: []\n")
    monkeypatch.setenv(ENV_CONTENT, str(tmp_path / name))
    with pytest.raises(ContentError) as info:
        load_content()
    assert what in info.value.explain() and ENV_CONTENT in info.value.explain()


def test_a_notebook_cell_shows_the_message_and_no_traceback(tmp_path):
    folder = tmp_path / "mine"
    _write(folder, "ui.yaml", "bucket_watch: 'Worth a {look'\n")
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "InteractiveShell.instance().run_cell('import kit; kit.load_content()')\n"
    )
    env = {
        **os.environ,
        ENV_CONTENT: str(folder),
        "IPYTHONDIR": str(tmp_path / "ipython"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    output = shown.stdout + shown.stderr
    assert f"The content folder {folder} (set by {ENV_CONTENT}) cannot be used" in output
    assert "key 'bucket_watch'" in output
    assert "Traceback" not in output and "File " not in output


# --------------------------------------------------------------------------- the week
def test_the_content_sets_where_a_new_week_starts(tmp_path):
    folder = tmp_path / "mine"
    shutil.copytree(packaged_content_dir(), folder)
    path = folder / "activities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "default_total_hours: 40", "default_total_hours: 45"
        ),
        encoding="utf-8",
    )
    content = load_content(folder)
    week = allocation.empty(content)
    assert content.default_total_hours == week["total"] == 45
    assert sum(week["current"].values()) == sum(week["ideal"].values()) == 45
    assert allocation.empty(content, 32)["total"] == 32  # an explicit week still wins
    assert exercises.get("allocation").empty(content)["total"] == 45  # what a new file holds


def test_the_packaged_files_read_the_same_by_the_fast_parser_and_a_persons_stays_bounded(
    tmp_path,
):
    from kit._yaml import YamlProblem, read_yaml

    for path in sorted(packaged_content_dir().glob("*.yaml")):
        fast = read_yaml(path, max_bytes=10**6, packaged=True)
        assert fast == read_yaml(path, max_bytes=10**6), path.name
    bomb = tmp_path / "themes.yaml"
    bomb.write_text("a: &a [1, 2]\nb: &b [*a, *a, *a]\nthemes: [*b, *b]\n", encoding="utf-8")
    with pytest.raises(YamlProblem, match="values once its aliases"):
        read_yaml(bomb, max_bytes=10**6, max_values=10)  # a person's file: still bounded
