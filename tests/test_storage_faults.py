"""A full disk, a read-only database and a vanished database folder under a
real ``crumail run``: one clear log line naming the cause and the path, no
traceback, shown by ``crumail status``; nothing acknowledged that was not
committed; retried with backoff until it clears, then every message taken
in exactly once.  How each fault is made for real: tests/servers/storage.py.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing

import pytest

from servers.crumail_run import crumail, wait_for
from servers.storage import Daemon, drop, fill, immutable, mail_left, stored, tmpfs, write_config

pytestmark = pytest.mark.slow

HANG_GUARD = 60          # seconds: a generous bound on waits, never an assertion on speed


def status(config) -> tuple[int, dict]:
    result = crumail("--config", str(config), "status", "--json")
    return result.returncode, json.loads(result.stdout)


def retried(daemon: Daemon, times: int) -> bool:
    """The daemon tried again at least ``times`` times since the fault (its debug lines)."""
    return len(daemon.lines("crumail.storage: still:")) >= times


def said(daemon: Daemon, words: str) -> list[str]:
    """Lines at error level (the guard's retries are at debug level) with ``words``."""
    return [line for line in daemon.lines(words) if " error " in line]


def assert_one_clear_line(daemon: Daemon, words: str, path) -> None:
    lines = said(daemon, words)
    assert len(lines) == 1, lines
    assert str(path) in lines[0]
    assert "Traceback" not in daemon.log() and "OperationalError" not in daemon.log()


def integrity_ok(database) -> bool:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_is_said_once_holds_everything_back_and_clears(tmp_path):
    inbox, folder = tmp_path / "inbox", tmp_path / "db"
    inbox.mkdir()
    with tmpfs(folder, "16m"):
        database = folder / "crumail.db"
        config = write_config(tmp_path, database, inbox)
        daemon = Daemon(config, tmp_path / "daemon.log")
        try:
            first = drop(inbox, range(1, 6), "before")
            wait_for(lambda: set(stored(database)) == first and not mail_left(inbox), timeout=HANG_GUARD)
            filler = fill(folder)
            # Big enough that the WAL must grow: a commit that fits in WAL
            # space already allocated is not refused, and is not a fault.
            later = drop(inbox, range(1, 4), "during", size=1_000_000)
            wait_for(lambda: daemon.lines("disk full") and retried(daemon, 3), timeout=HANG_GUARD)
            assert mail_left(inbox) == sorted(f"during-{n}.eml" for n in range(1, 4))  # none acknowledged
            assert not (inbox / "done" / "during-1.eml").exists()
            assert_one_clear_line(daemon, "disk full", folder)
            code, report = status(config)
            assert code == 0 and report["storage"]["state"] == "full", report
            assert "counts" in report and "sources" in report and "drafts" in report   # the contract's fields
            assert "disk full" in crumail("--config", str(config), "status").stdout

            filler.unlink()
            wait_for(lambda: not mail_left(inbox), timeout=HANG_GUARD)
            assert sorted(stored(database)) == sorted(first | later)             # each exactly once
            assert len(daemon.lines("can be written again")) == 1
        finally:
            assert daemon.stop() == 0
        assert integrity_ok(database)
        assert "Traceback" not in daemon.log()


def test_a_read_only_database_is_said_once_holds_everything_back_and_clears(tmp_path):
    inbox, folder = tmp_path / "inbox", tmp_path / "db"
    inbox.mkdir()
    folder.mkdir()
    database = folder / "crumail.db"
    config = write_config(tmp_path, database, inbox)
    daemon = Daemon(config, tmp_path / "daemon.log")
    try:
        first = drop(inbox, range(1, 6), "before")
        wait_for(lambda: set(stored(database)) == first and not mail_left(inbox), timeout=HANG_GUARD)
        with immutable(database, folder / "crumail.db-wal"):
            later = drop(inbox, range(1, 6), "during")
            wait_for(lambda: daemon.lines("read-only") and retried(daemon, 3), timeout=HANG_GUARD)
            assert len(mail_left(inbox)) == 5                                    # none acknowledged
            assert_one_clear_line(daemon, "read-only", database)
            code, report = status(config)
            assert code == 0 and report["storage"]["state"] == "read-only", report
            assert "read-only" in crumail("--config", str(config), "status").stdout
        wait_for(lambda: not mail_left(inbox), timeout=HANG_GUARD)
        assert sorted(stored(database)) == sorted(first | later)
        assert len(daemon.lines("can be written again")) == 1
    finally:
        assert daemon.stop() == 0
    assert integrity_ok(database)
    assert "Traceback" not in daemon.log()


def test_a_vanished_database_folder_is_said_once_and_nothing_is_acknowledged(tmp_path):
    inbox, folder = tmp_path / "inbox", tmp_path / "db"
    inbox.mkdir()
    folder.mkdir()
    database = folder / "crumail.db"
    config = write_config(tmp_path, database, inbox)
    daemon = Daemon(config, tmp_path / "daemon.log")
    try:
        first = drop(inbox, range(1, 6), "before")
        wait_for(lambda: set(stored(database)) == first and not mail_left(inbox), timeout=HANG_GUARD)

        # The folder goes away (an unmounted volume, a rename) and comes back.
        folder.rename(tmp_path / "db.away")
        second = drop(inbox, range(1, 4), "away")
        wait_for(lambda: daemon.lines("database folder is gone") and retried(daemon, 3), timeout=HANG_GUARD)
        assert len(mail_left(inbox)) == 3            # committed, if at all, into a file no longer there
        assert_one_clear_line(daemon, "database folder is gone", folder)
        code, report = status(config)
        assert code == 1 and report["storage"]["state"] == "gone", report
        assert not folder.exists(), "status must not make a new, empty database"
        (tmp_path / "db.away").rename(folder)
        wait_for(lambda: not mail_left(inbox), timeout=HANG_GUARD)
        assert sorted(stored(database)) == sorted(first | second)
        assert len(daemon.lines("can be written again")) == 1

        # Now deleted for good: kept back until the operator restores a backup.
        backup = tmp_path / "backup.db"
        assert crumail("--config", str(config), "backup", str(backup)).returncode == 0
        shutil.rmtree(folder)
        third = drop(inbox, range(1, 4), "deleted")
        wait_for(lambda: len(said(daemon, "database folder is gone")) == 2 and retried(daemon, 6),
                 timeout=HANG_GUARD)
        assert len(mail_left(inbox)) == 3 and not folder.exists()
    finally:
        assert daemon.stop() == 0
    assert "Traceback" not in daemon.log()
    restored = crumail("--config", str(config), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert crumail("--config", str(config), "run", "--once").returncode == 0
    assert sorted(stored(database)) == sorted(first | second | third)
    assert not mail_left(inbox)
    assert integrity_ok(database)


def test_the_desk_shows_a_storage_fault_in_a_banner_and_refuses_writes_with_a_503(tmp_path):
    from werkzeug.test import Client

    from crumail.config import from_dict
    from crumail.store import open_database, users
    from crumail.store.db import transaction
    from crumail.web.app import Desk
    from crumail.web.auth import hash_password

    config = from_dict({"database": {"path": str(tmp_path / "db" / "crumail.db")}, "source": []}, tmp_path)
    db = open_database(config.database)
    with transaction(db):
        users.add(db, "otto", "operator", hash_password("a long enough password"))
    db.close()
    desk = Client(Desk(config))
    form = desk.get("/login").get_data(as_text=True)
    token = form.split('name="csrf" value="')[1].split('"')[0]
    assert desk.post("/login", data={"name": "otto", "password": "a long enough password",
                                     "csrf": token}).status_code == 303
    page = desk.get("/sources").get_data(as_text=True)
    assert "storage-fault" not in page and "Last backup" in page
    database = config.database
    with immutable(database, tmp_path / "db" / "crumail.db-wal"):
        page = desk.get("/queue")
        assert page.status_code == 200
        assert "Storage read-only" in page.get_data(as_text=True) and str(database) in page.get_data(as_text=True)
        token = page.get_data(as_text=True).split('name="csrf" value="')[1].split('"')[0]
        out = desk.post("/logout", data={"csrf": token})        # a write: refused, said plainly
        assert out.status_code == 503, out.get_data(as_text=True)[:500]
        assert "read-only" in out.get_data(as_text=True) and "Traceback" not in out.get_data(as_text=True)
        health = desk.get("/healthz")
        assert health.status_code == 503 and health.json["storage"] == "read-only"
    assert desk.get("/healthz").status_code == 200
    assert desk.post("/logout", data={"csrf": token}).status_code == 303    # the next request reconnects
