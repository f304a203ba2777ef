"""The room's snapshots: every view shows the room as it was at its last snapshot.

A picture that changes with every share invites differencing: whoever looks before and after
a colleague shares, changes or withdraws sees that colleague's answer. So no view of a room
(``room show``, the room notebook, exported charts, the projector) draws the live shares.
Each draws the exercise's last *snapshot*, and a new snapshot is taken only once at least
``k`` shares were added, changed or withdrawn since the last one (``k`` is the room's people
threshold, :data:`kit.room.pictures.MIN_PEOPLE` unless the facilitator lowered it): the
difference between two pictures then mixes at least ``k`` people. Live counts (how many
shared) are not snapshots and show at once.

Where snapshots live, and why there
    In the room folder, ``snapshots/<exercise>/<seq>.json``, one file per snapshot, so that
    every view of the room, in any process and on any machine that reaches the folder,
    shows the same picture. A snapshot file is created exclusively (a hard link of a
    finished temporary file, which fails if the number is taken): when two views decide at
    once that a snapshot is due, one wins and the other adopts it, so they agree. Only the
    last two snapshots are kept.

What a snapshot holds
    The exact share documents it was made of, sorted (so it says nothing about who shared
    when), with no file names: the picture is drawn from them, and a change is counted by
    comparing them with the room's share files now. A share is known by the SHA-256 of its
    document; since one person has one file per exercise, ``max(added, removed)`` documents
    between two snapshots is a lower bound on the people whose shares differ.

Not trusted blindly
    The room folder is shared, so a snapshot file may be crafted. A view reads snapshots in
    order and accepts one only if it is well formed (size, schema, exercise, each share
    passing the exercise's check in its exact canonical text) and differs from the last
    snapshot it accepted by at least ``k`` shares; a view remembers what it accepted, so a
    crafted file cannot make it show a difference of one person. What remains: someone who
    can write the folder can write share files too, and forged shares are within reach of
    the same person anyway (see the facilitator guide's privacy page).

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit import exercises
from kit.room import shares as _shares

__all__ = [
    "MAX_SNAPSHOT_BYTES",
    "MAX_SNAPSHOT_SHARES",
    "SNAPSHOT_FOLDER",
    "Snapshot",
    "SnapshotBook",
    "changes",
    "parse_snapshot",
    "snapshot_document",
]

SNAPSHOT_FOLDER = "snapshots"
#: A card-sort share is about 1.2 KB: 10,000 people make 12 MB; far larger is not a snapshot.
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
#: Far more people than any room holds; a crafted file listing more is not read further.
MAX_SNAPSHOT_SHARES = 100_000
_NAME_RE = re.compile(r"^(\d{1,18})\.json$")
_KEYS = frozenset(("schema", "exercise", "seq", "shares"))
_KEEP = 2  # the last snapshot and the one before it (a fresh view checks the step between)
#: Never through a link; and a named pipe opens at once instead of waiting for a writer.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
)


def _digest(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def changes(before: Mapping[str, int], after: Mapping[str, int]) -> int:
    """Return how many shares differ between two multisets of share digests (a lower bound).

    One person has one share file per exercise, so the documents only in ``after`` belong
    to different people, and so do those only in ``before``: ``max`` of the two counts
    people whose shares were added, changed or withdrawn.
    """
    a, b = Counter(before), Counter(after)
    return max(sum((a - b).values()), sum((b - a).values()))


@dataclass(frozen=True)
class Snapshot:
    """One exercise's room at one moment: the share documents a picture is drawn from.

    Attributes
    ----------
    exercise
        The exercise.
    seq
        The snapshot's number; later snapshots have larger numbers (0: in memory only).
    documents
        The exact share documents, sorted.
    items
        Each document's checked payload, in the same order.
    synthetic
        How many of them ``room demo`` made.
    versions
        The SHA-256 of each document, counted (what :func:`changes` compares).
    """

    exercise: str
    seq: int
    documents: tuple[str, ...]
    items: tuple[Mapping[str, Any], ...] = ()
    synthetic: int = 0
    versions: Counter = field(default_factory=Counter, compare=False, repr=False)

    @property
    def count(self) -> int:
        """How many shares the snapshot holds."""
        return len(self.documents)

    @classmethod
    def of(cls, exercise: str, seq: int, documents: Iterable[str]) -> Snapshot | None:
        """Return the snapshot of these share documents, or ``None`` if one is not a share.

        Each document must be a share of ``exercise`` in exactly the text the kit writes.
        """
        check = exercises.room_exercise(exercise).check_share
        docs = tuple(documents)
        if len(docs) > MAX_SNAPSHOT_SHARES or not all(type(d) is str for d in docs):
            return None
        docs = tuple(sorted(docs))
        items, synthetic = [], 0
        for doc in docs:
            parsed = _shares.parse_share(doc.encode("utf-8"), exercise, check)
            if not parsed.ok:
                return None
            canonical = _shares.share_document(exercise, parsed.data, check, parsed.synthetic)
            if canonical != doc:
                return None
            items.append(parsed.data)
            synthetic += parsed.synthetic
        return cls(exercise, seq, docs, tuple(items), synthetic, Counter(_digest(d) for d in docs))


def snapshot_document(snapshot: Snapshot) -> str:
    """Return the exact text of a snapshot's file."""
    return _shares.dumps(
        {
            "schema": _shares.ROOM_SCHEMA,
            "exercise": snapshot.exercise,
            "seq": snapshot.seq,
            "shares": list(snapshot.documents),
        }
    )


