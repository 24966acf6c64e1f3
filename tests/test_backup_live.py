"""`crumail backup` and `crumail restore` round-trip a live database: the
backup is taken while a real `crumail run` takes mail in from Dovecot, and
after the restore crumail takes in the rest exactly once."""

from __future__ import annotations

import threading
from contextlib import closing
import sqlite3

import pytest

from support import mailgen
from support.process import crumail, wait_for
from support.config import write_toml
from support.process import Daemon, stored_ids as stored

pytestmark = [pytest.mark.server, pytest.mark.slow]

TOTAL = 400
HANG_GUARD = 120


def integrity(path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_backup_and_restore_round_trip_a_live_database_while_the_daemon_writes(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(100, "live"))
    options = dovecot.source_options(imap_user, mode="poll", interval=0.2, fetch_chunk=10)
    config = write_toml(tmp_path / "crumail.toml", options, daemon={"batch_size": 5})
    database, folder = tmp_path / "crumail.db", tmp_path / "backups"
    folder.mkdir()
    stop_feeding = threading.Event()
    appended = [100]

    def feed() -> None:           # more mail keeps arriving on the server meanwhile
        for first in range(101, TOTAL + 1, 10):
            if stop_feeding.wait(0.05):
                return
            dovecot.append(imap_user, "INBOX", mailgen.messages(10, "live", first=first))
            appended[0] = first + 9

    feeder = threading.Thread(target=feed)
    daemon = Daemon(config, tmp_path / "daemon.log", verbose=False)
    try:
        feeder.start()
        wait_for(lambda: len(stored(database)) >= 60, timeout=HANG_GUARD)
        committed = set(stored(database))                  # every message committed before the backup
        result = crumail("--config", str(config), "backup", f"{folder}/")
        assert result.returncode == 0, result.stderr
        (backup,) = folder.iterdir()
        wait_for(lambda: len(stored(database)) > len(stored(backup)), timeout=HANG_GUARD)  # it went on writing
    finally:
        stop_feeding.set()
        feeder.join()
        assert daemon.stop() == 0
    in_backup = stored(backup)
    assert integrity(backup) == "ok"
    assert committed <= set(in_backup) and len(in_backup) == len(set(in_backup))
    assert len(stored(database)) > len(in_backup)

    restored = crumail("--config", str(config), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert stored(database) == in_backup
    assert not (tmp_path / "crumail.db-wal").exists()

    result = crumail("--config", str(config), "run", "--once")   # the rest, from the server
    assert result.returncode == 0, result.stderr
    after = stored(database)
    assert len(after) == len(set(after))                         # nothing twice
    assert set(after) == mailgen.message_ids(appended[0], "live")  # everything on the server
    assert integrity(database) == "ok"
