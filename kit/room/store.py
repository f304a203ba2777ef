"""The room's folder: joining, writing and withdrawing shares.

Codes, folders, creating a room and its people rule live in :mod:`kit.room.folders`, whose
names this module re-exports, so ``store.create_room`` and ``store.normalize_code`` work as
before. A *room* is a folder under the rooms folder (``$WORKSHOP_KIT_ROOMS``, else a per-user data
folder), named by a short code such as ``K7RM4Q``. On a laptop it is a local folder; on a
network share or a JupyterHub shared volume it is the same path for everyone::

    rooms/K7RM4Q/room.json                 {"schema": 1, "code": "K7RM4Q", "min_people": 5}
    rooms/K7RM4Q/motivations/<token>.json  one file per participant and exercise
    rooms/K7RM4Q/allocation/<token>.json
    rooms/K7RM4Q/archetypes/<token>.json
    rooms/K7RM4Q/snapshots/<exercise>/     what the views show (:mod:`kit.room.snapshots`)
    rooms/K7RM4Q/joined/<token>            an empty mark per participant who joined
                                           (:mod:`kit.room.presence`)

What a share file holds is decided in :mod:`kit.room.shares`; which exercises a room collects,
and each one's payload, check and aggregate, in the registry :mod:`kit.exercises`.

The file name is a token: ``HMAC-SHA256(key, code:exercise)``, where ``key`` is a random
secret made with :mod:`secrets` when the participant joins, kept in ``room.json`` in their
own participant folder and never written to the room. So sharing again replaces the earlier
file, the participant can withdraw it, and nobody can link one person's card sort to their
week or questionnaire, or derive the token from a name or a machine. Shares carry no time,
and every share file's modification time is set to :data:`SHARE_MTIME` (a fixed date), so
that a listing of the folder does not show when each was shared. What the kit cannot set:
the change time (ctime) and inode number the file system gives each new file, the folder's
own modification time, and on a multi-user server the file's owner. Against those,
:mod:`kit.room.sharing` spreads one person's several shares over time, in a random order;
the facilitator guide's privacy page says what remains for each kind of deployment.

Clearing a participant's answers first withdraws their shares from every room they joined
(:func:`withdraw_everything`), so that a participant who clears and joins again is never
counted twice.

Writes are atomic (:func:`kit._files.write_atomic`), as the answers are written, so a reader
(:mod:`kit.room.reader`) sees a whole old file or a whole new one.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit import exercises
from kit.answers import default_home
from kit.room import presence
from kit.room import shares as _shares
from kit.room.folders import (
    _CODE_RE,
    CODE_ALPHABET,
    CODE_LENGTH,
    ENV_ROOMS,
    EXERCISES,
    RoomClosedError,
    RoomError,
    Rooms,
    _write_text,
    create_room,
    default_rooms,
    list_rooms,
    new_code,
    normalize_code,
    read_regular_file,
    room_dir,
    room_exists,
    room_rule,
)
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
    "PENDING_FILE",
    "SHARE_MTIME",
    "Membership",
    "RoomClosedError",
    "RoomError",
    "Rooms",
    "Withdrawal",
    "build_payload",
    "create_room",
    "default_rooms",
    "drop_pending",
    "has_shared",
    "join",
    "joined",
    "list_rooms",
    "memberships",
    "new_code",
    "normalize_code",
    "read_regular_file",
    "room_dir",
    "room_exists",
    "room_rule",
    "saved_answers",
    "share_document",
    "share_token",
    "shared_document",
    "shared_everywhere",
    "submit",
    "validate_share",
    "withdraw",
    "withdraw_everything",
    "write_share",
]

#: The participant-side file (in the participant folder) that remembers the room.
JOIN_FILE = "room.json"
#: The modification time of every share file (2000-01-01 00:00 UTC): never when it was shared.
SHARE_MTIME = 946_684_800
#: The participant-side file of shares waiting to be written (see :mod:`kit.room.sharing`).
PENDING_FILE = "room-pending.json"


def _write_share_file(path: Path, text: str) -> None:
    """Write a share atomically, readable by the room, dated :data:`SHARE_MTIME`.

    As :func:`kit._files.write_atomic` does, plus one step: the date is set on the finished
    temporary file before it is renamed into place, so the share never shows its real time.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".share.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # the facilitator's view reads every share
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("ascii"))
            fh.flush()
            os.fsync(fh.fileno())
        os.utime(tmp, (SHARE_MTIME, SHARE_MTIME))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    member = Membership(code, key)
    presence.mark_present(member, rooms)  # best-effort: never stops joining
    return member


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
        _write_share_file(path, text)
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
    written = write_share(membership.code, exercise, token, data, rooms)
    presence.mark_present(membership, rooms)  # again, in case joining could not leave it
    return written


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


# --------------------------------------------------------------------------- leaving
def memberships(home: str | os.PathLike[str] | None = None) -> tuple[Membership, ...]:
    """Return every room this participant joined (with its secret), current or earlier."""
    keys = _read_join(_join_file(home)).get("keys", {})
    return tuple(
        Membership(code, key)
        for code, key in sorted(keys.items())
        if isinstance(code, str)
        and _CODE_RE.match(code)
        and isinstance(key, str)
        and re.fullmatch(r"[0-9a-f]{64}", key)
    )


def shared_everywhere(
    home: str | os.PathLike[str] | None = None, rooms: Rooms = None
) -> tuple[tuple[str, str], ...]:
    """Return ``(code, exercise)`` of each share of this participant in an open room."""
    return tuple(
        (m.code, ex)
        for m in memberships(home)
        if room_exists(m.code, rooms)
        for ex in EXERCISES
        if has_shared(m, ex, rooms)
    )


@dataclass(frozen=True)
class Withdrawal:
    """What :func:`withdraw_everything` did.

    Attributes
    ----------
    withdrawn
        ``(code, exercise)`` of each share deleted.
    failed
        ``(code, exercise, reason)`` of each share still in its room.
    """

    withdrawn: tuple[tuple[str, str], ...] = ()
    failed: tuple[tuple[str, str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """Whether nothing of this participant's is left in an open room."""
        return not self.failed


def withdraw_everything(
    home: str | os.PathLike[str] | None = None, rooms: Rooms = None
) -> Withdrawal:
    """Withdraw this participant's shares from every open room they joined.

    Run before their answers are cleared: clearing takes away the secret that names their
    share files, and a participant who then joins again would be counted twice. Shares
    waiting to be written (see :mod:`kit.room.sharing`) are dropped first, so none lands
    after this. Closed rooms are passed over: their shares are archived or deleted.

    Returns
    -------
    What was withdrawn, and what could not be (with the reason), so the caller can stop
    before clearing and say what to do.
    """
    drop_pending(home)
    withdrawn, failed = [], []
    for member in memberships(home):
        if not room_exists(member.code, rooms):
            continue
        presence.unmark(member, rooms)  # the secret goes with the answers: count once
        for ex in EXERCISES:
            try:
                if withdraw(member, ex, rooms):
                    withdrawn.append((member.code, ex))
            except OSError as exc:
                failed.append((member.code, ex, exc.strerror or str(exc)))
    return Withdrawal(tuple(withdrawn), tuple(failed))


def drop_pending(home: str | os.PathLike[str] | None = None) -> None:
    """Forget every share waiting to be written for this participant (nothing is written)."""
    try:
        (Path(home if home is not None else default_home()) / PENDING_FILE).unlink()
    except FileNotFoundError:
        pass
