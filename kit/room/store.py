"""The room's folder: codes, joining, writing and withdrawing shares.

A *room* is a folder under the rooms folder (``$WORKSHOP_KIT_ROOMS``, else a per-user data
folder), named by a short code such as ``K7RM4Q``. On a laptop it is a local folder; on a
network share or a JupyterHub shared volume it is the same path for everyone::

    rooms/K7RM4Q/room.json                       {"schema": 1, "code": "K7RM4Q"}
    rooms/K7RM4Q/motivations/<token>.json        one file per participant and exercise
    rooms/K7RM4Q/allocation/<token>.json
    rooms/K7RM4Q/archetypes/<token>.json

What a share file holds is decided in :mod:`kit.room.shares`; which exercises a room collects,
and each one's payload, check and aggregate, in the registry :mod:`kit.exercises`.

The file name is a token: ``HMAC-SHA256(key, code:exercise)``, where ``key`` is a random
secret made with :mod:`secrets` when the participant joins, kept in ``room.json`` in their
own participant folder and never written to the room. So sharing again replaces the earlier
file, the participant can withdraw it, and nobody can link one person's card sort to their
week or questionnaire, or derive the token from a name or a machine. Shares carry no time.
What the file system itself records cannot be avoided: every file has a modification
(and change) time, and on a multi-user server its owner's user id. The kit adds nothing on
top; close the room after the debrief (``workshop-kit room close``, see
:mod:`kit.room.archive`), and on a JupyterHub shared volume let every user write as the
same user id (Zero to JupyterHub's default).

Writes are atomic (:func:`kit._files.write_atomic`), as the answers are written, so a reader
(:mod:`kit.room.reader`) sees a whole old file or a whole new one.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import re
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from kit import exercises
from kit._files import write_atomic
from kit._resources import DISTRIBUTION
from kit.answers import default_home
from kit.room import shares as _shares
from kit.room.shares import MAX_SHARE_BYTES, ROOM_SCHEMA

if TYPE_CHECKING:
    from kit.answers import AnswerStore, DemoStore
    from kit.content import Content

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "ENV_ROOMS",
    "EXERCISES",
    "JOIN_FILE",
    "Membership",
    "RoomClosedError",
    "RoomError",
    "build_payload",
    "create_room",
    "default_rooms",
    "has_shared",
    "join",
    "joined",
    "list_rooms",
    "new_code",
    "normalize_code",
    "read_regular_file",
    "room_dir",
    "room_exists",
    "saved_answers",
    "share_document",
    "share_token",
    "shared_document",
    "submit",
    "validate_share",
    "withdraw",
    "write_share",
]

ENV_ROOMS = "WORKSHOP_KIT_ROOMS"
#: Codes use letters and digits that cannot be mistaken for one another (no 0/O, no 1/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The exercises a room collects, in the order of the workshop (commitments never are).
EXERCISES = exercises.room_exercises()
#: The participant-side file (in the participant folder) that remembers the room.
JOIN_FILE = "room.json"

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
    rooms: Rooms = None, code: str | None = None, rng: random.Random | None = None
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

    Raises
    ------
    RoomError
        When ``code`` is given and that room is already open.
    """
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
        _write_text(
            target / "room.json",
            _shares.dumps({"schema": ROOM_SCHEMA, "code": chosen}),
            shared=True,
        )
        return chosen
    raise RoomError(f"Could not find a free room code in {folder}.")  # pragma: no cover


# --------------------------------------------------------------------------- joining
@dataclass(frozen=True)
class Membership:
    """The room a participant joined, and their secret for it (never leaves their folder).

    Attributes
    ----------
    code
        The room's code.
    key
        A random secret (hex) from :mod:`secrets`; share file names are derived from it.
    """

    code: str
    key: str = field(repr=False)


def _join_file(home: str | os.PathLike[str] | None) -> Path:
    return Path(home if home is not None else default_home()) / JOIN_FILE


