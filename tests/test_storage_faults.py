"""A full disk, a read-only database and a vanished database folder under a
real ``crumail run``: one clear log line naming the cause and the path, no
traceback, shown by ``crumail status``; nothing acknowledged that was not
committed; retried with backoff until it clears, then every message taken
in exactly once.  How each fault is made for real: tests/support/storage.py.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from support.process import crumail, wait_for
from support.process import Daemon, stored_ids as stored
from support.storage import drop, fill, immutable, mail_left, tmpfs, write_config

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


@dataclass
class Run:
    """A real `crumail run` on a drop folder, five messages already in."""

    daemon: Daemon
    config: Path
    database: Path
    inbox: Path
    first: set[str]

    def held_back(self, words: str, path: Path, state: str, left: int, code: int = 0) -> None:
        """The fault said once, tried again and again, nothing acknowledged, shown by status."""
        wait_for(lambda: said(self.daemon, words) and retried(self.daemon, 3), timeout=HANG_GUARD)
        assert len(mail_left(self.inbox)) == left                # none acknowledged
        assert_one_clear_line(self.daemon, words, path)
        returned, report = status(self.config)
        assert returned == code and report["storage"]["state"] == state, report
        assert {"counts", "drafts", "sources"} <= set(report)    # the contract's fields stay
        assert words in crumail("--config", str(self.config), "status").stdout

    def cleared(self, expected: set[str]) -> None:
        """Everything taken in once the fault is gone, each message once, said once."""
        wait_for(lambda: not mail_left(self.inbox) and self.daemon.lines("can be written again"),
                 timeout=HANG_GUARD)
        assert sorted(stored(self.database)) == sorted(expected)
        assert len(self.daemon.lines("can be written again")) == 1


@contextmanager
def running(tmp_path: Path, folder: Path) -> Iterator[Run]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    folder.mkdir(exist_ok=True)
    database = folder / "crumail.db"
    config = write_config(tmp_path, database, inbox)
    daemon = Daemon(config, tmp_path / "daemon.log")
    try:
        first = drop(inbox, range(1, 6), "before")
        wait_for(lambda: set(stored(database)) == first and not mail_left(inbox), timeout=HANG_GUARD)
        yield Run(daemon, config, database, inbox, first)
    finally:
        assert daemon.stop() == 0
    assert "Traceback" not in daemon.log()


def test_a_full_disk_is_said_once_holds_everything_back_and_clears(tmp_path):
    folder = tmp_path / "db"
    with tmpfs(folder, "32m"), running(tmp_path, folder) as run:
        filler = fill(folder)
        # Big enough that the WAL must grow: a commit that fits in WAL
        # space already allocated is not refused, and is not a fault.
        later = drop(run.inbox, range(1, 4), "during", size=400_000)
        run.held_back("disk full", folder, "full", left=3)
        filler.unlink()
        run.cleared(run.first | later)
        assert integrity_ok(run.database)


def test_a_read_only_database_is_said_once_holds_everything_back_and_clears(tmp_path):
    folder = tmp_path / "db"
    with running(tmp_path, folder) as run:
        with immutable(run.database, folder / "crumail.db-wal"):
            later = drop(run.inbox, range(1, 6), "during")
            run.held_back("read-only", run.database, "read-only", left=5)
        run.cleared(run.first | later)
    assert integrity_ok(run.database)


def test_a_vanished_database_folder_is_said_once_and_nothing_is_acknowledged(tmp_path):
    folder, backup = tmp_path / "db", tmp_path / "backup.db"
    with running(tmp_path, folder) as run:
        # The folder goes away (an unmounted volume, a rename) and comes back;
        # what is committed meanwhile goes into a file no longer there: not counted.
        folder.rename(tmp_path / "db.away")
        second = drop(run.inbox, range(1, 4), "away")
        run.held_back("database folder is gone", folder, "gone", left=3, code=1)
        assert not folder.exists(), "status must not make a new, empty database"
        (tmp_path / "db.away").rename(folder)
        run.cleared(run.first | second)

        # Now deleted for good: held back until the operator restores a backup.
        assert crumail("--config", str(run.config), "backup", str(backup)).returncode == 0
        shutil.rmtree(folder)
        third = drop(run.inbox, range(1, 4), "deleted")
        wait_for(lambda: len(said(run.daemon, "database folder is gone")) == 2 and retried(run.daemon, 6),
                 timeout=HANG_GUARD)
        assert len(mail_left(run.inbox)) == 3 and not folder.exists()
    restored = crumail("--config", str(run.config), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert crumail("--config", str(run.config), "run", "--once").returncode == 0
    assert sorted(stored(run.database)) == sorted(run.first | second | third)
    assert not mail_left(run.inbox)
    assert integrity_ok(run.database)


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
        users.add(db, "otto", "operator", hash_password("Otto keeps the mailbox tidy 7", "otto"))
    db.close()
    desk = Client(Desk(config))
    form = desk.get("/login").get_data(as_text=True)
    token = form.split('name="csrf" value="')[1].split('"')[0]
    assert desk.post("/login", data={"name": "otto", "password": "Otto keeps the mailbox tidy 7",
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
