"""Personal files in the participant folder: owner-only, and never through a link.

The participant folder holds answers, the saved report, snapshots and backups. Someone else
on the same machine must not read them, and a link planted in the folder (``snapshots`` ->
somewhere else, ``my-leadership-path.html`` -> another file) must never carry a write or a
delete out of it. So every folder below the participant folder is opened without following
links (``O_NOFOLLOW``, then working relative to that open folder), new folders are made
``0700``, new files ``0600``, a file is written to a temporary name and renamed into place,
and a link where a personal file or folder should be is refused, never followed.

The participant folder itself may be a link: that is where the person (or their
``WORKSHOP_KIT_HOME``) chose to keep their answers.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = [
    "LinkRefusedError",
    "ensure_home",
    "make_private_folder",
    "read_regular",
    "remove_personal",
    "write_private",
]

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
_FOLDER_MODE = 0o700
_FILE_MODE = 0o600


class LinkRefusedError(OSError):
    """A link sits where the kit would write or delete a personal file or folder."""

    def __init__(self, path: Path):
        super().__init__(
            errno.ELOOP,
            f"{path} is a link; the kit does not follow links out of the participant folder, "
            "so nothing was written there",
        )
        self.path = path


def ensure_home(home: Path) -> None:
    """Create the participant folder (owner-only) if it is missing."""
    os.makedirs(home, mode=_FOLDER_MODE, exist_ok=True)


def _is_link(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def _folder(home: Path, parts: Sequence[str], *, create: bool) -> Iterator[int]:
    """Yield an open descriptor of ``home/parts...``, each part opened without following links."""
    if create:
        ensure_home(home)
    fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        where = home
        for part in parts:
            where = where / part
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, _FOLDER_MODE, dir_fd=fd)
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link(part, fd):
                    raise LinkRefusedError(where) from None
                raise
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _split(relative: str) -> list[str]:
    parts = [p for p in relative.split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"{relative!r} is not a path inside the participant folder")
    return parts


def write_private(home: Path, relative: str, data: bytes) -> Path:
    """Write ``data`` to ``home/relative`` atomically, owner-only, refusing any link.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    LinkRefusedError
        When the file or a folder on the way to it is a link.
    OSError
        When the folder cannot be written.
    """
    *folders, name = _split(relative)
    target = home.joinpath(*folders, name)
    with _folder(home, folders, create=True) as fd:
        if _is_link(name, fd):
            raise LinkRefusedError(target)
        tmp = f".{name}.{secrets.token_hex(6)}.tmp"
        out = os.open(
            tmp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC,
            _FILE_MODE,
            dir_fd=fd,
        )
        try:
            try:
                os.fchmod(out, _FILE_MODE)
                view = memoryview(data)
                while view:
                    view = view[os.write(out, view) :]
                os.fsync(out)
            finally:
                os.close(out)
            # rename() replaces a link put there since the check; it never writes through it.
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            raise
    return target


def make_private_folder(home: Path, relative: str, stem: str) -> Path:
    """Make a new owner-only folder ``home/relative/stem`` (``stem-2``, ... if taken)."""
    parts = _split(relative)
    with _folder(home, parts, create=True) as fd:
        name, n = stem, 1
        while True:
            try:
                os.mkdir(name, _FOLDER_MODE, dir_fd=fd)
            except FileExistsError:
                n += 1
                name = f"{stem}-{n}"
                continue
            return home.joinpath(*parts, name)


def read_regular(path: Path, limit: int) -> bytes:
    """Return the bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Raises
    ------
    LinkRefusedError
        When ``path`` is a link.
    OSError
        When it is not a regular file, is too large, or cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LinkRefusedError(path) from None
        raise
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a regular file")
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"{path} is far larger than any answers file")
        return fh.read(limit + 1)[:limit]


def remove_personal(path: Path) -> None:
    """Delete a personal file or folder; a link is removed itself, never what it points at."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        # rmtree removes a link found inside as a link; where the platform allows it
        # (shutil.rmtree.avoids_symlink_attacks) it walks open folders, so no race either.
        shutil.rmtree(path)
    else:
        path.unlink()
