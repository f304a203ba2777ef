"""Reading a room: every share of each exercise, cheaply again and again, and its picture.

The picture is drawn from the room's last snapshot (:mod:`kit.room.snapshots`), never from
the live shares; the counts are live. How many people a picture needs (and how many changes
make a new snapshot) is the room's rule, read from its ``room.json`` with a floor
(:func:`kit.room.pictures.people_rule`).

Files that are malformed, too large, from another format version or not share files at all
are skipped and counted, never fatal. Only regular files are opened, and never through a
symbolic link. Each file read is kept with what tells it apart from a later version, so a
refresh opens only new or replaced files.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit import exercises
from kit.room import presence
from kit.room import shares as _shares
from kit.room.pictures import ExercisePicture, Picture, RoomPicture, people_rule
from kit.room.shares import MAX_SHARE_BYTES, Parsed
from kit.room.snapshots import Snapshot, SnapshotBook
from kit.room.store import EXERCISES, Rooms, default_rooms, normalize_code, room_rule

if TYPE_CHECKING:
    from kit.content import Content

__all__ = ["RoomReader", "Shares", "load_shares", "room_picture"]

_TOKEN_RE = re.compile(r"^[0-9a-f]{32}\.json$")
#: Never through a link; and a named pipe opens at once instead of waiting for a writer.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
)


@dataclass(frozen=True)
class Shares:
    """The readable shares of one exercise, and what was skipped.

    Attributes
    ----------
    exercise
        The exercise.
    items
        Each share's data, in file-name order (which says nothing about who or when).
    documents
        Each share's exact document as the kit writes it, in the same order (what a
        snapshot is made of).
    synthetic
        How many of them ``room demo`` made.
    skipped
        Reason -> files skipped: ``malformed``, ``oversized``, ``too_deep``,
        ``other_version``, ``stray`` (not a share file, or not a regular file),
        ``unreadable`` (a link, or a file that cannot be opened).
    """

    exercise: str
    items: tuple[Mapping[str, Any], ...] = ()
    synthetic: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)
    documents: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many shares were read."""
        return len(self.items)


