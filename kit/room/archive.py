"""Closing a room after the debrief: archive its shares to a dated zip, or delete them.

The archive holds the room's regular files only, each with a fixed date instead of the
time it was shared, and is readable by its owner only. The room's snapshots are left out
(they may still hold a share its author withdrew since), and so are its presence marks
(:mod:`kit.room.presence`: a count, which ends with the room).
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
import zipfile
from pathlib import Path

from kit.room.presence import MARKS_DIR
from kit.room.snapshots import SNAPSHOT_FOLDER
from kit.room.store import RoomClosedError, Rooms, read_regular_file, room_dir

__all__ = ["ARCHIVE_FOLDER", "close_room"]

ARCHIVE_FOLDER = "archive"


def _regular_files(folder: Path) -> list[tuple[str, bytes]]:
    """Return (path relative to ``folder``, bytes) of each regular file in it, sorted.

    Links (to files or folders), named pipes and devices are passed over: a link planted in
    a room must not carry a file from elsewhere into the archive. Each file is opened
    without following a link and checked on the opened descriptor, so a file swapped for a
    link in between is passed over too. Hidden files (shares being written) are left out.
    """
    found = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        if Path(top) == folder:
            if SNAPSHOT_FOLDER in dirs:
                dirs.remove(SNAPSHOT_FOLDER)  # they may still hold withdrawn shares: not kept
            if MARKS_DIR in dirs:
                dirs.remove(MARKS_DIR)  # presence marks: only a count, which ends with the room
        for name in files:
            if name.startswith("."):
                continue
            path = Path(top) / name
            data = read_regular_file(path)
            if data is None:
                continue
            found.append((path.relative_to(folder).as_posix(), data))
    return sorted(found)


def close_room(
    code: str,
    rooms: Rooms = None,
    *,
    delete: bool = False,
    archive_dir: str | os.PathLike[str] | None = None,
    today: str | None = None,
) -> Path | None:
    """Close room ``code``: archive it to a dated zip and remove it, or only delete it.

    The room is first renamed out of the way, so that no share lands in it while it is
    archived. Only regular files go into the zip (never what a link points to), with a
    fixed date, not the time each was shared; the zip is readable by its owner only.

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
        # Owner-only from the first byte: the shares are the room's, not everyone's.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
                for relative, data in _regular_files(closing):
                    info = zipfile.ZipInfo(f"{code}/{relative}", date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, data)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target
    finally:
        shutil.rmtree(closing, ignore_errors=True)
