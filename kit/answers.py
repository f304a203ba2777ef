"""One participant's saved answers: one JSON file per exercise, written atomically.

The participant folder is ``$WORKSHOP_KIT_HOME`` or a per-user data folder. Each exercise
has its own file (``motivations.json``, ...), because each notebook runs in its own kernel
and one shared file would lose updates. A file that cannot be read, or that a newer kit
wrote, is never overwritten: it is set aside under a clear name and the participant is told
so in one plain sentence. A folder that cannot be written still lets the exercise work in
memory.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from kit._files import aside_name as _aside_name
from kit._files import write_atomic
from kit._resources import DISTRIBUTION

__all__ = [
    "ENV_HOME",
    "ENV_PROFILE",
    "EXERCISES",
    "SCHEMA_VERSION",
    "AnswerStore",
    "DemoStore",
    "Loaded",
    "clear",
    "default_home",
    "list_snapshots",
    "personal_files",
    "snapshot",
    "store_from_env",
    "write_atomic",
]

ENV_HOME = "WORKSHOP_KIT_HOME"
ENV_PROFILE = "WORKSHOP_KIT_PROFILE"
SCHEMA_VERSION = 1
#: Exercise name -> the words used for it in messages to the participant.
EXERCISES = {
    "motivations": "card sort",
    "allocation": "week",
    "archetypes": "questionnaire",
    "commitments": "commitments",
}
MAX_FILE_BYTES = 2_000_000


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
    """

    value: dict | None = None
    kept: dict = field(default_factory=dict)
    notice: str | None = None
    writable: bool = True
    raw: bytes | None = None


def default_home() -> Path:
    """Return the participant folder: ``$WORKSHOP_KIT_HOME`` or a per-user data folder."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(DISTRIBUTION, appauthor=False))


def store_from_env() -> AnswerStore | DemoStore:
    """Return the store the run mode asks for (design.md, Contracts: run modes)."""
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
        The participant folder. It is created on the first save.
    """

    demo = False

    def __init__(self, home: str | os.PathLike[str]):
        self.home = Path(home)

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.home)!r})"

    def path(self, exercise: str) -> Path:
        """Return the file of ``exercise``."""
        if exercise not in EXERCISES:
            raise ValueError(
                f"unknown exercise {exercise!r}; expected one of {', '.join(EXERCISES)}"
            )
        return self.home / f"{exercise}.json"

    # ------------------------------------------------------------------ reading
    def load(self, exercise: str) -> Loaded:
        """Read the saved answers of ``exercise``, setting aside anything unusable."""
        path = self.path(exercise)
        words = EXERCISES[exercise]
        try:
            if not path.exists():
                return Loaded()
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("the file is far larger than any answers file")
            raw = path.read_bytes()
        except PermissionError:
            return Loaded(
                notice=f"Your saved {words} at {path} cannot be opened (no "
                "permission), so this session starts empty and will not "
                "change that file.",
                writable=False,
            )
        except (OSError, ValueError) as exc:
            return self._set_aside(path, words, "unreadable", f"could not be read ({exc})")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return self._set_aside(
                path, words, "unreadable", "was damaged (perhaps cut off while saving)"
            )
        if not isinstance(data, dict) or not isinstance(data.get("schema"), int):
            return self._set_aside(path, words, "unreadable", "is not an answers file")
        if data["schema"] > SCHEMA_VERSION:
            return self._set_aside(
                path, words, "from-newer-kit", "was saved by a newer version of the kit"
            )
        value, kept = data.get("value"), data.get("kept", {})
        if (
            data.get("exercise") != exercise
            or not isinstance(value, dict)
            or not isinstance(kept, dict)
        ):
            return self._set_aside(
                path, words, "unreadable", f"is not an answers file for the {words}"
            )
        return Loaded(value=value, kept=kept, raw=raw)

    def _set_aside(self, path: Path, words: str, label: str, why: str) -> Loaded:
        aside = _aside_name(path, label)
        try:
            os.replace(path, aside)
        except OSError:
            return Loaded(
                notice=f"Your saved {words} at {path} {why}. It could not be moved "
                "aside, so this session starts empty and leaves that file as it "
                "is.",
                writable=False,
            )
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
        """Write the answers of ``exercise`` atomically (temporary file, flush, rename).

        Parameters
        ----------
        expected
            What this session last read or wrote (``None``: no file). If the file now
            holds something else, another window or kernel changed it: that version is
            kept aside under a clear name instead of being overwritten. ``...`` skips
            the check.

        Returns
        -------
        (written, aside)
            The bytes written, and where another session's version was kept (or ``None``).

        Raises
        ------
        OSError
            When the folder cannot be created or written.
        """
        path = self.path(exercise)
        data = {"schema": SCHEMA_VERSION, "exercise": exercise, "value": value, "kept": kept or {}}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = None
        if expected is not ...:
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current is not None and current != expected:
                aside = _aside_name(path, "other-window")
                os.replace(path, aside)
        encoded = text.encode("utf-8")
        write_atomic(path, encoded)
        return encoded, aside

    def where(self) -> str:
        """Return the folder as shown to the participant."""
        return str(self.home)


