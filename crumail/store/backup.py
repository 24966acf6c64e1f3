"""Backups and restores of the database, through SQLite's own online backup.

A backup is a consistent copy taken while the daemon writes (SQLite's backup
API reads one snapshot; WAL writers are not held up), written under a hidden
temporary name beside the target, made self-contained (rollback journal, no
-wal), checked with ``PRAGMA integrity_check`` and renamed into place, mode
0600 from the moment it exists.  A restore checks its source the same way,
refuses a database this crumail does not know or one newer than it, and
replaces the live database by renames only.

The live database's own file, -wal and -shm are never opened here: closing
such a descriptor drops SQLite's locks (db.py); SQLite reads and locks them.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from crumail import clock
from crumail.errors import BackupError
from crumail.store import faults
from crumail.store.db import database_path, fetch_dict, transaction
from crumail.store.migrations import migrations

STAMP = "%Y%m%dT%H%M%SZ"
COMPANIONS = ("-wal", "-shm", "-journal")     # SQLite's files beside a database
SQLITE_CORRUPT = 11
RESTORE_WAIT_SECONDS = 5                      # how long a restore waits for a reader to finish


@dataclass(frozen=True)
class Verified:
    """A database file that passed ``integrity_check``, and what it holds."""

    path: Path
    bytes: int
    messages: int
    migrations: tuple[str, ...]

    @property
    def schema(self) -> str:
        last = self.migrations[-1] if self.migrations else "none"
        return f"{last} ({len(self.migrations)} migrations)"


@dataclass(frozen=True)
class Restored:
    verified: Verified
    database: Path
    aside: tuple[Path, ...]     # the replaced database (and its -wal ...), kept


def dated_name(database: Path, when: datetime) -> str:
    return f"{database.stem}-{when.astimezone(timezone.utc).strftime(STAMP)}.db"


def target_for(dest: str | Path, database: Path, when: datetime) -> Path:
    """DEST itself, or a dated file in it when it is a folder (or ends with a slash)."""
    folder = str(dest).endswith(os.sep)
    dest = Path(dest).absolute()
    if dest.is_dir():
        return dest / dated_name(database, when)
    if folder:
        raise BackupError(f"backup folder {dest} does not exist")
    return dest


# -- backup -------------------------------------------------------------------
def backup(db: Database, dest: str | Path, when: datetime | None = None) -> Verified:
    """Copy the live database ``db`` to ``dest`` (a file, or a folder); verified."""
    live = database_path(db)
    if live is None:
        raise BackupError("only a database opened from a file can be backed up")
    target = target_for(dest, live, when or clock.now())
    _refuse_live(target, live)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        _copy(db.conn, partial)
        verified = verify(partial)
        _sync(partial)
        os.replace(partial, target)
        _sync(target.parent)
    except (sqlite3.Error, OSError, BackupError) as exc:
        _remove(partial)
        raise BackupError(f"backup to {target} failed: {_reason(exc, target.parent)}; "
                          "nothing was written there") from None
    except BaseException:
        _remove(partial)
        raise
    return replace(verified, path=target)


def _copy(source: sqlite3.Connection, path: Path) -> None:
    """SQLite's online backup of ``source`` into a new private file at ``path``."""
    _new_private_file(path)
    copy = sqlite3.connect(path, isolation_level=None)
    try:
        source.backup(copy)                       # one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal to lose
    finally:
        copy.close()


def _refuse_live(target: Path, live: Path) -> None:
    names = {Path(f"{live}{suffix}").resolve() for suffix in ("", *COMPANIONS)}
    if target.resolve() in names or (target.exists() and target.samefile(live)):
        raise BackupError(f"{target} is the live database (or one of its files): choose another place")


