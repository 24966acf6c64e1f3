"""The store's storage-fault edge and the daemon's storage guard, on real files."""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest

from crumail.errors import ReadOnlyStoreError, StorageFaultError, StorageFullError, StoreGoneError
from crumail.intake.storage_guard import StorageGuard
from crumail.store import faults, open_database
from crumail.store.db import transaction
from support.storage import fill, immutable, tmpfs


def sqlite_error(code: int, text: str) -> sqlite3.OperationalError:
    """An error as SQLite raises it (its code is what fault_from reads)."""
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code
    return error


def test_sqlite_errors_become_storage_faults_only_when_the_disk_is_to_blame(tmp_path):
    database = tmp_path / "crumail.db"
    open_database(database).close()
    assert isinstance(faults.fault_from(sqlite_error(13, "database or disk is full"), database), StorageFullError)
    assert isinstance(faults.fault_from(sqlite_error(8, "attempt to write a readonly database"), database),
                      ReadOnlyStoreError)
    plain_io = faults.fault_from(sqlite_error(4874, "disk I/O error"), database)
    assert type(plain_io) is StorageFaultError and plain_io.state == "io-error"
    assert faults.fault_from(sqlite3.IntegrityError("UNIQUE constraint failed"), database) is None
    assert faults.fault_from(sqlite_error(5, "database is locked"), database) is None
    gone = faults.fault_from(sqlite_error(4874, "disk I/O error"), tmp_path / "nowhere" / "crumail.db")
    assert isinstance(gone, StoreGoneError) and "database folder is gone" in str(gone)
    with immutable(database):
        found = faults.fault_from(sqlite_error(778, "disk I/O error"), database)
        assert isinstance(found, ReadOnlyStoreError) and str(database) in str(found)
    with tmpfs(tmp_path / "small", "1m") as small:
        (small / "crumail.db").write_bytes(b"")
        fill(small)
        found = faults.fault_from(sqlite_error(4874, "disk I/O error"), small / "crumail.db")
        assert isinstance(found, StorageFullError) and "disk full" in str(found)
        assert faults.probe(small / "crumail.db").state == "full"


def test_a_commit_into_a_moved_folder_is_not_counted_and_no_new_database_is_made(tmp_path):
    folder = tmp_path / "db"
    db = open_database(folder / "crumail.db")
    db.execute("CREATE TABLE t (x)")
    folder.rename(tmp_path / "away")
    with pytest.raises(StoreGoneError, match="database folder is gone"):
        with transaction(db):
            db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(StoreGoneError):
        open_database(folder / "crumail.db", create=False)
    assert not folder.exists()
    moved = open_database(tmp_path / "away" / "crumail.db")
    assert moved.execute("SELECT count(*) FROM t").fetchone()[0] == 1   # there, in a file no longer in place
    db.close()
    moved.close()


def test_the_guard_says_each_cause_once_paces_the_jobs_and_says_when_it_clears(tmp_path, caplog):
    database = tmp_path / "crumail.db"
    open_database(database).close()
    guard = StorageGuard(database, retry_max=60)
    calls = []

    def job(exc: Exception | None) -> str:
        calls.append(exc)
        if exc is not None:
            raise exc
        return "done"

    run = guard.guarded(job)
    caplog.set_level(logging.DEBUG, logger="crumail.storage")
    full = StorageFullError(f"disk full: {tmp_path} has 0 bytes free", tmp_path)
    assert run(full) is None and guard.blocked()
    assert run(None) is None and len(calls) == 1                   # held back until the next try
    guard._retry_at = 0.0
    assert run(sqlite_error(13, "database or disk is full")) is None   # the same cause again: not said again
    guard._retry_at = 0.0
    assert run(StoreGoneError("database folder is gone: /x", "/x")) is None   # a new cause: said
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 2 and "disk full" in errors[0] and "gone" in errors[1]
    with pytest.raises(ValueError):                                # a bug is not a storage fault
        guard._retry_at = 0.0
        run(ValueError("a bug"))
    guard.succeeded()
    assert guard.fault is None and not guard.blocked()
    said = [r.getMessage() for r in caplog.records if "can be written again" in r.getMessage()]
    assert len(said) == 1 and str(database) in said[0]
    assert guard.wait(threading.Event()) is False


def test_crumail_run_on_a_full_disk_says_so_in_one_line(tmp_path):
    from support.process import crumail
    from support.storage import write_config

    (tmp_path / "inbox").mkdir()
    with tmpfs(tmp_path / "db", "1m") as folder:
        fill(folder)
        config = write_config(tmp_path, folder / "crumail.db", tmp_path / "inbox")
        result = crumail("--config", str(config), "run", "--once")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"crumail: disk full: {folder}/crumail.db.lock cannot be written (No space left on device)"]
