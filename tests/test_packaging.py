"""Packaging and the shape of the package: wheel contents, dependencies, light imports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _names(requirements) -> dict[str, str]:
    out = {}
    for req in requirements:
        if not isinstance(req, str):
            continue
        m = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", req.strip())
        out[m.group(1).lower().replace("_", "-")] = m.group(2).replace(" ", "")
    return out


def test_environment_yml_is_in_step_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"])
    for extra in ("test", "hub"):
        wanted.update(_names(project["optional-dependencies"][extra]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    have = _names(d for d in env["dependencies"] if isinstance(d, str))
    # Packages that only PyPI has are in the pip: section; `-e .` is the kit itself.
    pip = next((d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d), [])
    have.update(_names(r for r in pip if not r.startswith("-")))
    have.pop("python"), have.pop("pip")
    assert have == wanted


@pytest.mark.slow
def test_wheel_carries_content_and_notebooks(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("leadership_workshop_kit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for yml in (ROOT / "kit" / "content").glob("*.yaml"):
        assert f"kit/content/{yml.name}" in names
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"kit/_notebooks/{nb.name}" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "workshop-kit = kit.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json;print(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


HEAVY = {"matplotlib", "ipywidgets"}


def test_import_kit_stays_light():
    assert not HEAVY & _modules_after("import kit")


@pytest.mark.parametrize(
    "module",
    [
        "kit.content",
        "kit.motivations",
        "kit.answers",
        "kit.allocation",
        "kit.archetypes",
        "kit.commitments",
        "kit.positions",
        "kit.synthesis",
        "kit.exercises",
        "kit.room.shares",
        "kit.room.pictures",
        "kit.room.store",
        "kit.room.reader",
        "kit.room.demo",
        "kit.room.archive",
        "kit.room.sharing",
        "kit.room.folders",
        "kit.room.pending",
        "kit.room.snapshots",
        "kit.lenses",
    ],
)
def test_logic_modules_import_neither_widgets_nor_matplotlib(module):
    assert not HEAVY & _modules_after(f"import {module}")


def test_widgets_load_on_first_use():
    loaded = _modules_after("from kit import MotivationSort")
    assert "ipywidgets" in loaded