class DemoStore:
    """The packaged demo profile: sample answers in, nothing out."""

    demo = True

    def __repr__(self) -> str:
        return "DemoStore()"

    def load(self, exercise: str) -> Loaded:
        """Return the demo answers of ``exercise`` (empty if the demo has none)."""
        from importlib import resources

        if exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {exercise!r}")
        res = resources.files("kit") / "demo" / f"{exercise}.json"
        if not res.is_file():
            return Loaded()
        return Loaded(value=json.loads(res.read_text(encoding="utf-8")))

    def save(
        self,
        exercise: str,
        value: dict,
        kept: dict | None = None,
        expected: bytes | object | None = ...,
    ) -> tuple[bytes, None]:
        """Save nothing: the demo profile never writes."""
        return b"", None

    def where(self) -> str:
        """Return where demo answers come from."""
        return "the kit's demo profile"


# --------------------------------------------------------------------------- whole folder
def _exercise_files(home: Path) -> list[Path]:
    return [home / f"{name}.json" for name in EXERCISES if (home / f"{name}.json").is_file()]


def _unique_dir(parent: Path, stem: str) -> Path:
    target, n = parent / stem, 1
    while target.exists():
        n += 1
        target = parent / f"{stem}-{n}"
    return target


def snapshot(home: str | os.PathLike[str], label: str | None = None) -> Path | None:
    """Keep a dated copy of every answers file in ``home/snapshots/``.

    Returns the snapshot folder, or ``None`` when there are no answers to keep.
    """
    home = Path(home)
    files = _exercise_files(home)
    if not files:
        return None
    stem = time.strftime("%Y-%m-%d_%H%M%S") + (f"_{label}" if label else "")
    target = _unique_dir(home / "snapshots", stem)
    target.mkdir(parents=True)
    for f in files:
        (target / f.name).write_bytes(f.read_bytes())
    return target


def list_snapshots(home: str | os.PathLike[str]) -> list[Path]:
    """Return the snapshot folders in ``home``, oldest first."""
    folder = Path(home) / "snapshots"
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


#: Everything else the kit writes in a participant folder, cleared along with the answers.
_PERSONAL = ("my-leadership-path.html", "my-leadership-path.pdf", "room.json", "snapshots")


def personal_files(home: str | os.PathLike[str]) -> list[Path]:
    """Return the answers, set-aside copies, reports, room token and snapshots in ``home``."""
    home = Path(home)
    found = _exercise_files(home)
    for name in EXERCISES:  # copies set aside after damage or a second window
        found += sorted(home.glob(f"{name}.*-*.json"))
    found += [home / n for n in _PERSONAL if (home / n).exists()]
    return found


def clear(home: str | os.PathLike[str], *, backup: bool = True) -> Path | None:
    """Clear a participant folder for the next person.

    Moves the answers and everything else the kit wrote for this participant (set-aside
    copies, the saved report, the room token, snapshots) to a dated folder under
    ``backups/``. With ``backup=False`` they are deleted instead, together with earlier
    backups, so that nothing of the previous person stays on a shared laptop.

    Returns the backup folder (``None`` when nothing was there or ``backup`` is false).
    """
    import shutil

    home = Path(home)
    files = personal_files(home)
    if not backup:
        for f in files:
            shutil.rmtree(f) if f.is_dir() else f.unlink()
        if (home / "backups").is_dir():
            shutil.rmtree(home / "backups")
        return None
    if not files:
        return None
    target = _unique_dir(home / "backups", time.strftime("cleared-%Y-%m-%d_%H%M%S"))
    target.mkdir(parents=True)
    for f in files:
        os.replace(f, target / f.name)
    return target
