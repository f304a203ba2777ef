"""The rooms folder: room codes, the room folders, creating a room and reading its rule.

A *room* is a folder under the rooms folder (``$WORKSHOP_KIT_ROOMS``, else a per-user data
folder), named by a short code such as ``K7RM4Q``; see :mod:`kit.room.store` for what it
holds. Everything here is about the folders themselves; joining, sharing and withdrawing are
in :mod:`kit.room.store`, which re-exports these names.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import stat
from pathlib import Path

import platformdirs

from kit import exercises
from kit._files import write_atomic
from kit._resources import DISTRIBUTION
from kit.room import shares as _shares
from kit.room.pictures import LOWEST_MIN_PEOPLE, MIN_PEOPLE, people_rule
from kit.room.shares import MAX_SHARE_BYTES, ROOM_SCHEMA

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "ENV_ROOMS",
    "EXERCISES",
    "RoomClosedError",
    "RoomError",
    "Rooms",
    "create_room",
    "default_rooms",
    "list_rooms",
    "new_code",
    "normalize_code",
    "read_regular_file",
    "room_dir",
    "room_exists",
    "room_rule",
]

ENV_ROOMS = "WORKSHOP_KIT_ROOMS"
#: Codes use letters and digits that cannot be mistaken for one another (no 0/O, no 1/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The exercises a room collects, in the order of the workshop (commitments never are).
EXERCISES = exercises.room_exercises()

_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

Rooms = str | os.PathLike[str] | None


class RoomError(ValueError):
    """A room action that cannot be done; the message is one plain sentence."""


class RoomClosedError(RoomError):
    """The room does not exist (any more)."""


# --------------------------------------------------------------------------- folders
def default_rooms() -> Path:
    """Return the rooms folder: ``$WORKSHOP_KIT_ROOMS`` or a per-user data folder."""
    env = os.environ.get(ENV_ROOMS)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(DISTRIBUTION, appauthor=False)) / "rooms"


def _rooms(rooms: Rooms) -> Path:
    return Path(rooms) if rooms is not None else default_rooms()


def normalize_code(text: str) -> str:
    """Return a room code as stored (``"k7rm-4q "`` -> ``"K7RM4Q"``).

    Raises
    ------
    RoomError
        When the text cannot be a room code, saying why in plain words.
    """
    code = re.sub(r"[\s\-]", "", str(text)).upper()
    if not code:
        raise RoomError("Type the room code your facilitator gave you.")
    if len(code) != CODE_LENGTH:
        raise RoomError(f"A room code has {CODE_LENGTH} characters; '{code}' has {len(code)}.")
    bad = sorted(set(code) - set(CODE_ALPHABET))
    if bad:
        hint = " (codes never contain 0, O, 1 or I)" if set(bad) & set("01OI") else ""
        raise RoomError(
            f"'{code}' is not a room code: {', '.join(bad)} cannot appear in one{hint}."
        )
    return code


def new_code(rng: random.Random | None = None) -> str:
    """Return a fresh random code of :data:`CODE_LENGTH` characters."""
    choice = rng.choice if rng is not None else secrets.choice
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def room_dir(code: str, rooms: Rooms = None) -> Path:
    """Return the folder of room ``code``."""
    return _rooms(rooms) / normalize_code(code)


def room_exists(code: str, rooms: Rooms = None) -> bool:
    """Return whether room ``code`` is open in the rooms folder."""
    return (room_dir(code, rooms) / "room.json").is_file()


def list_rooms(rooms: Rooms = None) -> tuple[str, ...]:
    """Return the codes of the open rooms, sorted."""
    folder = _rooms(rooms)
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            p.name
            for p in folder.iterdir()
            if _CODE_RE.match(p.name) and (p / "room.json").is_file()
        )
    )


def _write_text(path: Path, text: str, *, shared: bool = False) -> None:
    write_atomic(path, text.encode("utf-8"), shared=shared)


#: Never through a link; and a named pipe opens at once instead of waiting for a writer.
_OPEN_REGULAR = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
)


def read_regular_file(path: Path, limit: int | None = None) -> bytes | None:
    """Return the bytes of ``path`` if it is a regular file (not a link, not a pipe), else None.

    The check is made on the opened descriptor, so a file swapped for a link or a pipe in
    between is refused too. ``limit`` bounds how much is read (``None``: all).
    """
    try:
        fd = os.open(path, _OPEN_REGULAR)
    except OSError:  # a link (ELOOP), gone, or not readable
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (limit is not None and st.st_size > limit):
            return None
        return fh.read()


def create_room(
    rooms: Rooms = None,
    code: str | None = None,
    rng: random.Random | None = None,
    *,
    min_people: int = MIN_PEOPLE,
) -> str:
    """Create a room and return its code.

    Parameters
    ----------
    rooms
        The rooms folder; default :func:`default_rooms`.
    code
        A code to use (e.g. for a rehearsal); default: a new random one.
    rng
        Random source for the code (tests); default :mod:`secrets`.
    min_people
        People before a picture is shown (and changes between two snapshots); the
        facilitator may lower the default :data:`~kit.room.pictures.MIN_PEOPLE`, never below
        :data:`~kit.room.pictures.LOWEST_MIN_PEOPLE`.

    Raises
    ------
    RoomError
        When ``code`` is given and that room is already open, or ``min_people`` is too low.
    """
    if type(min_people) is not int or min_people < LOWEST_MIN_PEOPLE:
        raise RoomError(
            f"A room needs at least {LOWEST_MIN_PEOPLE} people before it shows a picture "
            f"(the usual is {MIN_PEOPLE}); {min_people!r} is too few."
        )
    folder = _rooms(rooms)
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        chosen = normalize_code(code) if code is not None else new_code(rng)
        target = folder / chosen
        try:
            target.mkdir()  # atomic: two facilitators never get the same new room
        except FileExistsError:
            if code is not None:
                raise RoomError(f"Room {chosen} already exists in {folder}.") from None
            continue
        for exercise in EXERCISES:
            (target / exercise).mkdir()
            (target / "snapshots" / exercise).mkdir(parents=True)
        (target / "joined").mkdir()  # presence marks (kit.room.presence.MARKS_DIR)
        _write_text(
            target / "room.json",
            _shares.dumps({"schema": ROOM_SCHEMA, "code": chosen, "min_people": min_people}),
            shared=True,
        )
        return chosen
    raise RoomError(f"Could not find a free room code in {folder}.")  # pragma: no cover


def room_rule(code: str, rooms: Rooms = None) -> tuple[int, int | None]:
    """Return the people room ``code`` needs before a picture, and a refused lower number.

    Read from the room's ``room.json`` through :func:`~kit.room.pictures.people_rule`: a
    file that asks for fewer than :data:`~kit.room.pictures.LOWEST_MIN_PEOPLE` gets that
    floor (and the number it asked, so that the views say so); a missing or damaged file
    gets the default.
    """
    raw = read_regular_file(room_dir(code, rooms) / "room.json", MAX_SHARE_BYTES)
    try:
        data = json.loads(raw) if raw is not None else {}
    except (ValueError, RecursionError):
        data = {}
    return people_rule(data.get("min_people") if isinstance(data, dict) else None)
