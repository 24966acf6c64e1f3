"""One daemon per database: an exclusive lock beside the database's real file.

The lock is keyed by the database file itself, not by the name it was
given: ``<real path of the database>.lock``, with every symlink and ``..``
resolved.  A symlink to the database (or to its folder), a ``..`` path and a
bind mount of the folder all reach that same lock file, so a second daemon
given any of them refuses to start.  A database with a second hard link is
refused outright: SQLite names its write-ahead log after the name it was
opened by, so two names would mean two logs for one file, and commits
written to one are invisible to (and lost by) a process using the other.

The lock never opens the database file itself: closing any descriptor of
it would drop SQLite's own POSIX locks (see crumail/store/db.py).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from crumail.errors import AlreadyRunningError, DatabaseAliasError, StoreError


def lock_path(database: Path | str) -> Path:
    """Where the run lock of ``database`` lives, whatever the name it is given by."""
    return Path(f"{os.path.realpath(database)}.lock")


def refuse_hard_links(database: Path | str) -> None:
    """DatabaseAliasError when the database file has more than one name."""
    try:
        links = os.stat(database).st_nlink
    except FileNotFoundError:
        return  # not made yet: SQLite creates it with one name
    if links > 1:
        raise DatabaseAliasError(
            f"database {database} has {links} names (hard links); SQLite keeps one write-ahead log "
            f"per name, so two names can lose commits: remove the other links (`find / -xdev -samefile "
            f"{os.path.realpath(database)}` lists them) and start again")


class RunLock:
    def __init__(self, database: Path | str):
        self.database = Path(database)
        self.path = lock_path(database)
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        refuse_hard_links(self.database)
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunningError(
                f"crumail is already running on {self.path.with_suffix('')} (pid {holder}); "
                "stop it first, or point this one at another database"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def _open(self) -> int:
        """The lock file (never through a symlink: root would truncate its target)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise StoreError(f"the run lock {self.path} cannot be taken: {exc.strerror or exc}") from None

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
