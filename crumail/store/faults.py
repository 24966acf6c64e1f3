"""The disk under the database: what is wrong with it, in words an operator acts on.

SQLite says "database or disk is full" when a write finds no room, but
"disk I/O error" when the same full disk stops it growing its shared-memory
index; "attempt to write a readonly database" for a file it opened read-only,
but "disk I/O error" for a file made read-only after it was opened; and it
goes on writing, without a word, into a database whose folder was deleted,
because its files are still open.  So the store looks at the filesystem
itself and raises StorageFullError, ReadOnlyStoreError or StoreGoneError
naming the path.  It only ever stats: opening (and so closing) a descriptor
of the database or its WAL would drop SQLite's locks (see db.py).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from crumail.errors import ReadOnlyStoreError, StorageFaultError, StorageFullError, StoreGoneError

# Less free space than this on the database's filesystem is "full" for
# `crumail status` and the desk: SQLite needs room for the WAL, its index
# and a checkpoint before a batch of mail fits.
FULL_BELOW_BYTES = 1024 * 1024

# SQLite's primary result codes that can mean the storage, not the SQL, is at fault.
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 8, 10, 13, 14
STORAGE_CODES = frozenset({SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN})


@dataclass(frozen=True)
class Health:
    """What the filesystem says about the database now."""

    state: str                  # "ok", "full", "read-only", "gone"
    detail: str                 # one line for an operator
    path: str
    free_bytes: int | None = None

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    def as_dict(self) -> dict[str, object]:
        return {"state": self.state, "detail": self.detail, "path": self.path,
                "free_bytes": self.free_bytes}


def probe(database: Path) -> Health:
    """The database's storage health: a few stat calls, no descriptor opened."""
    fault = diagnose(database)
    free = free_bytes(database.parent)
    if fault is None:
        return Health("ok", f"{database} can be written ({free:,} bytes free)", str(database), free)
    return Health(fault.state, str(fault), str(fault.path), free)


def diagnose(database: Path) -> StorageFaultError | None:
    """The fault the filesystem shows for ``database``, or None when it looks writable."""
    folder = database.parent
    if not folder.is_dir():
        return StoreGoneError(f"database folder is gone: {folder}", folder)
    if not database.exists():
        return StoreGoneError(f"database file is gone: {database}", database)
    try:
        fs = os.statvfs(folder)
    except OSError:
        return StoreGoneError(f"database folder is gone: {folder}", folder)
    if fs.f_flag & os.ST_RDONLY:
        return ReadOnlyStoreError(f"read-only: {database} (its filesystem is mounted read-only)", database)
    for name in (database, Path(f"{database}-wal")):
        if name.exists() and not os.access(name, os.W_OK):
            return ReadOnlyStoreError(f"read-only: {name} cannot be written (its permissions or "
                                      "its immutable attribute)", name)
    free = fs.f_bavail * fs.f_frsize
    if free < FULL_BELOW_BYTES:
        return StorageFullError(f"disk full: {folder} has {free:,} bytes free", folder)
    return None


def free_bytes(folder: Path) -> int | None:
    try:
        fs = os.statvfs(folder)
    except OSError:
        return None
    return fs.f_bavail * fs.f_frsize


def fault_from(exc: BaseException, database: Path | None) -> StorageFaultError | None:
    """The storage fault behind ``exc``, or None when the disk is not to blame."""
    if isinstance(exc, StorageFaultError):
        return exc
    if not isinstance(exc, sqlite3.Error) or database is None or str(database) == ":memory:":
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary not in STORAGE_CODES:
        return None
    found = diagnose(database)
    if found is not None:
        return found
    if primary == SQLITE_FULL:
        free = free_bytes(database.parent)
        return StorageFullError(f"disk full: no room to write {database} "
                                f"({free or 0:,} bytes free, too few for this write)", database)
    if primary == SQLITE_READONLY:
        return ReadOnlyStoreError(f"read-only: {database} cannot be written ({exc})", database)
    return StorageFaultError(f"{exc} on {database}", database)


def from_os_error(exc: OSError, path: Path) -> StorageFaultError:
    """A file beside the database (the run lock, a copy) that could not be written."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return StorageFullError(f"disk full: {path} cannot be written ({reason})", path)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyStoreError(f"read-only: {path} cannot be written ({reason})", path)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return StoreGoneError(f"database folder is gone: {path.parent}", path.parent)
    return StorageFaultError(f"{path}: {reason}", path)


def missing(database: Path) -> StoreGoneError:
    """The error for a database that should be there and is not."""
    if not database.parent.is_dir():
        return StoreGoneError(f"database folder is gone: {database.parent}", database.parent)
    return StoreGoneError(f"database file is gone: {database}", database)

