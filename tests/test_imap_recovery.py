"""Recovering from crashes and outages against a real Dovecot: the reconnect
backoff after progress, and server actions (move, keyword) that survive a crash."""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import time

import pytest

from crumail.intake.daemon import Daemon
from crumail.sources.imap.source import message_id_of
from support import mailgen
from support.process import DaemonThread, crumail, ledger_count, start_crumail, stored_ids, wait_for
from support.config import config, write_toml

pytestmark = pytest.mark.server


def _reconnects(caplog) -> list[logging.LogRecord]:
    return [r for r in list(caplog.records) if getattr(r, "event", None) == "watch_failed"]


def test_dovecot_killed_mid_sync_five_times_each_outage_starts_at_the_shortest_pause(
        dovecot_factory, tmp_path, caplog):
    server = dovecot_factory()
    user = "cru@example.police.uk"
    total = 200
    server.append(user, "INBOX", [mailgen.message(n, "outage", size=10_000) for n in range(1, total + 1)])
    shortest = 0.2
    cfg = config(tmp_path, server.source_options(user, fetch_chunk=5, reconnect_min=shortest, reconnect_max=5),
                 daemon={"batch_size": 5})
    caplog.set_level(logging.INFO, logger="crumail.source.imap")
    daemon = Daemon(cfg)
    db = daemon.db()
    outages: list[list[logging.LogRecord]] = []
    with DaemonThread(daemon):
        for _ in range(5):
            before = ledger_count(db)
            wait_for(lambda: ledger_count(db) >= before + 10, timeout=60, every=0.002)   # progress first
            assert ledger_count(db) < total, "the server should go down in the middle of the sync"
            seen = len(_reconnects(caplog))
            server.kill()
            wait_for(lambda: len(_reconnects(caplog)) >= seen + 3, timeout=60)   # it keeps trying while down
            server.start()
            outages.append(_reconnects(caplog)[seen:])
        wait_for(lambda: ledger_count(db) == total, timeout=120)
    # The delays the backoff chose: after progress, every outage starts again
    # at the shortest pause (attempt 1), and doubles only within the outage.
    for records in outages:
        attempts = [r.attempt for r in records]
        assert attempts[:3] == [1, 2, 3], attempts
        for record in records[:3]:
            ceiling = shortest * 2 ** (record.attempt - 1)
            assert ceiling / 2 <= record.retry_in <= ceiling
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == total
    assert db.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0


# -- server actions after commit (move_to, add_keyword) ----------------------

