"""`crumail backup` and `crumail restore` through the real CLI, and the
daemon's daily backup with its retention: what is written, what is refused,
and that a failure leaves nothing behind."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from datetime import datetime, time, timezone
from pathlib import Path

import pytest

from crumail import config as config_mod
from crumail.errors import ConfigError
from crumail.intake.daemon import Daemon
from crumail.intake.daily_backup import DailyBackup, Schedule, backup_files, due, prune
from crumail.intake.lock import RunLock
from crumail.store.migrations import migrations
from support.process import crumail
from support.storage import drop, tmpfs, write_config
from support.process import stored_ids as stored

BACKUP_NAME = r"crumail-\d{8}T\d{6}Z\.db"


@pytest.fixture
def unit(tmp_path):
    """A config and a database holding five messages taken in by `crumail ingest`."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    database = tmp_path / "data" / "crumail.db"
    database.parent.mkdir()
    config = write_config(tmp_path, database, inbox)
    ids = drop(inbox, range(1, 6), "bk")
    assert crumail("--config", str(config), "ingest", str(inbox)).returncode == 0
    assert set(stored(database)) == ids
    return config, database, ids


def cli(config: Path, *args: str):
    return crumail("--config", str(config), *args)


def identity(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_dev, found.st_ino


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_a_backup_into_a_folder_is_dated_private_verified_and_shown(unit, tmp_path):
    config, database, ids = unit
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli(config, "backup", str(folder))
    assert result.returncode == 0, result.stderr
    (made,) = list(folder.iterdir())
    assert re.fullmatch(BACKUP_NAME, made.name)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert integrity(made) == "ok" and set(stored(made)) == ids
    latest = migrations._migrations[-1].name           # the schema's newest migration, whichever it is
    assert "integrity_check ok" in result.stdout and latest in result.stdout and str(made) in result.stdout
    assert not Path(f"{made}-wal").exists()                  # self-contained: no WAL to carry along
    report = json.loads(cli(config, "status", "--json").stdout)
    assert report["backup"]["last"]["path"] == str(made) and report["backup"]["last"]["messages"] == 5
    assert "backup: last" in cli(config, "status").stdout

    again = cli(config, "backup", str(tmp_path / "latest.db"))   # a file name: replaced atomically each time
    assert again.returncode == 0 and cli(config, "backup", str(tmp_path / "latest.db")).returncode == 0
    assert stat.S_IMODE((tmp_path / "latest.db").stat().st_mode) == 0o600


def test_a_backup_that_cannot_be_written_says_why_and_leaves_nothing(unit, tmp_path):
    config, database, ids = unit
    missing = cli(config, "backup", str(tmp_path / "nowhere") + "/")
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1

    live = cli(config, "backup", str(database))
    assert live.returncode == 1 and "live database" in live.stderr
    assert set(stored(database)) == ids and integrity(database) == "ok"

    drop(tmp_path / "inbox", range(10, 14), "big", size=300_000)   # a database over 1 MB
    assert cli(config, "ingest", str(tmp_path / "inbox")).returncode == 0
    with tmpfs(tmp_path / "small", "256k") as small:
        full = cli(config, "backup", str(small) + "/")
        assert full.returncode == 1, full.stdout
        assert "disk full" in full.stderr and str(small) in full.stderr and "Traceback" not in full.stderr
        assert list(small.iterdir()) == []                      # no partial file left


def _corrupt(path: Path) -> None:
    # Seeded, so a failure repeats; the garbage lands in cells whose text
    # SQLite then quotes in integrity_check's messages (not valid UTF-8).
    rng = random.Random(1)
    data = bytearray(path.read_bytes())
    page = 4096
    for i in range(2 * page, len(data) - page, page):           # every page after the second one
        data[i + 100:i + 400] = rng.randbytes(300)
    path.write_bytes(bytes(data))


def _damaged_not_utf8(path: Path) -> None:
    """A table whose name is not UTF-8 and whose row breaks its NOT NULL: integrity_check quotes the name."""
    name = b"t\xcb"
    sql = b'CREATE TABLE "' + name + b'" (a TEXT NOT NULL)'
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE t (a TEXT)")
        conn.execute("INSERT INTO t VALUES (NULL)")
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("UPDATE sqlite_master SET name = CAST(? AS TEXT), tbl_name = CAST(? AS TEXT), "
                     "sql = CAST(? AS TEXT) WHERE name = 't'", [name, name, sql])


def _not_utf8(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE _sqlite_migrations SET name = CAST(x'cbff2f' AS TEXT) "
                     "WHERE rowid = (SELECT max(rowid) FROM _sqlite_migrations)")


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('crumail', 'm999_from_the_future', '2030-01-01')")


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")


def _noise(path: Path) -> None:
    path.write_bytes(random.Random(2).randbytes(8192))


@pytest.mark.parametrize("spoil, reason", [
    (_noise, "not a usable SQLite database"),
    (_foreign, "not a crumail database"),
    (_corrupt, "damaged"),
    (_newer, "newer crumail"),
    (_not_utf8, "newer crumail"),
    (_damaged_not_utf8, "damaged"),
])
def test_restore_refuses_a_source_that_is_not_a_sound_crumail_backup(unit, tmp_path, spoil, reason):
    config, database, ids = unit
    source = tmp_path / "source.db"
    assert cli(config, "backup", str(source)).returncode == 0
    spoil(source)
    before = identity(database)
    result = cli(config, "restore", str(source))
    assert result.returncode == 1, result.stdout
    assert reason in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert identity(database) == before and set(stored(database)) == ids     # untouched
    assert sorted(p.name for p in database.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_refuses_while_a_daemon_holds_the_run_lock_or_a_process_has_it_open(unit, tmp_path):
    config, database, ids = unit
    source = tmp_path / "source.db"
    assert cli(config, "backup", str(source)).returncode == 0
    with RunLock(database):
        result = cli(config, "restore", str(source))
    assert result.returncode == 1 and "already running" in result.stderr

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('SELECT count(*) FROM messages').fetchone(); print('open', flush=True); time.sleep(60)"),
        str(database)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = cli(config, "restore", str(source))
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1 and "open in another process" in result.stderr
    assert set(stored(database)) == ids


def test_restore_sets_the_old_database_aside_with_its_wal_and_leaves_no_stale_wal(unit, tmp_path):
    config, database, ids = unit
    source = tmp_path / "source.db"
    assert cli(config, "backup", str(source)).returncode == 0
    # A writer killed mid-life leaves committed rows in a WAL that nobody checkpointed.
    subprocess.run([sys.executable, "-c", (
        "import os, signal, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute(\"INSERT INTO backups (started_at, finished_at, path) VALUES ('x', 'x', 'after')\"); "
        "os.kill(os.getpid(), signal.SIGKILL)"), str(database)])
    assert Path(f"{database}-wal").stat().st_size > 0

    result = cli(config, "restore", str(source))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in database.parent.iterdir())
    aside = [n for n in names if ".pre-restore-" in n]
    assert aside and all(not n.endswith(("-wal", "-shm")) for n in names if n.startswith("crumail.db-")), names
    assert "crumail.db-wal" not in names and "crumail.db-shm" not in names
    kept = database.parent / aside[0]
    with closing(sqlite3.connect(f"file:{kept}?mode=ro", uri=True)) as conn:   # the killed writer's row was kept
        assert conn.execute("SELECT count(*) FROM backups WHERE path = 'after'").fetchone()[0] == 1
    assert str(kept) in result.stdout and "integrity_check ok" in result.stdout
    assert stat.S_IMODE(database.stat().st_mode) == 0o600 and integrity(database) == "ok"
    assert set(stored(database)) == ids
    more = drop(tmp_path / "inbox", range(20, 23), "after")
    assert cli(config, "ingest", str(tmp_path / "inbox")).returncode == 0   # and crumail carries on with it
    assert set(stored(database)) == ids | more


def test_due_is_once_a_day_after_the_time_of_day():
    at = time(2, 30)
    local = datetime(2026, 3, 2, 10, 0).astimezone()
    assert due(None, local, at)
    assert not due(local.replace(hour=3), local, at)                       # taken today after 02:30
    assert due(local.replace(hour=1), local, at)                           # taken before today's 02:30
    assert not due(local.replace(day=1, hour=23), local.replace(hour=2), at)  # 02:00: yesterday's slot
    assert due(local.replace(day=1, hour=1), local.replace(hour=2), at)


def test_prune_keeps_the_newest_and_follows_no_link(tmp_path):
    folder, database = tmp_path / "b", tmp_path / "crumail.db"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"crumail-202603{day:02d}T023000Z.db").write_bytes(b"x")
    outside = tmp_path / "precious.db"
    outside.write_bytes(b"keep me")
    (folder / "crumail-20260101T000000Z.db").symlink_to(outside)   # looks like the oldest backup
    (folder / "notes.txt").write_text("not a backup")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / f".crumail-x.db.partial-{dead.pid}").write_bytes(b"half")      # its writer is gone
    (folder / f".crumail-y.db.partial-{os.getpid()}").write_bytes(b"busy")   # its writer is alive
    removed = prune(folder, database, keep=2)
    assert sorted(p.name for p in backup_files(folder, database)) == [
        "crumail-20260304T023000Z.db", "crumail-20260305T023000Z.db"]
    assert len(removed) == 4 and outside.read_bytes() == b"keep me"
    assert (folder / "crumail-20260101T000000Z.db").is_symlink() and (folder / "notes.txt").exists()
    assert (folder / f".crumail-y.db.partial-{os.getpid()}").exists()
    assert not (folder / f".crumail-x.db.partial-{dead.pid}").exists()


