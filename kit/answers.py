"""One participant's saved answers: one JSON file per exercise, written atomically.

The participant folder is ``$WORKSHOP_KIT_HOME`` or a per-user data folder. Each exercise
has its own file (``motivations.json``, ...), because each notebook runs in its own kernel
and one shared file would lose updates. What the promises below rest on:

- A save compares the file with what this window last read or wrote and replaces it under
  an inter-process lock (``filelock``), so two windows saving at once never lose either
  last answer: another window's version is kept aside (one copy per window, the newest).
- A file that cannot be read, or that a newer kit wrote, is never overwritten: opening the
  exercise sets it aside under a clear name and says so in one plain sentence.
  :meth:`AnswerStore.peek` reads without moving, renaming or changing anything.
- A folder that cannot be written still lets the exercise work in memory; where a file
  system refuses locks, answers are saved without one and the participant is told once.
- :func:`clear` leaves a marker, so a kernel left open from before a reset never writes the
  previous person's answers back.
- Everything in the folder is owner-only, and no write or delete follows a link out of it
  (:mod:`kit._private_files`).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs

from kit import exercises
from kit._files import aside_name as _aside_name
from kit._files import write_atomic
from kit._folder import (
    LOCK_WAIT,
    MAX_FILE_BYTES,
    REPORT_FILE,
    clear,
    exercise_lock,
    generation,
    list_snapshots,
    lock_path,
    personal_files,
    snapshot,
)
from kit._private_files import LinkRefusedError, ensure_home, read_regular, write_private
from kit._resources import DISTRIBUTION
from kit.content import Content

__all__ = [
    "ENV_HOME",
    "ENV_PROFILE",
    "LOCK_WAIT",
    "MAX_FILE_BYTES",
    "REPORT_FILE",
    "SCHEMA_VERSION",
    "AnswerStore",
    "DemoStore",
    "FolderClearedError",
    "LinkRefusedError",
    "Loaded",
    "NotSavedError",
    "Restored",
    "clear",
    "default_home",
    "list_snapshots",
    "merge_kept",
    "personal_files",
    "restore",
    "snapshot",
    "store_from_env",
    "write_atomic",
]

ENV_HOME = "WORKSHOP_KIT_HOME"
ENV_PROFILE = "WORKSHOP_KIT_PROFILE"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Loaded:
    """What was found for one exercise.

    Attributes
    ----------
    value
        The saved value, or ``None`` when there is nothing usable.
    kept
        Answers kept from earlier content (ids no longer known); saved back untouched.
    notice
        One plain sentence for the participant when something needs saying, else ``None``.
    writable
        ``False`` when saving must not happen (the file could not be set aside).
    raw
        The bytes read, which the next save compares the file with.
    """

    value: dict | None = None
    kept: dict = field(default_factory=dict)
    notice: str | None = None
    writable: bool = True
    raw: bytes | None = None


@dataclass(frozen=True)
class Restored:
    """What an exercise starts from: the answers it can show, and what its file keeps."""

    value: dict | None
    kept: dict
    notes: tuple[str, ...]


def merge_kept(old: dict, new: dict) -> dict:
    """Return the answers kept in a file with newly retired ones added; none is dropped.

    Maps are merged key by key at every depth (the week keeps ``{week: {activity: hours}}``),
    so hours kept from an activity retired long ago stay beside those retired today.
    """
    out = dict(old)
    for key, value in new.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = merge_kept(out[key], value) if both else value
    return out


def restore(loaded: Loaded, exercise: str, content: Content) -> Restored:
    """Split what was loaded into the answers the content knows and the answers to keep.

    A value that cannot be used is kept in the file beside the answers kept before (under
    ``unusable``, ``unusable-2``, ...), never in their place: nothing saved is dropped.
    """
    entry = exercises.get(exercise)
    notes = [loaded.notice] if loaded.notice else []
    kept = dict(loaded.kept)
    if loaded.value is None:
        return Restored(None, kept, tuple(notes))
    try:
        known, gone = entry.split_known(entry.validate(loaded.value), content)
    except ValueError as exc:
        key, n = "unusable", 1
        while key in kept:
            n += 1
            key = f"unusable-{n}"
        notes.append(
            f"Some saved answers could not be used ({exc}); they are kept in your file, "
            "not shown here."
        )
        return Restored(None, {**kept, key: loaded.value}, tuple(notes))
    if gone or kept:
        notes.append(
            "Some saved answers refer to content that is no longer in the kit; they are "
            "kept in your file, not shown here."
        )
    return Restored(known, merge_kept(kept, gone), tuple(notes))


class FolderClearedError(OSError):
    """The participant folder was cleared for the next person after this store opened."""

    def __init__(self, home: Path):
        super().__init__(
            errno.EPERM,
            f"{home} was cleared for the next person after this page was opened, so these "
            "answers are not written there; restart the kernel to start afresh",
        )


class NotSavedError(OSError):
    """A save failed after another window's version was kept aside; ``aside`` says where."""

    def __init__(self, cause: OSError, path: Path, aside: Path):
        reason = cause.strerror or str(cause)
        super().__init__(
            cause.errno,
            f"{reason}; the other window's answers are still in {path.name} and a copy is "
            f"kept as {aside.name} in {aside.parent}",
        )
        self.aside = aside


