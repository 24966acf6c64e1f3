"""crumail never opens its own database files by another name while it holds a connection.

Closing any descriptor of a file drops every POSIX lock the process holds
on it, SQLite's included, and writing one truncates the database.  So a
file handed to ``ingest`` or found in the drop folder, an export's output
and a draft's body file are each compared (by device and inode, without
opening them) with the database, its -wal and its -shm first.
"""

from __future__ import annotations

import os
import sqlite3

from support.mail import circulation
from support.cli import cli# noqa: F401 - the fixture
from support.mail import referral, utc


def _fill(cli) -> None:
    """One referral stored, and its drafts made."""
    (cli.base / "mail").mkdir()
    (cli.base / "mail" / "one.eml").write_bytes(referral(utc(2024, 5, 3, 9, 30)))
    result = cli("ingest", str(cli.base / "mail"))
    assert result.exit_code == 0 and "draft(s) made" in result.stdout, result.output


def _quarantined(cli) -> int:
    with sqlite3.connect(cli.base / "crumail.db") as conn:
        return conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]


def _intact(cli) -> None:
    with sqlite3.connect(cli.base / "crumail.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 1


def test_ingest_given_the_database_its_wal_and_shm_reads_none_of_them(cli):
    _fill(cli)
    database = cli.base / "crumail.db"
    names = [str(database), f"{database}-wal", f"{database}-shm"]
    assert all(os.path.exists(n) for n in names)
    result = cli("ingest", *names)
    assert result.exit_code == 0, result.output
    assert "0 stored, 0 already stored, 0 quarantined" in result.stdout
    assert result.stderr.count("crumail's own database") == 3
    assert _quarantined(cli) == 0          # the database's bytes are not kept as a bad mail
    _intact(cli)


def test_a_hard_link_to_the_write_ahead_log_in_the_drop_folder_is_left_alone(cli):
    _fill(cli)
    inbox = cli.base / "inbox"
    inbox.mkdir()
    beside = sqlite3.connect(cli.base / "crumail.db")   # another process's connection keeps the log
    beside.execute("SELECT count(*) FROM messages").fetchone()
    os.link(cli.base / "crumail.db-wal", inbox / "wal.eml")
    (inbox / "two.eml").write_bytes(circulation("332/24"))
    try:
        result = cli("run", "--once")
    finally:
        beside.close()
    assert result.exit_code == 0, result.output
    assert "crumail's own database" in result.stderr
    assert (inbox / "wal.eml").exists() and not (inbox / "done" / "wal.eml").exists()
    assert (inbox / "done" / "two.eml").exists()
    assert _quarantined(cli) == 0


def test_export_refuses_to_write_over_the_database_by_any_name(cli):
    _fill(cli)
    database = cli.base / "crumail.db"
    (cli.base / "report.xlsx").symlink_to(database)
    for args in (["--format", "xlsx", "-o", str(database)],
                 ["--format", "xlsx", "-o", str(cli.base / "report.xlsx")],
                 ["--format", "csv", "--what", "logs", "-o", f"{database}-wal"]):
        result = cli("export", *args)
        assert result.exit_code == 1, (args, result.output)
        assert "crumail's own database" in result.stderr and result.stderr.count("\n") == 1
    _intact(cli)
    assert cli("export", "--format", "csv", "--what", "logs", "-o", str(cli.base / "logs.csv")).exit_code == 0


def test_a_draft_body_file_that_is_the_database_is_refused(cli, monkeypatch):
    import pwd

    monkeypatch.setenv("CRUMAIL_USER", pwd.getpwuid(os.geteuid()).pw_name)   # who edits: the one running it
    _fill(cli)
    result = cli("drafts", "edit", "1", "--body-file", str(cli.base / "crumail.db"))
    assert result.exit_code == 1 and "crumail's own database" in result.stderr, result.output
    _intact(cli)


def test_a_password_file_that_is_the_database_is_refused_unread(tmp_path):
    import pytest

    from crumail.errors import DatabaseAliasError
    from crumail.sources.imap.auth import secret_from
    from crumail.store import open_database

    database = tmp_path / "crumail.db"
    db = open_database(database)
    try:
        with pytest.raises(DatabaseAliasError, match="own database"):
            secret_from("source imap:x", None, database, "password_env", "password_file")
    finally:
        db.close()


def test_only_databases_still_open_are_compared(tmp_path, monkeypatch):
    """A process that opened many databases (a test run) does not stat every file against all."""
    import gc

    from crumail.store import open_database, own_files

    stats: list[str] = []
    real_stat = os.stat

    def counted(path, *args, **kwargs):
        stats.append(str(path))
        return real_stat(path, *args, **kwargs)

    mail = tmp_path / "one.eml"
    mail.write_bytes(circulation("333/24"))
    gc.collect()
    monkeypatch.setattr(own_files.os, "stat", counted)
    own_files.own_file(mail)
    before = len(stats)
    for n in range(40):
        open_database(tmp_path / f"closed-{n}.db").close()
    kept = open_database(tmp_path / "kept.db")
    gc.collect()
    stats.clear()
    assert own_files.own_file(tmp_path / "kept.db") == str(tmp_path / "kept.db")
    stats.clear()
    own_files.own_file(mail)
    assert len(stats) <= before + len(own_files.SUFFIXES)     # the one still open, not the forty closed
    kept.close()