def _daemon(tmp_path: Path, **backup: object) -> Daemon:
    raw = {"database": {"path": str(tmp_path / "data" / "crumail.db")}, "backup": backup,
           "source": [{"type": "directory", "path": str(tmp_path / "inbox"), "name": "drop"}]}
    return Daemon(config_mod.from_dict(raw, tmp_path))


def test_the_daemon_takes_a_daily_backup_when_due_and_keeps_the_newest(unit, tmp_path):
    daemon = _daemon(tmp_path, dir="backups", keep=2, time="02:30")
    job, db = daemon.daily_backup, daemon.db()
    days = [datetime(2026, 3, d, h, tzinfo=timezone.utc) for d, h in ((1, 10), (1, 11), (2, 3), (3, 3), (4, 3))]
    taken = [job.run(db, now=when) for when in days]
    assert [t is not None for t in taken] == [True, False, True, True, True]
    kept = backup_files(tmp_path / "backups", daemon.config.database)
    assert [p.name for p in kept] == ["crumail-20260303T030000Z.db", "crumail-20260304T030000Z.db"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 and integrity(p) == "ok" for p in kept)
    config = tmp_path / "with-backup.toml"
    config.write_text((tmp_path / "crumail.toml").read_text() + '\n[backup]\ndir = "backups"\nkeep = 2\n')
    report = json.loads(cli(config, "status", "--json").stdout)["backup"]
    assert report["last"]["path"] == str(kept[-1]) and report["keep"] == 2 and report["last_failure"] is None


