"""Opening the database: file mode 0600, WAL, foreign keys, migrations."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from sqlite_utils import Database

from crumail.errors import StoreError
from crumail.store import faults, own_files
from crumail.store.migrations import migrations

BUSY_TIMEOUT_MS = 10_000
WAL_ATTEMPTS = 50


def open_database(path: Path | str, create: bool = True) -> Database:
    """Open the database at ``path`` and migrate it.

    ``create=False`` refuses (StoreGoneError) a database that is not there:
    a process that has used it once must not start a new, empty one where
    a deleted or unmounted one was.
    """
    path = Path(path)
    try:
        conn = _connect(path, create)
        db = Database(conn)
        db.crumail_file = own_files.FileIdentity.of(path)  # type: ignore[attr-defined]
        own_files.remember(path, db)
        _configure(db)
        _migrate(db)
    except sqlite3.DatabaseError as exc:
        raise faults.fault_from(exc, path) or StoreError(f"database {path} cannot be opened: {exc}") from None
    except OSError as exc:
        raise StoreError(f"database {path} cannot be created: {exc}") from None
    return db


def database_path(db: Database) -> Path | None:
    """The file ``db`` was opened on by :func:`open_database` (None otherwise)."""
    found = getattr(db, "crumail_file", None)
    return found.path if found is not None else None


_CREATE_LOCK = threading.Lock()


def _connect(path: Path, create: bool = True) -> sqlite3.Connection:
    """Connect without ever opening (and so closing) a descriptor of our own.

    On Linux, closing *any* descriptor of a file drops every POSIX lock the
    process holds on it, SQLite's included ("How To Corrupt An SQLite
    Database File", 2.2): another process then believes it is the last
    user and deletes the WAL from under us.  So crumail never touches the
    file itself.  A new database is created by SQLite under a 0077 umask,
    which makes it (and the -wal and -shm SQLite later gives the same mode)
    0600; the umask is process-wide, so creation is serialised and the mask
    put back at once.
    """
    if str(path) == ":memory:" or path.exists():
        return _sqlite_connect(path)
    if not create:
        raise faults.missing(path)
    with _CREATE_LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        old = os.umask(0o077)
        try:
            return _sqlite_connect(path)
        finally:
            os.umask(old)


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)


def _migrate(db: Database) -> None:
    """Apply pending migrations; an up-to-date database is only read.

    Several connections may open a new database at once (the daemon's
    threads, a CLI command beside it).  The first to find work takes the
    write lock up front (``BEGIN IMMEDIATE``, waiting out the others) and
    looks again inside it, so each migration runs once; the migrations
    themselves then run as savepoints of that one transaction.
    """
    if not migrations.pending(db):
        return
    with transaction(db):
        if migrations.pending(db):
            migrations.apply(db)


def _configure(db: Database) -> None:
    # Erased bytes are overwritten with zeros, not left in free pages or the
    # WAL (crumail.privacy); a new file frees pages as they empty, an older
    # one once `crumail retention apply` has vacuumed it (store/retention.py).
    db.execute("PRAGMA secure_delete=ON")
    if db.execute("PRAGMA page_count").fetchone()[0] == 0:
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")
    _use_wal(db)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _use_wal(db: Database) -> None:
    """Switch a new database to WAL; once switched, it stays so for every connection.

    The switch needs the database to itself and SQLite does not wait for
    that (no busy handler), so two connections opening a new database at
    once retry here until one of them has done it.
    """
    for attempt in range(WAL_ATTEMPTS):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


class transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: take the write lock up front, so two
    writers (the daemon and a CLI command) wait for each other instead of
    failing half-way; nested use becomes a savepoint.

    This is the store's edge for writes: a full, read-only or vanished disk
    comes out as a StorageFaultError naming the path, and a commit counts
    only once the database file is still where it was opened (a commit into
    a deleted folder's file "succeeds"), so nothing is acknowledged on it.
    """

    def __init__(self, db: Database):
        self.db = db
        self._nested = None

    def __enter__(self) -> Database:
        if self.db.conn.in_transaction:
            self._nested = self.db.atomic()
            return self._nested.__enter__()
        try:
            self.db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise faults.fault_from(exc, database_path(self.db)) or exc
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._nested is not None:
            self._nested.__exit__(exc_type, exc, tb)
            return
        if exc_type is None:
            self._commit()
            return
        self._rollback()
        fault = faults.fault_from(exc, database_path(self.db))
        if fault is not None and fault is not exc:
            raise fault from None

    def _commit(self) -> None:
        try:
            self.db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise faults.fault_from(exc, database_path(self.db)) or exc
        identity = getattr(self.db, "crumail_file", None)
        if identity is not None:
            identity.check()

    def _rollback(self) -> None:
        if self.db.conn.in_transaction:
            try:
                self.db.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the connection is dropped by whoever handles the fault


def fetch_dicts(db: Database, sql: str, params: list | tuple | None = None) -> list[dict]:
    """Every row of a query as a dict keyed by column name."""
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def fetch_dict(db: Database, sql: str, params: list | tuple | None = None) -> dict | None:
    """The first row of a query as a dict, or None."""
    cursor = db.execute(sql, params or [])
    found = cursor.fetchone()
    return None if found is None else dict(zip([d[0] for d in cursor.description], found))