def default_home() -> Path:
    """Return the participant folder: ``$WORKSHOP_KIT_HOME`` or a per-user data folder."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(DISTRIBUTION, appauthor=False))


def store_from_env() -> AnswerStore | DemoStore:
    """Return the store the run mode asks for (``WORKSHOP_KIT_PROFILE``: unset or ``demo``)."""
    profile = os.environ.get(ENV_PROFILE, "").strip().lower()
    if profile == "demo":
        return DemoStore()
    if profile:
        raise ValueError(
            f"{ENV_PROFILE}={profile!r} is not a profile the kit knows; "
            "use 'demo' or leave it unset."
        )
    return AnswerStore(default_home())


class AnswerStore:
    """Read and write one participant's answers in a folder.

    Parameters
    ----------
    home
        The participant folder. It is created (owner-only) on the first save.
    """

    demo = False

    def __init__(self, home: str | os.PathLike[str]):
        self.home = Path(home)
        self._window = secrets.token_hex(4)  # names this window's one kept-aside copy
        self._generation = generation(self.home)
        self._notes: list[str] = []
        self._said_unlocked = False

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.home)!r})"

    def path(self, exercise: str) -> Path:
        """Return the file of ``exercise``."""
        return self.home / f"{exercises.get(exercise).name}.json"

    def lock_path(self, exercise: str) -> Path:
        """Return the lock file that saves of ``exercise`` take turns on."""
        return lock_path(self.home, exercises.get(exercise).name)

    def take_notes(self) -> list[str]:
        """Return what the participant should be told about saving since the last call."""
        notes, self._notes = self._notes, []
        return notes

    # ------------------------------------------------------------------ reading
    def peek(self, exercise: str) -> Loaded:
        """Read the saved answers of ``exercise``; never move, rename or change any file.

        A damaged or newer file gives ``value=None`` and a notice saying it was left as it
        is. For the last page, snapshots, reports and comparisons, which only look.
        """
        return self._read(exercise, move=False)

    def load(self, exercise: str) -> Loaded:
        """Read the saved answers of ``exercise``, setting aside anything unusable.

        For the exercise's own widget, which then saves over the file.
        """
        return self._read(exercise, move=True)

    def _read(self, exercise: str, *, move: bool) -> Loaded:
        path = self.path(exercise)
        words = exercises.get(exercise).words
        try:
            raw = read_regular(path, MAX_FILE_BYTES)
        except (FileNotFoundError, NotADirectoryError):  # nothing saved (yet) in that folder
            return Loaded()
        except PermissionError:
            return Loaded(
                notice=f"Your saved {words} at {path} cannot be opened (no "
                "permission), so this session starts empty and will not "
                "change that file.",
                writable=False,
            )
        except OSError as exc:
            return self._problem(path, words, "unreadable", f"could not be read ({exc})", move)
        problem = _check(raw, exercise, words)
        if problem is not None:
            label, why = problem
            return self._problem(path, words, label, why, move, raw)
        data = json.loads(raw.decode("utf-8"))
        return Loaded(value=data["value"], kept=data.get("kept", {}), raw=raw)

    def _problem(
        self, path: Path, words: str, label: str, why: str, move: bool, raw: bytes | None = None
    ) -> Loaded:
        if not move:
            return Loaded(
                notice=f"Your saved {words} at {path} {why}; it is left as it is, and "
                f"opening the {words} exercise will keep it aside.",
                writable=False,
            )
        with exercise_lock(self.home, path.stem):
            try:
                if raw is not None and read_regular(path, MAX_FILE_BYTES) != raw:
                    changed = True  # another window saved meanwhile: read that instead
                else:
                    changed = False
                    aside = _aside_name(path, label)
                    os.replace(path, aside)
            except OSError:
                return Loaded(
                    notice=f"Your saved {words} at {path} {why}. It could not be moved "
                    "aside, so this session starts empty and leaves that file as it "
                    "is.",
                    writable=False,
                )
        if changed:
            return self._read(path.stem, move=True)
        return Loaded(
            notice=f"Your saved {words} {why}, so it was kept as {aside.name} in "
            f"{aside.parent} and you start fresh; nothing was deleted."
        )

    # ------------------------------------------------------------------ writing
    def save(
        self,
        exercise: str,
        value: dict,
        kept: dict | None = None,
        expected: bytes | object | None = ...,
    ) -> tuple[bytes, Path | None]:
        """Write the answers of ``exercise`` atomically, under the exercise's lock.

        Parameters
        ----------
        expected
            What this session last read or wrote (``None``: no file). If the file now
            holds something else, another window or kernel changed it: that version is
            kept aside (``NAME.other-window-WINDOW.json``, one per window, the newest)
            instead of being overwritten. ``...`` skips the check.

        Returns
        -------
        (written, aside)
            The bytes written, and where another session's version was kept (or ``None``).

        Raises
        ------
        FolderClearedError
            When the folder was cleared for the next person after this store opened.
        NotSavedError
            When the write failed after another window's version was kept aside.
        OSError
            When the folder cannot be created or written.
        """
        path = self.path(exercise)
        data = {"schema": SCHEMA_VERSION, "exercise": exercise, "value": value, "kept": kept or {}}
        encoded = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        if generation(self.home) != self._generation:
            raise FolderClearedError(self.home)
        ensure_home(self.home)
        with exercise_lock(self.home, exercise) as unlocked:
            if generation(self.home) != self._generation:  # cleared while we waited
                raise FolderClearedError(self.home)
            aside = None
            if expected is not ...:
                try:
                    current = read_regular(path, MAX_FILE_BYTES)
                except FileNotFoundError:
                    current = None
                if current is not None and current != expected:
                    aside = path.with_name(f"{exercise}.other-window-{self._window}.json")
                    write_atomic(aside, current)  # a copy: the file is never missing
            try:
                write_atomic(path, encoded)
            except OSError as exc:
                if aside is not None:
                    raise NotSavedError(exc, path, aside) from exc
                raise
        if unlocked and not self._said_unlocked:
            self._said_unlocked = True
            self._notes.append(
                f"Your answers are saved without a lock ({unlocked}), so two windows of "
                "the same exercise could overwrite each other: keep one window per exercise."
            )
        return encoded, aside

    def write_personal(self, name: str, data: bytes) -> Path:
        """Write a personal file (the report) in the folder: owner-only, never through a link.

        Raises
        ------
        LinkRefusedError
            When ``name`` or a folder on the way is a link.
        FolderClearedError
            When the folder was cleared for the next person after this store opened.
        """
        if generation(self.home) != self._generation:
            raise FolderClearedError(self.home)
        return write_private(self.home, name, data)

    def where(self) -> str:
        """Return the folder as shown to the participant."""
        return str(self.home)


def _check(raw: bytes, exercise: str, words: str) -> tuple[str, str] | None:
    """Return ``(label, why)`` when ``raw`` is not a usable answers file, else ``None``."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "unreadable", "was damaged (perhaps cut off while saving)"
    if not isinstance(data, dict) or not isinstance(data.get("schema"), int):
        return "unreadable", "is not an answers file"
    if data["schema"] > SCHEMA_VERSION:
        return "from-newer-kit", "was saved by a newer version of the kit"
    if (
        data.get("exercise") != exercise
        or not isinstance(data.get("value"), dict)
        or not isinstance(data.get("kept", {}), dict)
    ):
        return "unreadable", f"is not an answers file for the {words}"
    return None


class DemoStore:
    """The packaged demo profile: sample answers in, nothing out."""

    demo = True

    def __repr__(self) -> str:
        return "DemoStore()"

    def load(self, exercise: str) -> Loaded:
        """Return the demo answers of ``exercise`` (empty if the demo has none)."""
        name = exercises.get(exercise).name
        res = resources.files("kit") / "demo" / f"{name}.json"
        if not res.is_file():
            return Loaded()
        return Loaded(value=json.loads(res.read_text(encoding="utf-8")))

    peek = load

    def save(
        self,
        exercise: str,
        value: dict,
        kept: dict | None = None,
        expected: bytes | object | None = ...,
    ) -> tuple[bytes, None]:
        """Save nothing: the demo profile never writes."""
        return b"", None

    def take_notes(self) -> list[str]:
        """Nothing to say: the demo profile never saves."""
        return []

    def where(self) -> str:
        """Return where demo answers come from."""
        return "the kit's demo profile"
