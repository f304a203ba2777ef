"""Who joined a room, counted exactly, with a mark that says nothing about anyone.

Joining is the participant's own choice, so the room may count it; the mark must carry
nothing else. One empty file per participant folder and room::

    rooms/K7RM4Q/joined/<token>      0 bytes, dated 2000-01-01 like every share file

- **Nothing about the person.** The file is empty: no name, no answer, no machine. Its
  modification time is set to the same fixed date as the share files, so a listing shows no
  time of joining (the file system's change time and inode remain; the room needs no time
  at all, and the facilitator guide's privacy page lists what a file system keeps).
- **Not linkable to their shares.** The name is ``HMAC-SHA256(key, "CODE:joined")`` with the
  participant's secret from :mod:`kit.room.store`, which never leaves their folder; the share
  files are the same keyed hash of ``CODE:<exercise>``. Without the secret the names cannot
  be matched, and the mark is written when joining, not when sharing.
- **Counted once.** The same participant folder always gives the same name, so joining again,
  or from a second window or page, finds the same file and leaves it untouched (its change
  time then never tells when a share was written).
- **Never in the way.** Writing the mark is best-effort: the participant's own ``room.json``
  is written first, and a full disk, a read-only room or a crafted ``joined`` entry leaves
  joining working (a share writes the mark if it is missing, and leaves an existing one
  untouched, so the mark's times never tell when a share was written). Withdrawing
  everything (before the participant's answers are cleared) removes it, so clearing and
  joining again counts once.
- **Robust counting.** Only empty regular files whose names are tokens count: links, folders,
  pipes, files with content, temporary or other names are passed over, and a ``joined`` that
  is itself a link or a file counts nothing and is never written through.

Nothing here imports ipywidgets or matplotlib.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from pathlib import Path
from typing import Protocol

from kit.room.folders import Rooms, room_dir


class _Member(Protocol):
    """A participant's membership (:class:`kit.room.store.Membership`): room and secret."""

    code: str
    key: str


__all__ = ["MARKS_DIR", "count_present", "mark_present", "mark_token", "unmark"]

#: The room's folder of presence marks.
MARKS_DIR = "joined"
#: The date of every mark, the same as every share file's (2000-01-01 00:00 UTC).
_DATE = 946_684_800
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


def mark_token(membership: _Member) -> str:
    """Return the mark's file name: a keyed hash of the room, unlike any share's."""
    message = f"{membership.code}:{MARKS_DIR}".encode("ascii")
    return hmac.new(bytes.fromhex(membership.key), message, hashlib.sha256).hexdigest()[:32]


def _marks_dir(code: str, rooms: Rooms, *, create: bool) -> Path | None:
    """The room's real ``joined`` folder, or ``None`` (absent, or a link or a file)."""
    folder = room_dir(code, rooms) / MARKS_DIR
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            folder.mkdir(mode=0o777)  # the umask decides, as for the exercise folders
        except FileExistsError:
            pass
        except OSError:
            return None
        return _marks_dir(code, rooms, create=False)
    except OSError:
        return None
    return folder if stat.S_ISDIR(st.st_mode) else None


def mark_present(membership: _Member, rooms: Rooms = None) -> bool:
    """Leave this participant's mark in their room; return whether it is there.

    Never raises for the file system: joining must work on a full disk or a read-only room.
    """
    folder = _marks_dir(membership.code, rooms, create=True)
    if folder is None:
        return False
    path = folder / mark_token(membership)
    try:
        st = os.lstat(path)
    except OSError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode) and not st.st_size and st.st_mtime == _DATE:
        # Already there: left untouched, so its change time never tells when a share was
        # written (a share re-marks only when joining could not).
        return True
    try:
        fd = os.open(path, _CREATE, 0o666)  # never through a link (O_NOFOLLOW)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return False
        if st.st_size:
            os.ftruncate(fd, 0)  # a mark holds nothing, whatever was put there
        os.utime(fd, (_DATE, _DATE))
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def unmark(membership: _Member, rooms: Rooms = None) -> bool:
    """Remove this participant's mark from their room; return whether one was removed.

    Best-effort, as marking is: a room that cannot be written also stops the withdrawal of
    the shares, which says what to do.
    """
    folder = _marks_dir(membership.code, rooms, create=False)
    if folder is None:
        return False
    try:
        (folder / mark_token(membership)).unlink()
    except OSError:
        return False
    return True


def count_present(code: str, rooms: Rooms = None) -> int:
    """Count the people who joined room ``code``: its valid marks, one per participant."""
    folder = _marks_dir(code, rooms, create=False)
    if folder is None:
        return 0
    n = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not _TOKEN_RE.match(entry.name):
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode) and st.st_size == 0:
                    n += 1
    except OSError:
        return 0
    return n
