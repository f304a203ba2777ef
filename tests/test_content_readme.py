"""The examples in ``kit/content/README.md`` are the packaged content, not old drafts.

A facilitator copies the README's examples; each one shows a real entry of the packaged
file, field by field. An example may shorten a long text with a trailing ``...`` and leave
out fields or hours (a comment such as ``# ...`` says so); what it does show must be true.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from kit.content import packaged_content_dir

README = packaged_content_dir() / "README.md"
_BLOCK = re.compile(r"^## `(?P<file>[a-z_]+\.yaml)`.*?```yaml\n(?P<body>.*?)```", re.S | re.M)


def _examples() -> list[tuple[str, dict]]:
    text = README.read_text(encoding="utf-8")
    return [(m["file"], yaml.safe_load(m["body"])) for m in _BLOCK.finditer(text)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _differences(shown: Any, packaged: Any, where: str) -> list[str]:
    if isinstance(shown, dict):
        if not isinstance(packaged, dict):
            return [f"{where}: the packaged value is not a mapping"]
        out = []
        for key, value in shown.items():
            if key not in packaged:
                out.append(f"{where}.{key}: not in the packaged file")
            else:
                out += _differences(value, packaged[key], f"{where}.{key}")
        return out
    if isinstance(shown, str) and isinstance(packaged, str):
        flat = _flat(shown)
        if flat.endswith("..."):
            ok = _flat(packaged).startswith(flat[:-3].rstrip())
        else:
            ok = flat == _flat(packaged)
        return [] if ok else [f"{where}: {shown!r} is not the packaged {packaged!r}"]
    return [] if shown == packaged else [f"{where}: {shown!r} != packaged {packaged!r}"]


def test_the_readme_shows_an_example_of_every_list_file():
    files = {name for name, _ in _examples()}
    assert {
        "sources.yaml",
        "themes.yaml",
        "cards.yaml",
        "activities.yaml",
        "roles.yaml",
        "statements.yaml",
    } <= files


@pytest.mark.parametrize(
    "name, example", _examples(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_each_readme_example_is_the_packaged_entry(name, example):
    packaged = yaml.safe_load((packaged_content_dir() / name).read_text(encoding="utf-8"))
    problems = []
    for key, shown in example.items():
        if isinstance(shown, list):  # a list of entries with ids
            entries = {e["id"]: e for e in packaged.get(key, [])}
            for entry in shown:
                if entry["id"] not in entries:
                    problems.append(f"{name} {key}: no entry {entry['id']!r}")
                else:
                    problems += _differences(entry, entries[entry["id"]], f"{name} {entry['id']}")
        else:
            problems += _differences(shown, packaged.get(key), f"{name} {key}")
    assert not problems, "\n".join(problems)


def test_the_check_would_catch_a_stale_example():
    assert _differences({"text": "I pick up a small ticket"}, {"text": "Every so often"}, "c")
    assert not _differences({"text": "Every so ..."}, {"text": "Every so often I"}, "c")
    assert _differences({"hours": {"a": 8}}, {"hours": {"a": 7, "b": 1}}, "r")