# -- checking -----------------------------------------------------------------
def verify(path: Path) -> Verified:
    """Open ``path`` read-only and check it: intact, a crumail database."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened: {exc}") from None
    # A damaged file's text (integrity_check quotes names from it) need not
    # be UTF-8: read it with replacement characters rather than fail on it.
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise BackupError(f"{path} is damaged: integrity_check says {'; '.join(problems)[:500]}")
        applied = _applied(conn, path)
        messages = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        damaged = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_CORRUPT
        raise BackupError(f"{path} {'is damaged' if damaged else 'is not a usable SQLite database'}: "
                          f"{exc}") from None
    except UnicodeDecodeError:
        # SQLite's own error message quoted the damaged bytes, and Python reads
        # error messages as strict UTF-8: the file is damaged all the same.
        raise BackupError(f"{path} is damaged: SQLite's report of it is not even readable text") from None
    finally:
        conn.close()
    return Verified(path, path.stat().st_size, messages, applied)


def _applied(conn: sqlite3.Connection, path: Path) -> tuple[str, ...]:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "_sqlite_migrations" not in tables or "messages" not in tables:
        raise BackupError(f"{path} is not a crumail database (no crumail migrations or messages)")
    names = tuple(row[0] for row in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [migrations.name]))
    if not names:
        raise BackupError(f"{path} is not a crumail database (no crumail migrations applied)")
    return names


def known_migrations() -> tuple[str, ...]:
    """Every migration this version of crumail has (all are pending on an empty database)."""
    return tuple(m.name for m in migrations.pending(Database(memory=True)))


def refuse_newer(verified: Verified) -> None:
    unknown = [name for name in verified.migrations if name not in set(known_migrations())]
    if unknown:
        raise BackupError(f"{verified.path} was written by a newer crumail (migrations this version "
                          f"does not have: {', '.join(unknown[:5])}); install that version to restore it")


# -- restore ------------------------------------------------------------------
def restore(source: Path, database: Path, when: datetime | None = None) -> Restored:
    """Put a verified copy of ``source`` in place of ``database``.

    The caller holds the run lock (no daemon).  The live database is set
    aside with its -wal and -shm, so no stale WAL can be applied to the
    restored file; a database open in another process is refused.
    """
    stamp = (when or clock.now()).astimezone(timezone.utc).strftime(STAMP)
    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    stage = database.with_name(f".{database.name}.restore-{os.getpid()}")
    try:
        verified = _stage(source, stage)
        _quiesce(database)
        aside = _set_aside(database, _free_name(Path(f"{database}.pre-restore-{stamp}")))
        os.replace(stage, database)
        _sync(database.parent)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"restore of {source} failed: {_reason(exc, database.parent)}") from None
    finally:
        _remove(stage)
    return Restored(replace(verified, path=Path(source)), database, aside)


def _stage(source: Path, stage: Path) -> Verified:
    checked = verify(source)
    refuse_newer(checked)
    reader = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    try:
        _copy(reader, stage)
    finally:
        reader.close()
    verified = verify(stage)
    _sync(stage)
    return verified


def _quiesce(database: Path) -> None:
    """Fold the live database's WAL into it, and refuse if another process has it open.

    Every process with the database open holds a shared lock on it; SQLite's
    exclusive locking mode asks for the whole file, so it fails while anyone
    else (``crumail serve``, a command, the sqlite3 shell) is there.
    """
    if not database.exists():
        return
    conn = sqlite3.connect(database, timeout=RESTORE_WAIT_SECONDS, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=DELETE")   # checkpoints and removes the WAL
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(f"{database} is open in another process (crumail serve, a command, "
                              "the sqlite3 shell): stop it, then restore") from None
    except sqlite3.DatabaseError:
        pass  # a damaged database is what restores are for: it is set aside as it is
    finally:
        conn.close()


def _set_aside(database: Path, aside: Path) -> tuple[Path, ...]:
    """Rename the database and any -wal, -shm or -journal to ``aside``; never delete."""
    moved = []
    for suffix in ("", *COMPANIONS):
        here = Path(f"{database}{suffix}")
        if here.exists() or here.is_symlink():
            there = Path(f"{aside}{suffix}")
            os.replace(here, there)
            moved.append(there)
    return tuple(moved)


def _free_name(wanted: Path) -> Path:
    """``wanted``, or ``wanted.N`` when a set-aside database of that name is already kept."""
    candidate, n = wanted, 1
    while any(Path(f"{candidate}{s}").exists() for s in ("", *COMPANIONS)):
        candidate, n = Path(f"{wanted}.{n}"), n + 1
    return candidate


# -- the record of backups ----------------------------------------------------
def record(db: Database, started: datetime, path: Path, verified: Verified | None,
           error: str | None = None) -> None:
    """Note a backup (or its failure) in the live database, for status and the schedule."""
    row = (clock.stamp(started), clock.stamp(), str(verified.path if verified else path),
           verified.bytes if verified else None, verified.messages if verified else None,
           verified.schema if verified else None, error)
    with transaction(db):
        db.execute("INSERT INTO backups (started_at, finished_at, path, bytes, messages, schema, error) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", row)


def last(db: Database) -> dict | None:
    """The newest backup that succeeded."""
    return fetch_dict(db, "SELECT * FROM backups WHERE error IS NULL ORDER BY id DESC LIMIT 1")


def last_failure(db: Database) -> dict | None:
    """The newest failure, when no backup has succeeded since."""
    found = fetch_dict(db, "SELECT * FROM backups ORDER BY id DESC LIMIT 1")
    return found if found is not None and found["error"] is not None else None


# -- files --------------------------------------------------------------------
def _new_private_file(path: Path) -> None:
    """Create ``path`` empty, mode 0600, refusing anything already there (links too)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.close(fd)


def _sync(path: Path) -> None:
    """fsync a finished copy or a folder (never the live database: see db.py)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove a copy of ours that failed, with any journal SQLite left beside it."""
    for name in (path, *(Path(f"{path}{suffix}") for suffix in COMPANIONS)):
        try:
            name.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: the name is hidden and says what it is


def _reason(exc: BaseException, folder: Path) -> str:
    full = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or (
        isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == faults.SQLITE_FULL)
    if full:
        return f"disk full: {folder} has {faults.free_bytes(folder) or 0:,} bytes free"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}"
    return str(exc)

