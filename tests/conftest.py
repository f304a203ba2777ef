"""Shared test set-up: nothing a test run does touches the tester's real folders."""

from __future__ import annotations

from pathlib import Path

import pytest


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


@pytest.fixture
def rooms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty rooms folder that the room code and widgets use."""
    from kit.room import store

    folder = tmp_path / "rooms"
    monkeypatch.setenv(store.ENV_ROOMS, str(folder))
    return folder


@pytest.fixture
def code(rooms: Path) -> str:
    """A new, open room."""
    from kit.room import store

    return store.create_room(rooms)
