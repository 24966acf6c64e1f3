"""Recovering from crashes and outages against a real Dovecot: the reconnect
backoff after progress, and server actions (move, keyword) that survive a crash."""

from __future__ import annotations

import logging

import pytest

from crumail.daemon import Daemon
from servers import mailgen
from servers.crumail_run import DaemonThread, config, ledger_count, stored_ids, wait_for

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
