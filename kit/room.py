"""Anonymous room results: join, share, store, aggregate, and the ``room`` commands.

A *room* is a folder under the rooms folder (``$WORKSHOP_KIT_ROOMS``, else a per-user data
folder), named by a short code such as ``K7RM4Q``. On a laptop it is a local folder; on a
network share or a JupyterHub shared volume it is the same path for everyone::

    rooms/K7RM4Q/room.json                       {"schema": 1, "code": "K7RM4Q"}
    rooms/K7RM4Q/motivations/<token>.json        one file per participant and exercise
    rooms/K7RM4Q/allocation/<token>.json
    rooms/K7RM4Q/archetypes/<token>.json

What a share holds (nothing else is ever written; see the payload builders):

- card sort: ``{"cards": {card_id: bucket}}`` for the kit's own cards only. No own cards
  (free text), and no frequency: the room's questions ('how many put this under watch?')
  need the column only, and 'how often I skip my 1:1s' is a more personal admission that no
  room chart needs.
- week: ``{"current": {activity_id: share}, "ideal": {...}}``, shares of the week (0..1)
  for the kit's activities. No hours and no total: a 24-hour week would single out the one
  part-timer in the room, and shares compare fairly anyway.
- questionnaire: ``{"top": [first, second]}``, the two closest shapes (``[]`` when the
  answers show no lean). No statement-level answers and no scores: the room asks which
  shapes it leans to, and every extra number makes one person's file more distinctive.

Nothing is shared while there is nothing to say: no kit card sorted, a week still at the
even starting split, or a questionnaire result still provisional (fewer than half the
statements answered). Shares made by ``workshop-kit room demo`` are marked synthetic.

The file name is a token: ``HMAC-SHA256(key, code:exercise)``, where ``key`` is a random
secret made with :mod:`secrets` when the participant joins, kept in ``room.json`` in their
own participant folder and never written to the room. So sharing again replaces the earlier
file, the participant can withdraw it, and nobody can link one person's card sort to their
week or questionnaire, or derive the token from a name or a machine. Shares carry no time.
What the file system itself records cannot be avoided: every file has a modification
(and change) time, and on a multi-user server its owner's user id. The kit adds nothing on
top; close the room after the debrief (``workshop-kit room close``), and on a JupyterHub
shared volume let every user write as the same user id (Zero to JupyterHub's default).

Writes are atomic (temporary file in the same folder, fsync, ``os.replace``), as in
:mod:`kit.answers`, so a reader sees a whole old file or a whole new one. Files that are
malformed, too large, from another format version or not share files at all are skipped and
counted, never fatal. Aggregates are pure functions; a room shows nothing for an exercise
until :data:`MIN_PEOPLE` people have shared it.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import math
import os
import random
import re
import secrets
import shutil
import stat
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kit.answers import AnswerStore, DemoStore
    from kit.content import Content

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "ENV_ROOMS",
    "EXERCISES",
    "MAX_SHARE_BYTES",
    "MIN_PEOPLE",
    "ROOM_SCHEMA",
    "ActivitySpread",
    "CardTally",
    "CardsPicture",
    "ExercisePicture",
    "Membership",
    "RoomClosedError",
    "RoomError",
    "RoomPicture",
    "RoomReader",
    "ShapesPicture",
    "Shares",
    "Spread",
    "WeekPicture",
    "add_commands",
    "aggregate",
    "aggregate_cards",
    "aggregate_shapes",
    "aggregate_week",
    "allocation_payload",
    "archetypes_payload",
    "build_payload",
    "close_room",
    "create_room",
    "default_rooms",
    "fill_demo",
    "has_shared",
    "join",
    "joined",
    "list_rooms",
    "load_shares",
    "motivations_payload",
    "new_code",
    "normalize_code",
    "picture_text",
    "room_dir",
    "room_exists",
    "room_picture",
    "saved_answers",
    "share_document",
    "share_token",
    "shared_document",
    "submit",
    "summary_text",
    "synthetic_answers",
    "validate_share",
    "withdraw",
]

ENV_ROOMS = "WORKSHOP_KIT_ROOMS"
#: Version of the room's files; files of another version are skipped and counted.
ROOM_SCHEMA = 1
#: Codes use letters and digits that cannot be mistaken for one another (no 0/O, no 1/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: No aggregate of an exercise is shown until this many people have shared it.
MIN_PEOPLE = 3
#: A share is about 1 KB; anything far larger is not a share.
MAX_SHARE_BYTES = 32_768
#: Most entries a share may hold per map (a generous custom deck).
MAX_ENTRIES = 500
#: The exercises a room collects (commitments are never shared).
EXERCISES = ("motivations", "allocation", "archetypes")
#: The participant-side file (in the participant folder) that remembers the room.
JOIN_FILE = "room.json"
ARCHIVE_FOLDER = "archive"

_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}\.json$")
_BUCKETS = frozenset(("healthy", "watch", "not_me"))
_SHARE_DECIMALS = 4
_SUM_TOLERANCE = 0.02
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


_WHAT = {"motivations": "card sort", "allocation": "week", "archetypes": "questionnaire"}


def _t(key: str, **values: Any) -> str:
    """A room word from ``ui.yaml`` (a facilitator's own with ``$WORKSHOP_KIT_CONTENT``)."""
    from kit.content import load_content

    return load_content().text(key, **values)


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
    import platformdirs

    return Path(platformdirs.user_data_dir("leadership-workshop-kit", appauthor=False)) / "rooms"


def _rooms(rooms: str | os.PathLike[str] | None) -> Path:
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


def room_dir(code: str, rooms: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder of room ``code``."""
    return _rooms(rooms) / normalize_code(code)


def room_exists(code: str, rooms: str | os.PathLike[str] | None = None) -> bool:
    """Return whether room ``code`` is open in the rooms folder."""
    return (room_dir(code, rooms) / "room.json").is_file()


def list_rooms(rooms: str | os.PathLike[str] | None = None) -> tuple[str, ...]:
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


def _write_atomic(path: Path, text: str, *, shared: bool = False) -> None:
    """Write ``text`` to ``path`` atomically, as the answers files are written."""
    from kit._files import write_atomic

    write_atomic(path, text.encode("utf-8"), shared=shared)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def create_room(
    rooms: str | os.PathLike[str] | None = None,
    code: str | None = None,
    rng: random.Random | None = None,
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
        _write_atomic(
            target / "room.json", _dumps({"schema": ROOM_SCHEMA, "code": chosen}), shared=True
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
    if home is None:
        from kit.answers import default_home

        home = default_home()
    return Path(home) / JOIN_FILE


def _read_join(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
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


def join(
    code: str,
    home: str | os.PathLike[str] | None = None,
    rooms: str | os.PathLike[str] | None = None,
) -> Membership:
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
    _write_atomic(
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
    _check_exercise(exercise)
    message = f"{membership.code}:{exercise}".encode("ascii")
    return hmac.new(bytes.fromhex(membership.key), message, hashlib.sha256).hexdigest()[:32]


def _check_exercise(exercise: str) -> None:
    if exercise not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise!r}; a room collects {', '.join(EXERCISES)}")


def _share_path(
    membership: Membership, exercise: str, rooms: str | os.PathLike[str] | None
) -> Path:
    return room_dir(membership.code, rooms) / exercise / f"{share_token(membership, exercise)}.json"


# --------------------------------------------------------------------------- payloads
def motivations_payload(value: Mapping[str, Any], content: Content) -> dict | None:
    """Return what a card sort shares: the column of each of the kit's cards, or ``None``.

    Only content card ids and their bucket pass; own cards, their text and every
    frequency stay behind. ``None`` when no kit card is sorted.
    """
    from kit import motivations

    checked = motivations.validate(value)
    known = [c.id for c in content.cards]
    cards = {cid: checked["cards"][cid]["bucket"] for cid in known if cid in checked["cards"]}
    return {"cards": cards} if cards else None


def allocation_payload(value: Mapping[str, Any], content: Content) -> dict | None:
    """Return what a week shares: each known activity's share of each week, or ``None``.

    Shares (0..1, four decimals) over the kit's activities only; no hours and no total.
    ``None`` while both weeks are still the untouched even split.
    """
    from kit import allocation

    checked = allocation.validate(value)
    known, _ = allocation.split_known(checked, content)
    untouched = allocation.empty(content, known["total"])
    if known["current"] == untouched["current"] and known["ideal"] == untouched["ideal"]:
        return None
    out = {}
    for week in allocation.WEEKS:
        hours = known[week]
        total = sum(hours.values())
        out[week] = {
            a.id: round(hours.get(a.id, 0.0) / total, _SHARE_DECIMALS) for a in content.activities
        }
    return out


def archetypes_payload(value: Mapping[str, Any], content: Content) -> dict | None:
    """Return what the questionnaire shares: the two closest shapes (role ids), or ``None``.

    ``{"top": []}`` when the answers show no lean. ``None`` while the result is still
    provisional (fewer than half the statements answered), so that a handful of answers
    does not count as a shape in the room.
    """
    from kit import archetypes

    result = archetypes.score_answers(archetypes.validate(value), content)
    if result.status == "no_answers" or result.provisional:
        return None
    return {"top": list(result.top) if result.status == "lean" else []}


_BUILDERS = {
    "motivations": motivations_payload,
    "allocation": allocation_payload,
    "archetypes": archetypes_payload,
}


def build_payload(exercise: str, value: Mapping[str, Any] | None, content: Content) -> dict | None:
    """Return the share of ``exercise`` built from its saved ``value`` (``None``: nothing)."""
    _check_exercise(exercise)
    if value is None:
        return None
    return _BUILDERS[exercise](value, content)


def saved_answers(store: AnswerStore | DemoStore, exercise: str) -> dict | None:
    """Read the saved answers of ``exercise`` through the participant store (never writes)."""
    _check_exercise(exercise)
    return store.load(exercise).value


# --------------------------------------------------------------------------- validation
_NUMBER_TYPES = frozenset((int, float))


def _check_map(data: Any, name: str) -> dict:
    if not isinstance(data, dict) or len(data) > MAX_ENTRIES:
        raise ValueError(f"'{name}' must be a map of at most {MAX_ENTRIES} entries")
    return data


def validate_share(exercise: str, data: Any) -> dict:
    """Check a share's ``data`` for ``exercise`` and return it; no other field may appear.

    Keys of a JSON object are always strings; the values are checked in bulk (set and
    min/max operations), because a room view validates thousands of files per refresh.

    Raises
    ------
    ValueError
        When anything is off: unknown keys, wrong types, buckets, shares out of range.
    """
    if not isinstance(data, dict):
        raise ValueError("the data must be a map")
    if exercise == "motivations":
        if data.keys() != {"cards"}:
            raise ValueError("a card sort share holds 'cards' only")
        cards = _check_map(data["cards"], "cards")
        try:  # JSON keys are strings; every value must be one of the three columns
            ok = _BUCKETS.issuperset(cards.values())
        except TypeError:  # an unhashable value (a map or a list)
            ok = False
        if not ok:
            raise ValueError("'cards' must map card ids to healthy, watch or not_me")
    elif exercise == "allocation":
        if data.keys() != {"current", "ideal"}:
            raise ValueError("a week share holds 'current' and 'ideal' only")
        for week in ("current", "ideal"):
            values = _check_map(data[week], week).values()
            if (
                not values
                or not _NUMBER_TYPES.issuperset(map(type, values))
                or min(values) < 0
                or max(values) > 1
            ):
                raise ValueError(f"'{week}': shares must be numbers from 0 to 1")
            if not abs(math.fsum(values) - 1.0) <= _SUM_TOLERANCE:  # False for NaN too
                raise ValueError(f"'{week}': shares must add up to 1")
    elif exercise == "archetypes":
        if data.keys() != {"top"}:
            raise ValueError("a questionnaire share holds 'top' only")
        top = data["top"]
        if (
            not isinstance(top, list)
            or len(top) not in (0, 2)
            or not all(type(r) is str for r in top)
            or len(set(top)) != len(top)
        ):
            raise ValueError("'top' must list the two closest shapes, or none")
    else:
        _check_exercise(exercise)
    return data


_DOC_KEYS = frozenset(("schema", "exercise", "data", "synthetic"))


def _parse(raw: bytes, exercise: str) -> tuple[str, dict | None, bool]:
    """Return (outcome, data, synthetic); outcome is 'ok' or why the file was skipped."""
    if len(raw) > MAX_SHARE_BYTES:
        return "oversized", None, False
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError:  # also UnicodeDecodeError
        return "malformed", None, False
    if type(doc) is not dict:
        return "malformed", None, False
    if doc.get("schema") != ROOM_SCHEMA:
        return "other_version", None, False
    if doc.get("exercise") != exercise or not _DOC_KEYS.issuperset(doc):
        return "malformed", None, False
    synthetic = doc.get("synthetic", False)
    if type(synthetic) is not bool:
        return "malformed", None, False
    try:
        return "ok", validate_share(exercise, doc.get("data")), synthetic
    except (ValueError, TypeError):  # TypeError: belt and braces, a view never crashes
        return "malformed", None, False


# --------------------------------------------------------------------------- sharing
def share_document(exercise: str, data: Mapping[str, Any], synthetic: bool = False) -> str:
    """Return the exact text of the file a share writes (what the preview shows)."""
    doc: dict[str, Any] = {
        "schema": ROOM_SCHEMA,
        "exercise": exercise,
        "data": validate_share(exercise, json.loads(_dumps(data))),
    }
    if synthetic:
        doc["synthetic"] = True
    return _dumps(doc)


def _write_share(
    folder: Path, token: str, exercise: str, data: Mapping[str, Any], synthetic: bool
) -> Path:
    text = share_document(exercise, data, synthetic)
    if len(text.encode("ascii")) > MAX_SHARE_BYTES:
        raise RoomError("This share is larger than a room accepts.")
    if not (folder.parent / "room.json").is_file():
        raise RoomClosedError(f"The room {folder.parent.name} is closed; nothing was shared.")
    path = folder / f"{token}.json"
    try:
        folder.mkdir(exist_ok=True)
        _write_atomic(path, text, shared=True)  # the facilitator's view reads every share
    except FileNotFoundError:  # the room was closed while we wrote
        raise RoomClosedError(
            f"The room {folder.parent.name} is closed; nothing was shared."
        ) from None
    return path


def submit(
    membership: Membership,
    exercise: str,
    data: Mapping[str, Any],
    rooms: str | os.PathLike[str] | None = None,
) -> Path:
    """Share ``data`` (a payload) of ``exercise`` with the room, replacing an earlier share.

    Returns the share's file. The data is validated against the whitelist of
    :func:`validate_share` before anything is written.

    Raises
    ------
    RoomClosedError
        When the room is not open.
    ValueError
        When ``data`` is not a valid payload.
    OSError
        When the room folder cannot be written.
    """
    path = _share_path(membership, exercise, rooms)
    return _write_share(path.parent, path.stem, exercise, data, synthetic=False)


def withdraw(
    membership: Membership, exercise: str, rooms: str | os.PathLike[str] | None = None
) -> bool:
    """Delete this participant's share of ``exercise``; return whether there was one."""
    path = _share_path(membership, exercise, rooms)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def has_shared(
    membership: Membership, exercise: str, rooms: str | os.PathLike[str] | None = None
) -> bool:
    """Return whether this participant's share of ``exercise`` is in the room."""
    return _share_path(membership, exercise, rooms).is_file()


def shared_document(
    membership: Membership, exercise: str, rooms: str | os.PathLike[str] | None = None
) -> str | None:
    """Return the text of this participant's share of ``exercise`` in the room, or ``None``.

    Compare it with :func:`share_document` of the current answers to tell whether the
    share in the room is up to date.
    """
    try:
        return _share_path(membership, exercise, rooms).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# --------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class Shares:
    """The readable shares of one exercise, and what was skipped.

    Attributes
    ----------
    exercise
        The exercise.
    items
        Each share's data, in file-name order (which says nothing about who or when).
    synthetic
        How many of them ``room demo`` made.
    skipped
        Reason -> files skipped: ``malformed``, ``oversized``, ``other_version``,
        ``stray`` (not a share file), ``unreadable``.
    """

    exercise: str
    items: tuple[Mapping[str, Any], ...] = ()
    synthetic: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many shares were read."""
        return len(self.items)


class RoomReader:
    """Read a room's shares, re-reading only files that changed since the last read.

    The first read opens every file. A refresh lists the folder and ``stat``s each file,
    and opens only new or replaced ones (a replaced share has a new inode, size or
    modification time, since :func:`submit` writes a new file and renames it). When the
    folder itself has not changed since a listing made well after its last change, the
    refresh costs one ``stat`` of the folder. A full listing is made at least every
    :attr:`FULL_SCAN_SECONDS` all the same, so a file edited in place by hand (which does
    not change the folder) is seen within that time.

    Parameters
    ----------
    code
        The room.
    rooms
        The rooms folder; default :func:`default_rooms`.
    """

    #: A folder modified less than this long before it was listed may change again
    #: within the same timestamp tick (or a network server's clock), so it is not trusted.
    RACY_SECONDS = 2.0
    FULL_SCAN_SECONDS = 30.0

    def __init__(self, code: str, rooms: str | os.PathLike[str] | None = None):
        self.code = normalize_code(code)
        self.folder = _rooms(rooms) / self.code
        self._cache: dict[str, dict[str, tuple[tuple, str, Any, bool]]] = {e: {} for e in EXERCISES}
        self._listed: dict[str, tuple[tuple, float, bool, Shares]] = {}
        self._pictures: dict[str, tuple[Shares, Content, Any]] = {}

    def exists(self) -> bool:
        """Return whether the room is open."""
        return (self.folder / "room.json").is_file()

    def read(self, exercise: str) -> Shares:
        """Return the shares of ``exercise`` as they are now."""
        _check_exercise(exercise)
        folder = self.folder / exercise
        now = time.time()
        try:
            st = os.stat(folder)
            folder_key = (st.st_ino, st.st_mtime_ns)
        except OSError:
            folder_key = None
        listed = self._listed.get(exercise)
        if (
            folder_key is not None
            and listed is not None
            and listed[0] == folder_key
            and listed[2]
            and now - listed[1] < self.FULL_SCAN_SECONDS
        ):
            return listed[3]
        shares = self._scan(exercise, folder)
        if folder_key is not None:
            trusted = now - folder_key[1] / 1e9 > self.RACY_SECONDS
            self._listed[exercise] = (folder_key, now, trusted, shares)
        return shares

    def _scan(self, exercise: str, folder: Path) -> Shares:
        old = self._cache[exercise]
        new: dict[str, tuple[tuple, str, Any, bool]] = {}
        skipped: dict[str, int] = {}
        try:
            entries = list(os.scandir(folder))
        except OSError:
            entries = []
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue  # a share being written (temporary file): not there yet
            if not _TOKEN_RE.match(name):
                skipped["stray"] = skipped.get("stray", 0) + 1
                continue
            hit = old.get(name)
            try:
                if hit is not None:
                    st = entry.stat(follow_symlinks=False)
                    if hit[0] == (st.st_ino, st.st_mtime_ns, st.st_size):
                        new[name] = hit
                        continue
                fd = os.open(entry.path, _OPEN_FLAGS)
                try:
                    st = os.fstat(fd)  # the file actually read
                    key = (st.st_ino, st.st_mtime_ns, st.st_size)
                    if not stat.S_ISREG(st.st_mode):
                        new[name] = (key, "stray", None, False)
                        continue
                    if st.st_size > MAX_SHARE_BYTES:
                        new[name] = (key, "oversized", None, False)
                        continue
                    raw = os.read(fd, MAX_SHARE_BYTES + 1)
                finally:
                    os.close(fd)
            except FileNotFoundError:
                continue  # withdrawn between the listing and the read
            except OSError:
                skipped["unreadable"] = skipped.get("unreadable", 0) + 1
                continue
            outcome, data, synthetic = _parse(raw, exercise)
            new[name] = (key, outcome, data, synthetic)
        self._cache[exercise] = new
        items, synthetic_n = [], 0
        for name in sorted(new):
            _, outcome, data, synthetic = new[name]
            if outcome == "ok":
                items.append(data)
                synthetic_n += synthetic
            else:
                skipped[outcome] = skipped.get(outcome, 0) + 1
        shares = Shares(exercise, tuple(items), synthetic_n, dict(sorted(skipped.items())))
        previous = self._listed.get(exercise)
        if previous is not None and previous[3] == shares:
            return previous[3]  # the same object: callers can tell nothing changed
        return shares

    def aggregate(self, exercise: str, shares: Shares, content: Content) -> Any:
        """Return :func:`aggregate` of ``shares``, reusing the last result when unchanged."""
        last = self._pictures.get(exercise)
        if last is not None and last[0] is shares and last[1] is content:
            return last[2]
        picture = aggregate(exercise, shares.items, content)
        self._pictures[exercise] = (shares, content, picture)
        return picture


def load_shares(code: str, exercise: str, rooms: str | os.PathLike[str] | None = None) -> Shares:
    """Return the shares of ``exercise`` in room ``code`` (a one-off read)."""
    return RoomReader(code, rooms).read(exercise)


# --------------------------------------------------------------------------- aggregates
@dataclass(frozen=True)
class CardTally:
    """How the room sorted one card: people per column."""

    card_id: str
    healthy: int
    watch: int
    not_me: int

    @property
    def people(self) -> int:
        """How many people sorted this card."""
        return self.healthy + self.watch + self.not_me


@dataclass(frozen=True)
class CardsPicture:
    """The room's card sort: one tally per kit card, in content order."""

    people: int
    cards: tuple[CardTally, ...]


@dataclass(frozen=True)
class Spread:
    """Mean and quartiles of shares (0..1). No minimum or maximum: they are one person."""

    mean: float
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class ActivitySpread:
    """One activity's share of the week the room had and the week it wants."""

    activity_id: str
    current: Spread
    ideal: Spread


@dataclass(frozen=True)
class WeekPicture:
    """The room's week: one entry per kit activity, in content order."""

    people: int
    activities: tuple[ActivitySpread, ...]


@dataclass(frozen=True)
class ShapesPicture:
    """Which shapes the room leans to, per scored role in content order."""

    people: int
    first: Mapping[str, int]
    top_two: Mapping[str, int]
    no_lean: int


def aggregate_cards(items: Iterable[Mapping[str, Any]], content: Content) -> CardsPicture:
    """Count, card by card, how many people put it in each column (kit cards only)."""
    ids = [c.id for c in content.cards]
    items = list(items)
    # Counting (card, column) pairs in one Counter runs in C; ids outside the content
    # are counted and then simply never looked up.
    pairs = Counter(itertools.chain.from_iterable(i["cards"].items() for i in items))
    return CardsPicture(
        len(items),
        tuple(
            CardTally(cid, pairs[(cid, "healthy")], pairs[(cid, "watch")], pairs[(cid, "not_me")])
            for cid in ids
        ),
    )


def _quantile(ordered: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (``statistics`` 'inclusive' method)."""
    pos = p * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _spread(values: list[float]) -> Spread:
    if not values:
        return Spread(0.0, 0.0, 0.0, 0.0)
    values.sort()
    return Spread(
        math.fsum(values) / len(values),
        _quantile(values, 0.25),
        _quantile(values, 0.5),
        _quantile(values, 0.75),
    )


def aggregate_week(items: Iterable[Mapping[str, Any]], content: Content) -> WeekPicture:
    """Mean and quartiles of each kit activity's share, the week had vs the week wanted.

    A share that lacks an activity (older content) counts it as 0 of the week.
    """
    ids = [a.id for a in content.activities]
    weeks = {w: [i[w] for i in items] for w in ("current", "ideal")}
    people = len(weeks["current"])
    return WeekPicture(
        people,
        tuple(
            ActivitySpread(
                aid, *(_spread([s.get(aid, 0.0) for s in weeks[w]]) for w in ("current", "ideal"))
            )
            for aid in ids
        ),
    )


def aggregate_shapes(items: Iterable[Mapping[str, Any]], content: Content) -> ShapesPicture:
    """Count each scored shape as closest, and among the two closest; and no lean."""
    ids = [r.id for r in content.scored_roles]
    first = dict.fromkeys(ids, 0)
    top_two = dict.fromkeys(ids, 0)
    people = no_lean = 0
    for item in items:
        people += 1
        top = item["top"]
        if not top:
            no_lean += 1
            continue
        if top[0] in first:
            first[top[0]] += 1
        for rid in top:
            if rid in top_two:
                top_two[rid] += 1
    return ShapesPicture(people, first, top_two, no_lean)


_AGGREGATORS = {
    "motivations": aggregate_cards,
    "allocation": aggregate_week,
    "archetypes": aggregate_shapes,
}


def aggregate(
    exercise: str, items: Iterable[Mapping[str, Any]], content: Content
) -> CardsPicture | WeekPicture | ShapesPicture:
    """Return the room picture of ``exercise`` from its shares' data."""
    _check_exercise(exercise)
    return _AGGREGATORS[exercise](items, content)


@dataclass(frozen=True)
class ExercisePicture:
    """One exercise of the room: counts, and the picture once enough people shared.

    ``picture`` is ``None`` until ``shared >= MIN_PEOPLE``: nothing about the shares is
    exposed before that, not even through the picture object.
    """

    exercise: str
    shared: int
    synthetic: int
    skipped: Mapping[str, int]
    picture: CardsPicture | WeekPicture | ShapesPicture | None

    @property
    def ready(self) -> bool:
        """Whether enough people shared to show the picture."""
        return self.picture is not None


@dataclass(frozen=True)
class RoomPicture:
    """The whole room as the facilitator sees it."""

    code: str
    open: bool
    exercises: Mapping[str, ExercisePicture]


def room_picture(
    code: str,
    content: Content,
    rooms: str | os.PathLike[str] | None = None,
    reader: RoomReader | None = None,
) -> RoomPicture:
    """Read and aggregate room ``code`` (pass a :class:`RoomReader` to refresh cheaply)."""
    reader = reader if reader is not None else RoomReader(code, rooms)
    out = {}
    for exercise in EXERCISES:
        shares = reader.read(exercise)
        picture = (
            reader.aggregate(exercise, shares, content) if shares.count >= MIN_PEOPLE else None
        )
        out[exercise] = ExercisePicture(
            exercise, shares.count, shares.synthetic, shares.skipped, picture
        )
    return RoomPicture(reader.code, reader.exists(), out)


# --------------------------------------------------------------------------- words
def _pct(share: float) -> int:
    return round(100 * share)


def _cards_text(p: CardsPicture, content: Content) -> str:
    cards = content.by_id["cards"]
    t = content.text
    lines = [_t("room_cards_people", people=p.people)]
    for bucket, key in (("watch", "room_cards_watch"), ("healthy", "room_cards_healthy")):
        ranked = sorted(
            (c for c in p.cards if getattr(c, bucket)), key=lambda c: -getattr(c, bucket) / c.people
        )[:3]
        if ranked:
            items = ", ".join(
                f"'{cards[c.card_id].text}' ({getattr(c, bucket)} of {c.people})" for c in ranked
            )
            lines.append(_t(key, **{bucket: t(f"bucket_{bucket}"), "items": items}))
    split = [c for c in p.cards if c.healthy and c.watch]
    if split:
        c = max(split, key=lambda c: (min(c.healthy, c.watch) / c.people, c.people))
        lines.append(
            _t(
                "room_cards_split",
                card=cards[c.card_id].text,
                healthy_n=c.healthy,
                watch_n=c.watch,
                healthy=t("bucket_healthy").lower(),
                watch=t("bucket_watch").lower(),
            )
        )
    return " ".join(lines)


def _week_text(p: WeekPicture, content: Content) -> str:
    acts = content.by_id["activities"]
    lines = [_t("room_week_people", people=p.people)]
    gaps = sorted(
        ((a.ideal.mean - a.current.mean, a.activity_id) for a in p.activities),
        key=lambda g: (-g[0], g[1]),
    )
    more = [(g, aid) for g, aid in gaps if _pct(g) >= 1][:3]
    less = [(g, aid) for g, aid in reversed(gaps) if _pct(g) <= -1][:3]

    def fmt(pairs: list[tuple[float, str]]) -> str:
        return ", ".join(
            f"{acts[aid].label.lower()} ({'+' if g > 0 else '−'}{abs(_pct(g))} points)"
            for g, aid in pairs
        )

    if more and less:
        lines.append(_t("room_week_more_less", more=fmt(more), less=fmt(less)))
    elif more:
        lines.append(_t("room_week_more", more=fmt(more)))
    elif less:
        lines.append(_t("room_week_less", less=fmt(less)))
    else:
        lines.append(_t("room_week_same"))
    hands_on = [a for a in p.activities if "hands_on" in acts[a.activity_id].tags]
    if hands_on:
        lines.append(
            _t(
                "room_week_hands_on",
                current=_pct(sum(a.current.mean for a in hands_on)),
                ideal=_pct(sum(a.ideal.mean for a in hands_on)),
            )
        )
    return " ".join(lines)


def _shapes_text(p: ShapesPicture, content: Content) -> str:
    roles = content.by_id["roles"]
    lines = [_t("room_shapes_people", people=p.people)]
    for counts, key in ((p.first, "room_shapes_first"), (p.top_two, "room_shapes_top_two")):
        ranked = sorted(((n, rid) for rid, n in counts.items() if n), key=lambda x: -x[0])[:3]
        if ranked:
            lines.append(_t(key, items=", ".join(f"{roles[rid].label} ({n})" for n, rid in ranked)))
    if p.no_lean:
        lines.append(_t("room_shapes_no_lean", n=p.no_lean))
    return " ".join(lines)


def summary_text(picture: CardsPicture | WeekPicture | ShapesPicture, content: Content) -> str:
    """Return the text that goes beside a room chart: a few plain sentences."""
    if isinstance(picture, CardsPicture):
        return _cards_text(picture, content)
    if isinstance(picture, WeekPicture):
        return _week_text(picture, content)
    return _shapes_text(picture, content)


def picture_text(ex: ExercisePicture, content: Content) -> str:
    """Return the summary of one exercise, or the 'not enough people yet' sentence."""
    if ex.picture is None:
        return _t("room_waiting", shared=ex.shared, needed=MIN_PEOPLE, what=_WHAT[ex.exercise])
    return summary_text(ex.picture, content)


# --------------------------------------------------------------------------- demo
def _weights_week(
    rng: random.Random,
    base: Mapping[str, float],
    ids: Sequence[str],
    total: float,
    tilt: Mapping[str, float],
) -> dict[str, float]:
    from kit import allocation

    units = {}
    for aid in ids:
        steps = base.get(aid, 1 / len(ids)) * total / allocation.STEP
        w = steps * tilt.get(aid, 1.0) * rng.lognormvariate(0, 0.35)
        units[aid] = max(0, round(w)) * allocation.STEP
    if not any(units.values()):
        units = dict.fromkeys(ids, allocation.STEP)
    return allocation.rescale(units, total)


def synthetic_answers(rng: random.Random, content: Content) -> dict[str, dict]:
    """Return plausible answers of one synthetic participant for every shared exercise.

    The card sort leans to the key with some disagreement; the week they had leans to
    hands-on work and interruptions, the week they want to a randomly chosen role's
    profile; the questionnaire answers follow a randomly chosen role's weights, with noise.
    """
    from kit import allocation

    cards = {}
    for card in content.cards:
        r = rng.random()
        if r < 0.03:
            continue  # a few cards left unsorted
        other = "watch" if card.reading == "healthy" else "healthy"
        bucket = "not_me" if r < 0.25 else (card.reading if r < 0.78 else other)
        cards[card.id] = {
            "bucket": bucket,
            "frequency": None
            if bucket == "not_me"
            else rng.choice(("rarely", "sometimes", "often")),
        }
    ids = [a.id for a in content.activities]
    total = rng.choice((32, 36, 40, 40, 40, 45))
    senior = content.by_id["roles"].get("senior_ic") or content.roles[0]
    busy = {a.id: 1.3 for a in content.activities if "hands_on" in a.tags}
    busy.update({"interruptions": 1.8})
    wanted = rng.choice(content.scored_roles) if content.scored_roles else senior
    value_week = {
        "total": total,
        "current": _weights_week(rng, senior.week.shares(), ids, total, busy),
        "ideal": _weights_week(rng, wanted.week.shares(), ids, total, {}),
    }
    allocation.validate(value_week)
    shape = rng.choice(content.scored_roles) if content.scored_roles else None
    answers = {}
    for s in content.statements:
        if rng.random() < 0.08:
            continue  # 'prefer not to say'
        w = s.weights.get(shape.id, 0) if shape is not None else 0
        answers[s.id] = max(1, min(5, round(3 + 0.8 * w + rng.gauss(0, 0.9))))
    return {
        "motivations": {"cards": cards, "own": []},
        "allocation": value_week,
        "archetypes": answers,
    }


def fill_demo(
    code: str,
    people: int,
    content: Content,
    rooms: str | os.PathLike[str] | None = None,
    seed: int = 1,
) -> int:
    """Fill room ``code`` with ``people`` synthetic participants; return the shares written.

    The same seed gives the same people (and the same file names), so running it twice
    replaces them instead of doubling them; a new seed adds others. The room is created
    when it does not exist. Synthetic shares are marked so the room view can say so.
    """
    code = normalize_code(code)
    if people < 0:
        raise ValueError("the number of people cannot be negative")
    if not room_exists(code, rooms):
        create_room(rooms, code)
    rng = random.Random(seed)
    folder = room_dir(code, rooms)
    written = 0
    for _ in range(people):
        answers = synthetic_answers(rng, content)
        for exercise in EXERCISES:
            token = f"{rng.getrandbits(128):032x}"
            data = build_payload(exercise, answers[exercise], content)
            if data is not None:
                _write_share(folder / exercise, token, exercise, data, synthetic=True)
                written += 1
    return written


# --------------------------------------------------------------------------- closing
def close_room(
    code: str,
    rooms: str | os.PathLike[str] | None = None,
    *,
    delete: bool = False,
    archive_dir: str | os.PathLike[str] | None = None,
    today: str | None = None,
) -> Path | None:
    """Close room ``code``: archive it to a dated zip and remove it, or only delete it.

    The room is first renamed out of the way, so that no share lands in it while it is
    archived. Files in the zip carry a fixed date, not the time each was shared.

    Parameters
    ----------
    delete
        Delete without keeping an archive.
    archive_dir
        Where the zip goes; default ``<rooms>/archive``.
    today
        The date in the archive's name (``YYYY-MM-DD``); default: today.

    Returns
    -------
    The archive, or ``None`` when deleted.

    Raises
    ------
    RoomClosedError
        When there is no such open room.
    """
    folder = room_dir(code, rooms)
    code = folder.name
    if not (folder / "room.json").is_file():
        raise RoomClosedError(f"There is no open room {code} in {folder.parent}.")
    closing = folder.with_name(f".closing-{code}-{secrets.token_hex(4)}")
    os.replace(folder, closing)
    try:
        if delete:
            return None
        target_dir = (
            Path(archive_dir) if archive_dir is not None else folder.parent / ARCHIVE_FOLDER
        )
        target_dir.mkdir(parents=True, exist_ok=True)
        stem = f"room-{code}-{today or time.strftime('%Y-%m-%d')}"
        target, n = target_dir / f"{stem}.zip", 1
        while target.exists():
            n += 1
            target = target_dir / f"{stem}-{n}.zip"
        tmp = target.with_name(f".{target.name}.tmp")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(closing.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    info = zipfile.ZipInfo(
                        f"{code}/{path.relative_to(closing).as_posix()}",
                        date_time=(1980, 1, 1, 0, 0, 0),
                    )
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
        os.replace(tmp, target)
        return target
    finally:
        shutil.rmtree(closing, ignore_errors=True)


# --------------------------------------------------------------------------- commands
def _cmd_create(args: argparse.Namespace) -> int:
    code = create_room(args.rooms)
    print(code)
    print(
        f"Room {code} is open in {_rooms(args.rooms)}. Participants type {code} once to "
        f"join; show it with: workshop-kit room show {code}",
        file=sys.stderr,
    )
    return 0


def _print_picture(picture: RoomPicture, content: Content) -> None:
    print(f"Room {picture.code}")
    for ex in picture.exercises.values():
        synth = f", {ex.synthetic} synthetic" if ex.synthetic else ""
        print(f"\n{_WHAT[ex.exercise].capitalize()}: {ex.shared} shared{synth}")
        print(f"  {picture_text(ex, content)}")
        if ex.skipped:
            what = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in ex.skipped.items())
            print(f"  Skipped {sum(ex.skipped.values())} file(s): {what}.")


def _export(picture: RoomPicture, content: Content, folder: Path) -> list[Path]:
    from kit.charts.room import export_charts

    return export_charts(picture, content, folder)


def _cmd_show(args: argparse.Namespace) -> int:
    from kit.content import load_content

    content = load_content()
    try:
        reader = RoomReader(args.code, args.rooms)
    except RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not reader.exists():
        print(f"There is no open room {reader.code} in {reader.folder.parent}.", file=sys.stderr)
        return 1
    rounds, last = 0, None
    try:
        while True:
            picture = room_picture(reader.code, content, reader=reader)
            if picture != last:
                if last is not None:
                    print("\n" + "-" * 60)
                _print_picture(picture, content)
                if args.export:
                    written = _export(picture, content, Path(args.export))
                    if written:
                        print(
                            f"\nCharts saved in {Path(args.export)}: "
                            + ", ".join(p.name for p in written)
                        )
                last = picture
            rounds += 1
            if args.watch is None or (args.rounds and rounds >= args.rounds) or not picture.open:
                break
            time.sleep(args.watch)
    except KeyboardInterrupt:
        print()
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from kit.content import load_content

    try:
        written = fill_demo(args.code, args.people, load_content(), args.rooms, args.seed)
    except (RoomError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    code = normalize_code(args.code)
    print(
        f"Room {code}: {args.people} synthetic participants shared ({written} files). "
        f"See it with: workshop-kit room show {code}"
    )
    return 0


def _cmd_close(args: argparse.Namespace) -> int:
    try:
        code = normalize_code(args.code)
        if not room_exists(code, args.rooms):
            print(f"There is no open room {code} in {_rooms(args.rooms)}.", file=sys.stderr)
            return 1
    except RoomError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.delete and not args.yes:
        print(f"This deletes room {code} and every share in it, with no archive.")
        if not sys.stdin or not sys.stdin.isatty():
            print(
                "Not deleted: add --yes to confirm when running without a terminal.",
                file=sys.stderr,
            )
            return 1
        if input("Delete it? Type 'yes' to confirm: ").strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    archive = close_room(code, args.rooms, delete=args.delete, archive_dir=args.to)
    print(
        f"Room {code} is closed and deleted."
        if archive is None
        else f"Room {code} is closed; its shares are archived in {archive}"
    )
    return 0


def add_commands(sub: Any) -> None:
    """Register ``room create|show|demo|close`` on the ``workshop-kit`` subparsers."""
    room = sub.add_parser("room", help="anonymous room results for the debrief")
    verbs = room.add_subparsers(dest="room_command", required=True, metavar="ACTION")
    rooms_help = "the rooms folder (default: $WORKSHOP_KIT_ROOMS or your data folder)"

    create = verbs.add_parser("create", help="open a new room and print its code")
    create.add_argument("--rooms", help=rooms_help)
    create.set_defaults(run=_cmd_create)

    show = verbs.add_parser("show", help="print the room's picture (and save its charts)")
    show.add_argument("code", help="the room code, e.g. K7RM4Q")
    show.add_argument("--rooms", help=rooms_help)
    show.add_argument(
        "--export",
        metavar="FOLDER",
        help="save each chart as a PNG with its text summary beside it, for the debrief slides",
    )
    show.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        nargs="?",
        const=5.0,
        help="keep showing the room as people share (Ctrl-C to stop)",
    )
    show.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)
    show.set_defaults(run=_cmd_show)

    demo = verbs.add_parser(
        "demo", help="fill a room with synthetic participants (rehearsals, tests)"
    )
    demo.add_argument("code", help="the room code (the room is created if needed)")
    demo.add_argument("--people", type=int, default=12, help="how many (default: 12)")
    demo.add_argument(
        "--seed", type=int, default=1, help="the same seed gives the same people (default: 1)"
    )
    demo.add_argument("--rooms", help=rooms_help)
    demo.set_defaults(run=_cmd_demo)

    close = verbs.add_parser("close", help="close a room: archive it to a dated zip, or delete it")
    close.add_argument("code", help="the room code")
    close.add_argument("--delete", action="store_true", help="delete, keeping no archive")
    close.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    close.add_argument(
        "--to", metavar="FOLDER", help="where the archive goes (default: <rooms>/archive)"
    )
    close.add_argument("--rooms", help=rooms_help)
    close.set_defaults(run=_cmd_close)