def _read_join(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if (
        not isinstance(data, dict)
        or data.get("schema") != ROOM_SCHEMA
        or not isinstance(data.get("keys"), dict)
    ):
        return {}
    return data


def joined(home: str | os.PathLike[str] | None = None) -> Membership | None:
    """Return the room this participant joined, or ``None``.

    Parameters
    ----------
    home
        The participant folder; default :func:`kit.answers.default_home`.
    """
    data = _read_join(_join_file(home))
    code, keys = data.get("current"), data.get("keys", {})
    key = keys.get(code) if isinstance(code, str) else None
    if (
        not isinstance(key, str)
        or not re.fullmatch(r"[0-9a-f]{64}", key)
        or not _CODE_RE.match(code)
    ):
        return None
    return Membership(code, key)


def join(code: str, home: str | os.PathLike[str] | None = None, rooms: Rooms = None) -> Membership:
    """Join room ``code``: remember it and a random secret in the participant folder.

    Joining the same room again keeps the secret (so a share made earlier can still be
    replaced or withdrawn); secrets of earlier rooms are kept for the same reason.

    Raises
    ------
    RoomError
        When the code is not a room code or no such room is open in the rooms folder.
    OSError
        When the participant folder cannot be written.
    """
    code = normalize_code(code)
    if not room_exists(code, rooms):
        raise RoomClosedError(
            f"There is no open room {code}. Check the code with your facilitator."
        )
    path = _join_file(home)
    data = _read_join(path)
    keys = {
        k: v for k, v in data.get("keys", {}).items() if isinstance(k, str) and isinstance(v, str)
    }
    key = keys.get(code) or secrets.token_hex(32)
    keys[code] = key
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_text(
        path,
        json.dumps(
            {"schema": ROOM_SCHEMA, "current": code, "keys": keys}, indent=1, sort_keys=True
        ),
    )
    return Membership(code, key)


def share_token(membership: Membership, exercise: str) -> str:
    """Return the anonymous file name stem of ``membership``'s share of ``exercise``.

    A keyed hash of the room and the exercise: the same participant gets the same token for
    the same exercise (so sharing again replaces), different tokens for different exercises
    (so their shares cannot be linked), and nobody without the secret can compute it.
    """
    exercises.room_exercise(exercise)
    message = f"{membership.code}:{exercise}".encode("ascii")
    return hmac.new(bytes.fromhex(membership.key), message, hashlib.sha256).hexdigest()[:32]


def _share_path(membership: Membership, exercise: str, rooms: Rooms) -> Path:
    return room_dir(membership.code, rooms) / exercise / f"{share_token(membership, exercise)}.json"


# --------------------------------------------------------------------------- payloads
def build_payload(exercise: str, value: Mapping[str, Any] | None, content: Content) -> dict | None:
    """Return the share of ``exercise`` built from its saved ``value`` (``None``: nothing)."""
    builder = exercises.room_exercise(exercise).room_payload
    return None if value is None else builder(value, content)


def validate_share(exercise: str, data: Any) -> dict:
    """Check a share's ``data`` for ``exercise`` against its whitelist and return it.

    Raises
    ------
    ValueError
        When anything is off: unknown keys, wrong types, buckets, shares out of range; or
        when a room does not collect ``exercise``.
    """
    return exercises.room_exercise(exercise).check_share(data)


def share_document(exercise: str, data: Mapping[str, Any], synthetic: bool = False) -> str:
    """Return the exact text of the file a share of ``exercise`` writes (the preview)."""
    check = exercises.room_exercise(exercise).check_share
    return _shares.share_document(exercise, data, check, synthetic)


def saved_answers(store: AnswerStore | DemoStore, exercise: str) -> dict | None:
    """Read the saved answers of ``exercise`` through the participant store (never writes)."""
    exercises.room_exercise(exercise)
    return store.peek(exercise).value


# --------------------------------------------------------------------------- writing
def write_share(
    code: str,
    exercise: str,
    token: str,
    data: Mapping[str, Any],
    rooms: Rooms = None,
    *,
    synthetic: bool = False,
) -> Path:
    """Write the share of ``exercise`` named ``token`` into room ``code``; return its file.

    :func:`submit` names it from the participant's secret; ``room demo`` from its seed.

    Raises
    ------
    RoomClosedError
        When the room is not open.
    ValueError
        When ``data`` does not pass the exercise's whitelist (nothing is written).
    """
    text = share_document(exercise, data, synthetic)
    if len(text.encode("ascii")) > MAX_SHARE_BYTES:
        raise RoomError("This share is larger than a room accepts.")
    room = room_dir(code, rooms)
    if not (room / "room.json").is_file():
        raise RoomClosedError(f"The room {room.name} is closed; nothing was shared.")
    path = room / exercise / f"{token}.json"
    try:
        path.parent.mkdir(exist_ok=True)
        _write_text(path, text, shared=True)  # the facilitator's view reads every share
    except FileNotFoundError:  # the room was closed while we wrote
        raise RoomClosedError(f"The room {room.name} is closed; nothing was shared.") from None
    return path


def submit(
    membership: Membership, exercise: str, data: Mapping[str, Any], rooms: Rooms = None
) -> Path:
    """Share ``data`` (a payload) of ``exercise`` with the room, replacing an earlier share.

    Returns the share's file. The data is checked against the exercise's whitelist
    (:func:`validate_share`) before anything is written.

    Raises
    ------
    RoomClosedError
        When the room is not open.
    ValueError
        When ``data`` is not a valid payload.
    OSError
        When the room folder cannot be written.
    """
    token = share_token(membership, exercise)
    return write_share(membership.code, exercise, token, data, rooms)


def withdraw(membership: Membership, exercise: str, rooms: Rooms = None) -> bool:
    """Delete this participant's share of ``exercise``; return whether there was one."""
    try:
        _share_path(membership, exercise, rooms).unlink()
    except FileNotFoundError:
        return False
    return True


def has_shared(membership: Membership, exercise: str, rooms: Rooms = None) -> bool:
    """Return whether this participant's share of ``exercise`` is in the room."""
    return _share_path(membership, exercise, rooms).is_file()


def shared_document(membership: Membership, exercise: str, rooms: Rooms = None) -> str | None:
    """Return the text of this participant's share of ``exercise`` in the room, or ``None``.

    Compare it with :func:`share_document` of the current answers to tell whether the
    share in the room is up to date.
    """
    data = read_regular_file(_share_path(membership, exercise, rooms), MAX_SHARE_BYTES)
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


# --------------------------------------------------------------------------- closing