def test_a_failed_daily_backup_is_logged_recorded_shown_and_tried_again_later(unit, tmp_path, caplog):
    (tmp_path / "in-the-way").write_text("a file where the backup folder should be")
    daemon = _daemon(tmp_path, dir="in-the-way")
    assert daemon.daily_backup.run(daemon.db()) is None
    assert any("in-the-way" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)
    assert daemon.daily_backup.run(daemon.db()) is None             # not again at once: an hour later
    assert len([r for r in caplog.records if r.levelname == "ERROR"]) == 1
    config = tmp_path / "with-backup.toml"
    config.write_text((tmp_path / "crumail.toml").read_text() + '\n[backup]\ndir = "in-the-way"\n')
    report = json.loads(cli(config, "status", "--json").stdout)["backup"]
    assert "in-the-way" in report["last_failure"]["error"]
    assert "backup: FAILED" in cli(config, "status").stdout


@pytest.mark.parametrize("table, message", [
    ({"dir": "b", "keep": 0}, "keep"), ({"dir": "b", "keep": "many"}, "keep"),
    ({"dir": "b", "time": "25:99"}, "HH:MM"), ({"dir": "b", "time": "noon"}, "HH:MM"),
])
def test_a_wrong_backup_setting_is_a_config_error(tmp_path, table, message):
    with pytest.raises(ConfigError, match=message):
        Schedule.from_config(config_mod.from_dict({"backup": table}, tmp_path))
    assert Schedule.from_config(config_mod.from_dict({"backup": {"dir": "b", "enabled": False}}, tmp_path)) is None
    assert Schedule.from_config(config_mod.from_dict({}, tmp_path)) is None