def _folder_ids(person, folder: str) -> list[str]:
    """Message-IDs of every message in ``folder`` (a list: a message moved twice would show)."""
    person.select_folder(folder, readonly=True)
    uids = person.search(["ALL"])
    if not uids:
        return []
    found = person.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    return [message_id_of(bytes(item[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"])) for item in found.values()]


def _status(cfg) -> dict:
    result = crumail("--config", str(cfg), "status", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _row(report: dict, folder: str) -> dict:
    return next(r for r in report["sources"] if r["folder"] == folder)


def test_a_move_to_a_folder_that_does_not_exist_yet_stays_pending_until_it_does(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(5, "later"))
    options = dovecot.source_options(imap_user, mode="poll", move_to="Processed", add_keyword="crumail-stored")
    cfg = write_toml(tmp_path / "crumail.toml", options)
    first = crumail("--config", str(cfg), "run", "--once")
    assert first.returncode == 0, first.stderr                   # the mail is stored: the cycle succeeded
    assert "tried again" in first.stderr
    actions = _row(_status(cfg), "INBOX")["server_actions"]
    assert actions["pending"] == 5 and actions["failed"] == 5 and actions["void"] == 0
    assert "Processed" in actions["last_error"]
    assert _row(_status(cfg), "")["server_actions"]["pending"] == 5
    plain = crumail("--config", str(cfg), "status").stdout
    assert "server actions: 5 pending, 5 failed" in plain and "Processed" in plain
    with dovecot.client(imap_user) as person:
        assert len(_folder_ids(person, "INBOX")) == 5
        person.create_folder("Processed")

    second = crumail("--config", str(cfg), "run", "--once")
    assert second.returncode == 0, second.stderr
    with dovecot.client(imap_user) as person:
        assert _folder_ids(person, "INBOX") == []
        assert sorted(_folder_ids(person, "Processed")) == sorted(mailgen.message_ids(5, "later"))
        assert len(person.search(["KEYWORD", "crumail-stored"])) == 5
    actions = _row(_status(cfg), "INBOX")["server_actions"]
    assert actions == {"pending": 0, "failed": 0, "void": 0, "last_error": None}
    assert "server actions" not in crumail("--config", str(cfg), "status").stdout


def test_pending_actions_for_an_old_uidvalidity_are_void_and_said_so(dovecot, imap_user, tmp_path, caplog):
    folder = "Referrals"
    dovecot.append(imap_user, folder, mailgen.messages(4, "void"))
    options = dovecot.source_options(imap_user, folder=folder, mode="poll", move_to="Processed")
    daemon = Daemon(config(tmp_path, options))
    db = daemon.db()
    assert daemon.run_once()[options["name"]].counts["stored"] == 4      # no Processed yet: pending
    u = ["-u", imap_user]
    dovecot.doveadm("mailbox", "rename", *u, folder, "Old")                # the folder is recreated
    dovecot.doveadm("mailbox", "create", *u, folder)
    dovecot.doveadm("move", *u, folder, "mailbox", "Old", "ALL")
    dovecot.doveadm("mailbox", "delete", *u, "Old")
    dovecot.doveadm("mailbox", "create", *u, "Processed")

    caplog.set_level(logging.WARNING, logger="crumail.source.imap")
    assert daemon.run_once()[options["name"]].counts["stored"] == 0
    said = [r.getMessage() for r in caplog.records if getattr(r, "event", None) == "actions_void"]
    assert len(said) == 1 and "4 server action(s)" in said[0] and "UIDVALIDITY" in said[0]
    states = dict(db.execute("SELECT state, count(*) FROM server_actions GROUP BY state").fetchall())
    assert states == {"void": 4, "done": 4}       # the old UIDs void; the same mail, found again, moved
    with dovecot.client(imap_user) as person:
        assert _folder_ids(person, folder) == []
        assert sorted(_folder_ids(person, "Processed")) == sorted(mailgen.message_ids(4, "void"))
    assert len(stored_ids(db)) == 4


def _count(database, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:   # not created (or not migrated) yet
        return 0


@pytest.mark.slow
def test_sigkill_between_commit_and_move_strands_nothing(dovecot, imap_user, tmp_path):
    total = 150
    dovecot.append(imap_user, "INBOX", mailgen.messages(total, "strand"))
    options = dovecot.source_options(imap_user, fetch_chunk=5, mode="poll", interval=1,
                                     move_to="Archive", add_keyword="crumail-stored")
    cfg = write_toml(tmp_path / "crumail.toml", options, daemon={"batch_size": 5})
    database = tmp_path / "crumail.db"
    rng = random.Random(9)
    kills = in_window = 0
    for round_ in range(80):
        before = _count(database, "SELECT count(*) FROM ledger")
        if before == total:
            break
        process = start_crumail("--config", str(cfg), *(["run", "--once"] if round_ % 2 else ["run"]))
        # SIGKILL just after a commit: its messages are stored and their
        # server actions not yet done, or being done.
        wait_for(lambda: _count(database, "SELECT count(*) FROM ledger") > before or process.poll() is not None,
                 timeout=30, every=0.001)
        time.sleep(rng.uniform(0.0, 0.004))
        kills += process.poll() is None
        process.kill()
        process.communicate(timeout=30)
        in_window += _count(database, "SELECT count(*) FROM server_actions WHERE state = 'pending'") > 0
    assert kills >= 20 and in_window >= 10, (kills, in_window)

    result = crumail("--config", str(cfg), "run", "--once")
    assert result.returncode == 0, result.stderr
    with dovecot.client(imap_user) as person:
        assert _folder_ids(person, "INBOX") == []
        moved = _folder_ids(person, "Archive")
        assert len(moved) == len(set(moved)) == total                 # each message moved exactly once
        assert len(person.search(["KEYWORD", "crumail-stored"])) == total
    assert _count(database, "SELECT count(DISTINCT message_id) FROM messages") == total
    assert _count(database, "SELECT count(*) FROM messages") == total
    assert _count(database, "SELECT count(*) FROM server_actions WHERE state = 'done'") == total