@dataclass(frozen=True)
class _FileKey:
    """What tells a file apart from its earlier versions: a replaced share changes one."""

    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, st: os.stat_result) -> _FileKey:
        return cls(st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class _Seen:
    """One share file as last read: its key, what it held, and its exact document."""

    key: _FileKey
    parsed: Parsed
    document: str = ""


@dataclass(frozen=True)
class _Listing:
    """One listing of an exercise's folder, and whether an unchanged folder can be trusted."""

    folder: tuple[int, int]  # inode, modification time (ns)
    at: float
    trusted: bool
    shares: Shares


@dataclass(frozen=True)
class _Aggregated:
    """The last picture of an exercise, and what it was made from."""

    made_from: Shares | Snapshot
    content: Content
    picture: Picture


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

    def __init__(self, code: str, rooms: Rooms = None):
        self.code = normalize_code(code)
        self.folder = (Path(rooms) if rooms is not None else default_rooms()) / self.code
        self._cache: dict[str, dict[str, _Seen]] = {e: {} for e in EXERCISES}
        self._listed: dict[str, _Listing] = {}
        self._pictures: dict[str, _Aggregated] = {}
        self.snapshots = SnapshotBook(self.folder)

    def exists(self) -> bool:
        """Return whether the room is open."""
        return (self.folder / "room.json").is_file()

    def joined(self) -> int:
        """Return how many people joined the room (one presence mark each)."""
        return presence.count_present(self.code, self.folder.parent)

    def rule(self) -> tuple[int, int | None]:
        """Return the people the room needs, and what its file asked if that was refused."""
        return room_rule(self.code, self.folder.parent)

    def snapshot(self, exercise: str, shares: Shares, step: int) -> Snapshot | None:
        """Return the snapshot a view shows for ``exercise`` now (see :mod:`kit.room.snapshots`)."""
        return self.snapshots.current(exercise, shares, step)

    def read(self, exercise: str) -> Shares:
        """Return the shares of ``exercise`` as they are now."""
        exercises.room_exercise(exercise)
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
            and listed.folder == folder_key
            and listed.trusted
            and now - listed.at < self.FULL_SCAN_SECONDS
        ):
            return listed.shares
        shares = self._scan(exercise, folder)
        if folder_key is not None:
            trusted = now - folder_key[1] / 1e9 > self.RACY_SECONDS
            self._listed[exercise] = _Listing(folder_key, now, trusted, shares)
        return shares

    def _read_file(self, path: str, exercise: str) -> _Seen:
        """Open and parse one share file (raises ``OSError`` when it cannot be read)."""
        fd = os.open(path, _OPEN_FLAGS)
        try:
            st = os.fstat(fd)  # the file actually read
            key = _FileKey.of(st)
            if not stat.S_ISREG(st.st_mode):
                return _Seen(key, Parsed("stray"))
            if st.st_size > MAX_SHARE_BYTES:
                return _Seen(key, Parsed("oversized"))
            raw = os.read(fd, MAX_SHARE_BYTES + 1)
        finally:
            os.close(fd)
        check = exercises.room_exercise(exercise).check_share
        parsed = _shares.parse_share(raw, exercise, check)
        if not parsed.ok:
            return _Seen(key, parsed)
        document = _shares.share_document(exercise, parsed.data, check, parsed.synthetic)
        return _Seen(key, parsed, document)

    def _scan(self, exercise: str, folder: Path) -> Shares:
        old = self._cache[exercise]
        new: dict[str, _Seen] = {}
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
                if hit is not None and hit.key == _FileKey.of(entry.stat(follow_symlinks=False)):
                    new[name] = hit
                    continue
                new[name] = self._read_file(entry.path, exercise)
            except FileNotFoundError:
                continue  # withdrawn between the listing and the read
            except OSError:
                skipped["unreadable"] = skipped.get("unreadable", 0) + 1
        self._cache[exercise] = new
        items, documents, synthetic_n = [], [], 0
        for name in sorted(new):
            parsed = new[name].parsed
            if parsed.ok:
                items.append(parsed.data)
                documents.append(new[name].document)
                synthetic_n += parsed.synthetic
            else:
                skipped[parsed.outcome] = skipped.get(parsed.outcome, 0) + 1
        shares = Shares(
            exercise, tuple(items), synthetic_n, dict(sorted(skipped.items())), tuple(documents)
        )
        previous = self._listed.get(exercise)
        if previous is not None and previous.shares == shares:
            return previous.shares  # the same object: callers can tell nothing changed
        return shares

    def aggregate(self, exercise: str, shares: Shares | Snapshot, content: Content) -> Picture:
        """Return the picture of ``shares`` (or a snapshot), reusing the last when unchanged."""
        last = self._pictures.get(exercise)
        if last is not None and last.made_from is shares and last.content is content:
            return last.picture
        picture = exercises.room_exercise(exercise).aggregate(shares.items, content)
        self._pictures[exercise] = _Aggregated(shares, content, picture)
        return picture


def load_shares(code: str, exercise: str, rooms: Rooms = None) -> Shares:
    """Return the shares of ``exercise`` in room ``code`` (a one-off read)."""
    return RoomReader(code, rooms).read(exercise)


def room_picture(
    code: str,
    content: Content,
    rooms: Rooms = None,
    reader: RoomReader | None = None,
    *,
    needed: int | None = None,
) -> RoomPicture:
    """Read room ``code`` and return its picture (pass a :class:`RoomReader` to refresh cheaply).

    The counts are live; each exercise's picture is drawn from its last snapshot, and only
    when that snapshot holds at least ``needed`` shares (the one place where that rule is
    applied). ``needed`` defaults to the room's own rule; any number given goes through the
    same floor (:func:`kit.room.pictures.people_rule`).
    """
    reader = reader if reader is not None else RoomReader(code, rooms)
    need, refused = reader.rule() if needed is None else people_rule(needed)
    out = {}
    for exercise in EXERCISES:
        shares = reader.read(exercise)
        snap = reader.snapshot(exercise, shares, need)
        ready = snap is not None and snap.count >= need
        out[exercise] = ExercisePicture(
            exercise,
            shares.count,
            shares.synthetic,
            shares.skipped,
            reader.aggregate(exercise, snap, content) if ready else None,
            need,
            snap.count if snap is not None else 0,
            snap.seq if snap is not None else 0,
        )
    return RoomPicture(reader.code, reader.exists(), out, need, refused, reader.joined())
