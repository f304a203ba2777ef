"""The participant's journey: the steps, in order, read from ``journey.yaml``.

Pure: reads one packaged YAML file and returns frozen records. The serve command, the
browser pages and the tests take the order, titles and times from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

__all__ = ["JOURNEY_FILE", "Step", "load_steps", "page_steps"]

JOURNEY_FILE = Path(__file__).resolve().parent / "journey.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NOTEBOOK = re.compile(r"^[0-9]{2}-[a-z0-9-]+$")


@dataclass(frozen=True)
class Step:
    """One step of the journey: id, title, notebook (without ``.ipynb``), minutes, served."""

    id: str
    title: str
    notebook: str
    minutes: int
    page: bool = True


def _problems(entry: object, where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: expected a mapping with id, title, notebook and minutes"]
    out = []
    for key in ("id", "title", "notebook", "minutes"):
        if key not in entry:
            out.append(f"{where}: missing {key!r}")
    extra = sorted(set(entry) - {"id", "title", "notebook", "minutes", "page"})
    if extra:
        out.append(f"{where}: unknown field(s) {', '.join(extra)}")
    if "id" in entry and not (isinstance(entry["id"], str) and _ID.match(entry["id"])):
        out.append(f"{where}: id must be snake_case text")
    if "notebook" in entry and not (
        isinstance(entry["notebook"], str) and _NOTEBOOK.match(entry["notebook"])
    ):
        out.append(f"{where}: notebook must look like '02-some-name' (no .ipynb)")
    minutes = entry.get("minutes")
    if "minutes" in entry and not (
        isinstance(minutes, int) and not isinstance(minutes, bool) and 0 < minutes <= 240
    ):
        out.append(f"{where}: minutes must be a whole number from 1 to 240")
    if "page" in entry and not isinstance(entry["page"], bool):
        out.append(f"{where}: page must be true or false")
    if "title" in entry and not (isinstance(entry["title"], str) and entry["title"].strip()):
        out.append(f"{where}: title must be non-empty text")
    return out


def load_steps(path: str | Path | None = None) -> tuple[Step, ...]:
    """Return the steps of the journey file at ``path`` (default: the packaged one).

    Raises
    ------
    ValueError
        Naming the file, the step and the field of every problem found.
    """
    path = Path(path) if path is not None else JOURNEY_FILE
    if path == JOURNEY_FILE:
        return _packaged()
    return _load(path)


@cache
def _packaged() -> tuple[Step, ...]:
    return _load(JOURNEY_FILE)


def _load(path: Path) -> tuple[Step, ...]:
    # libyaml when PyYAML has it: every page's kernel reads this file (8x faster)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    entries = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a list 'steps' with at least one step")
    problems: list[str] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        name = entry.get("id") if isinstance(entry, dict) else None
        where = f"{path.name}, step {name or n}"
        problems += _problems(entry, where)
        if isinstance(name, str):
            if name in seen:
                problems.append(f"{where}: the id is used twice")
            seen.add(name)
    if problems:
        raise ValueError("\n".join(problems))
    return tuple(Step(**entry) for entry in entries)


def page_steps() -> tuple[Step, ...]:
    """Return the steps served as code-free pages, in order."""
    return tuple(step for step in load_steps() if step.page)
