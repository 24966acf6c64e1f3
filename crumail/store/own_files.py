"""The database's own files, known by device and inode, so crumail never opens one.

On Linux, closing *any* descriptor of a file drops every POSIX lock the
process holds on it, SQLite's included ("How To Corrupt An SQLite Database
File", 2.2).  While this process holds a connection, opening and closing the
database, its -wal or its -shm under whatever name (a file handed to
``crumail ingest``, a hard link or symlink in the drop folder, an export's
output, a draft's body file) would let another process believe it is the
last user and delete the write-ahead log under us; writing one would
truncate the database.  So every path the operator or a sender can name is
first compared with those files by ``stat`` (which opens nothing), and
refused when it is one of them.

``open_database`` records each database the process holds a connection
to, for as long as it does; the check covers all of them.  It also keeps
the identity of the file it opened (FileIdentity), so that a commit into a
file moved or deleted under it is not acknowledged: device and inode are
read here, for both.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crumail.errors import DatabaseAliasError, StoreGoneError
from crumail.store.faults import missing

log = logging.getLogger("crumail.store")

# SQLite's files for a database: itself, the write-ahead log, the
# shared-memory index, and the rollback journal of a non-WAL moment.
SUFFIXES = ("", "-wal", "-shm", "-journal")

_databases: Counter[str] = Counter()   # path -> connections alive
_reported: set[tuple[str, tuple[int, int] | None]] = set()


def remember(database: Path | str, connection: object) -> None:
    """Note that ``connection`` (an object that lives as long as the connection)
    is open on ``database``; forgotten when it is collected, so a process that
    opened many databases (a test run) does not check every file against all."""
    if str(database) == ":memory:":
        return
    path = os.path.abspath(database)
    _databases[path] += 1
    weakref.finalize(connection, _forget, path)


def _forget(path: str) -> None:
    _databases[path] -= 1
    if _databases[path] <= 0:
        del _databases[path]


def identity(path: Path | str) -> tuple[int, int] | None:
    """The (device, inode) ``path`` names now, or None when it names nothing."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def own_file(path: Path | str, database: Path | str | None = None) -> str | None:
    """The name of the database file ``path`` is another name for, or None.

    Compared with every database this process opened, and ``database``
    (for a command that has not connected yet)."""
    wanted = identity(path)
    if wanted is None:
        return None
    known = set(_databases) | ({os.path.abspath(database)} if database is not None else set())
    for name in (f"{db}{suffix}" for db in sorted(known) for suffix in SUFFIXES):
        if identity(name) == wanted:
            return name
    return None


def refuse(path: Path | str, purpose: str, database: Path | str | None = None) -> None:
    """DatabaseAliasError when ``path`` is one of the database's own files."""
    name = own_file(path, database)
    if name is not None:
        raise DatabaseAliasError(f"{path} is crumail's own database file {name}; "
                                 f"it cannot be used to {purpose}: name another file")


def skip(path: Path | str, source: str) -> bool:
    """True (and one log line per file) when a mail source must not read ``path``."""
    name = own_file(path)
    if name is None:
        return False
    seen = (str(path), identity(path))
    if seen not in _reported:   # a drop folder is polled every few seconds: say it once
        _reported.add(seen)
        log.error("%s is crumail's own database file %s; not read, left in place: remove it",
                  path, name, extra={"event": "own_database_file", "source": source, "key": str(path)})
    return True


@dataclass(frozen=True)
class FileIdentity:
    """The database file a connection opened: its path, device and inode.

    A commit into a file whose folder was deleted succeeds (SQLite still
    holds it open), so after each commit the store checks that the path
    still names the same file, before anything is acknowledged.
    """

    path: Path
    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> "FileIdentity | None":
        found = None if str(path) == ":memory:" else identity(path)
        return None if found is None else cls(path, *found)

    def check(self) -> None:
        """Raise StoreGoneError when ``path`` no longer names the file opened."""
        found = identity(self.path)
        if found is None:
            raise missing(self.path)
        if found != (self.device, self.inode):
            raise StoreGoneError(f"database file was replaced: {self.path} is no longer the file "
                                 "crumail opened (moved, deleted or restored under it)", self.path)