def parse_snapshot(raw: bytes, exercise: str, seq: int) -> Snapshot | None:
    """Return the snapshot in a file's bytes, or ``None`` when it is not a valid one.

    ``seq`` is the number in the file's name, which the file must repeat.
    """
    if len(raw) > MAX_SNAPSHOT_BYTES:
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if (
        type(doc) is not dict
        or doc.keys() != _KEYS
        or doc["schema"] != _shares.ROOM_SCHEMA
        or doc["exercise"] != exercise
        or type(doc["seq"]) is not int
        or doc["seq"] != seq
        or type(doc["shares"]) is not list
    ):
        return None
    return Snapshot.of(exercise, seq, doc["shares"])


def _read(path: str) -> tuple[tuple[int, int, int], bytes] | None:
    """Return (inode, mtime, size) and the bytes of a regular file, never through a link."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SNAPSHOT_BYTES:
            return None
        chunks, left = [], st.st_size + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return (st.st_ino, st.st_mtime_ns, st.st_size), b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


class SnapshotBook:
    """The snapshots of one room, as one view keeps track of them.

    Parameters
    ----------
    room
        The room's folder.
    """

    def __init__(self, room: Path):
        self.room = Path(room)
        self._accepted: dict[str, Snapshot] = {}
        self._live: dict[str, tuple[tuple[str, ...], Snapshot]] = {}
        self._files: dict[str, dict[str, tuple[tuple[int, int, int], Snapshot | None]]] = {}

    def folder(self, exercise: str) -> Path:
        """Return the folder of ``exercise``'s snapshots."""
        return self.room / SNAPSHOT_FOLDER / exercise

    # ------------------------------------------------------------------ reading
    def _chain(self, exercise: str) -> tuple[list[Snapshot], int]:
        """Return the valid snapshots on disk in order, and the largest number in use."""
        folder = self.folder(exercise)
        old = self._files.get(exercise, {})
        new: dict[str, tuple[tuple[int, int, int], Snapshot | None]] = {}
        top = 0
        try:
            entries = list(os.scandir(folder))
        except OSError:
            entries = []
        for entry in entries:
            match = _NAME_RE.match(entry.name)
            if match is None:
                continue
            seq = int(match.group(1))
            top = max(top, seq)
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            key = (st.st_ino, st.st_mtime_ns, st.st_size)
            hit = old.get(entry.name)
            if hit is not None and hit[0] == key:
                new[entry.name] = hit
                continue
            read = _read(entry.path)
            if read is None:
                continue
            new[entry.name] = (read[0], parse_snapshot(read[1], exercise, seq))
        self._files[exercise] = new
        chain = sorted((s for _, s in new.values() if s is not None), key=lambda s: s.seq)
        return chain, top

    def latest(self, exercise: str, step: int) -> Snapshot | None:
        """Return the last snapshot this view accepts for ``exercise`` (``None``: none yet).

        Snapshots are walked in order from the last one accepted (or, for a new view, from
        the oldest kept); each is accepted only if it differs from the one before it by at
        least ``step`` shares.
        """
        chain, _ = self._chain(exercise)
        return self._walk(exercise, chain, step)

    def _walk(self, exercise: str, chain: list[Snapshot], step: int) -> Snapshot | None:
        base = self._accepted.get(exercise)
        for snap in chain:
            if base is None:
                base = snap
            elif snap.seq > base.seq and changes(base.versions, snap.versions) >= step:
                base = snap
        if base is not None:
            self._accepted[exercise] = base
        return base

    # ------------------------------------------------------------------ taking
    def current(self, exercise: str, shares: Any, step: int) -> Snapshot | None:
        """Return the snapshot a view shows now, taking a new one if ``step`` shares changed.

        ``shares`` are the room's checked shares of ``exercise`` now
        (:class:`kit.room.reader.Shares`: ``documents``, ``items``, ``synthetic``). A new
        snapshot is written (and adopted by every other view) when they differ by at least
        ``step`` shares from the last snapshot this view accepted and from every snapshot
        kept in the folder; otherwise the last one stays. When the room folder cannot be
        written, this view keeps its new snapshot in memory.
        """
        now = self._now(exercise, shares)
        for _ in range(3):  # another view may take the same number in between: adopt, retry
            chain, top = self._chain(exercise)
            base = self._walk(exercise, chain, step)
            # Far enough from every snapshot a view may be showing, not only from ours: two
            # views that raced may stand on different ones, and each must accept the next.
            shown = [base.versions] if base is not None else [Counter()]
            shown += [snap.versions for snap in chain]
            if any(changes(v, now.versions) < step for v in shown):
                return base
            seq = max(top, base.seq if base else 0) + 1
            fresh = dataclasses.replace(now, seq=seq)
            written = self._write(fresh)
            if written is None:  # no place to keep it: this view remembers it
                self._accepted[exercise] = fresh
                return fresh
            if written:
                self._accepted[exercise] = fresh
                self._prune(exercise, seq)
                return fresh
        return self._accepted.get(exercise)

    def _now(self, exercise: str, shares: Any) -> Snapshot:
        """The room's shares now as an unnumbered snapshot (kept while they are unchanged).

        The reader has already checked each share and made its canonical document, so they
        are not checked again here.
        """
        last = self._live.get(exercise)
        if last is not None and last[0] is shares.documents:
            return last[1]
        pairs = sorted(zip(shares.documents, shares.items, strict=True), key=lambda p: p[0])
        docs = tuple(d for d, _ in pairs)
        snap = Snapshot(
            exercise,
            0,
            docs,
            tuple(i for _, i in pairs),
            shares.synthetic,
            Counter(_digest(d) for d in docs),
        )
        self._live[exercise] = (shares.documents, snap)
        return snap

    def _write(self, snap: Snapshot) -> bool | None:
        """Create the snapshot's file; ``False`` if its number was taken, ``None`` if unwritable."""
        folder = self.folder(snap.exercise)
        target = folder / f"{snap.seq:09d}.json"
        data = snapshot_document(snap).encode("utf-8")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".snapshot.", suffix=".tmp")
        except OSError:
            return None
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # every view of the room reads it
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, target)  # atomic, and never over another view's snapshot
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links: exclusive create instead
                return self._write_exclusive(target, data)
            return True
        except OSError:
            return None
        finally:
            Path(tmp).unlink(missing_ok=True)

    @staticmethod
    def _write_exclusive(target: Path, data: bytes) -> bool | None:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            return False
        except OSError:
            return None
        with os.fdopen(fd, "wb") as fh:  # a reader seeing it half-written skips it
            fh.write(data)
        return True

    def _prune(self, exercise: str, seq: int) -> None:
        """Remove snapshot files older than the last :data:`_KEEP` (regular files only)."""
        folder = self.folder(exercise)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            match = _NAME_RE.match(entry.name)
            if match is None or int(match.group(1)) > seq - _KEEP:
                continue
            try:
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
            except OSError:
                pass  # someone else's file on a shared folder: harmless, it is never shown
