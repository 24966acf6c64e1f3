"""Reading files that someone else may have put there.

The drop folder, files given to ``crumail ingest`` and the templates folder
are written by people and programs crumail does not trust.  A name there may
be a symbolic link to ``/proc/self/environ`` or a private key, a FIFO that
blocks the reader for ever, a device, or a file far bigger than anything
crumail keeps.  So a file is opened without following a link in its last
component (``O_NOFOLLOW``) and without blocking (``O_NONBLOCK``), checked to
be a regular file on the open descriptor (``fstat``, so nothing can swap it
in between), and read no further than its limit plus one byte.

Folders crumail moves files into (``done/``, ``quarantine/``) are opened the
same way and used through their descriptors, so a folder swapped for a link
cannot redirect a move elsewhere.
"""

from __future__ import annotations

import errno
import os
import stat

from crumail.errors import FileTooBigError, UnsafeFileError

_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
CHUNK = 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def read_regular(path: str | os.PathLike[str], limit: int, dir_fd: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises UnsafeFileError (a link, a folder, a FIFO, a device ...) or
    FileTooBigError (more than ``limit`` bytes: only ``limit + 1`` are read);
    OSError (FileNotFoundError ...) for everything else, unchanged.
    """
    return read_with_stat(path, limit, dir_fd)[0]


def read_with_stat(path: str | os.PathLike[str], limit: int,
                   dir_fd: int | None = None) -> tuple[bytes, os.stat_result]:
    """:func:`read_regular`, with the ``fstat`` of the very file that was read."""
    fd = _open_file(path, dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(f"{path} is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileTooBigError(f"{path} is {info.st_size:,} bytes, over the {limit:,}-byte limit",
                                  info.st_size)
        return _read_at_most(fd, path, limit), info
    finally:
        os.close(fd)


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at ``path`` and its ``fstat``, for reading
    a file too big to hold (an mbox, a PST) as a stream; never through a link.
    The caller closes it.  Raises UnsafeFileError as :func:`read_regular`."""
    fd = _open_file(path, None)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnsafeFileError(f"{path} is {kind_of(info.st_mode)}, not a regular file")
    os.set_blocking(fd, True)
    return fd, info


def _open_file(path: str | os.PathLike[str], dir_fd: int | None) -> int:
    try:
        return os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFileError(f"{path} is a symbolic link{_target(path, dir_fd)}; "
                                  "crumail never reads through links") from None
        if exc.errno == errno.ENXIO:  # a socket, or a device with nothing behind it
            mode = os.stat(path, dir_fd=dir_fd, follow_symlinks=False).st_mode
            raise UnsafeFileError(f"{path} is {kind_of(mode)}, not a regular file") from None
        raise


def _target(path: str | os.PathLike[str], dir_fd: int | None) -> str:
    try:
        return f" (to {os.readlink(path, dir_fd=dir_fd)})"
    except OSError:
        return ""


def _read_at_most(fd: int, path: str | os.PathLike[str], limit: int) -> bytes:
    """Up to ``limit`` bytes; one more means the file grew past it while read."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    if left <= 0:
        raise FileTooBigError(f"{path} is over the {limit:,}-byte limit", limit + 1)
    return b"".join(chunks)


def open_folder(path: str | os.PathLike[str], dir_fd: int | None = None, create: bool = False) -> int:
    """A descriptor of the real folder ``path`` (created when asked); never through a link.

    Raises UnsafeFileError when ``path`` is a link or not a folder.
    """
    if create:
        try:
            os.mkdir(path, 0o700, dir_fd=dir_fd)
        except FileExistsError:
            pass
    try:
        return os.open(path, _FOLDER_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            info = os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
            raise UnsafeFileError(f"{path} is {kind_of(info.st_mode)}{_target(path, dir_fd)}, "
                                  "not a folder; crumail will not move files into it") from None
        raise
