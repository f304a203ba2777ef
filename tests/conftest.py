"""Shared test set-up: nothing a test run does touches the tester's real folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="workshop-kit-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    """Point every per-user folder at a sandbox before any kernel starts (nbval inherits)."""
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                 "IPYTHONDIR", "MPLCONFIGDIR"):
        folder = _SANDBOX / name.lower()
        folder.mkdir(exist_ok=True)
        os.environ[name] = str(folder)
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    os.environ["WORKSHOP_KIT_HOME"] = str(_SANDBOX / "participant")
    os.environ.pop("WORKSHOP_KIT_PROFILE", None)
    os.environ.pop("WORKSHOP_KIT_CONTENT", None)


@pytest.fixture(autouse=True)
def _private_participant_folder(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests never touch the journey folder, which nbval's notebooks use in order."""
    monkeypatch.setenv("WORKSHOP_KIT_HOME", str(tmp_path_factory.mktemp("unit-home")))


@pytest.fixture(scope="session")
def content():
    """The packaged content, loaded once."""
    from kit.content import load_content

    return load_content()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty participant folder that default-bound widgets use."""
    folder = tmp_path / "participant"
    monkeypatch.setenv("WORKSHOP_KIT_HOME", str(folder))
    monkeypatch.delenv("WORKSHOP_KIT_PROFILE", raising=False)
    return folder


@pytest.fixture
def store(home: Path):
    """An answer store on the fresh participant folder."""
    from kit.answers import AnswerStore

    return AnswerStore(home)
