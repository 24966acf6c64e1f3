"""What the daemon does with each kind of source error, caught by its name.

* TransientSourceError (server down, dropped, a folder that cannot be
  opened): what was committed stays committed, nothing after it is taken
  or acknowledged, the next try waits the reconnect backoff.
* AuthError (login refused, no token, an untrusted certificate): nothing is
  fetched, the account's error is recorded for ``crumail status`` and the
  desk, and the next login waits at least half of AUTH_RETRY_SECONDS.
* A permanent error (a ParseError) quarantines the one message; the cycle
  goes on and is no failure of the source.
"""

from __future__ import annotations

import ast
import random
import threading
import time
from pathlib import Path

import pytest

import crumail
from crumail.errors import AuthError, ConfigError, SourceError, TransientSourceError
from crumail.intake.daemon import Daemon
from crumail.sources.backoff import AUTH_RETRY_SECONDS, Backoff, retry_delay
from crumail.store import ledger
from support import mailgen
from support.config import config
from support.servers.dovecot import PASSWORD, free_port

# (error, reconnect backoff base, failures before) -> the bounds of the pause
DELAYS = [
    (TransientSourceError("dropped"), 1.0, 0, (0.5, 1.0)),
    (TransientSourceError("dropped"), 1.0, 3, (4.0, 8.0)),
    (TransientSourceError("dropped"), 30.0, 0, (15.0, 30.0)),
    (AuthError("refused"), 1.0, 0, (AUTH_RETRY_SECONDS / 2, AUTH_RETRY_SECONDS)),
    (AuthError("refused"), 1.0, 12, (AUTH_RETRY_SECONDS / 2, 300.0)),      # the backoff's cap
    (AuthError("refused"), 1000.0, 0, (500.0, 1000.0)),                    # a longer backoff wins
    (ConfigError("a bad setting"), 1.0, 0, (0.5, 1.0)),                    # not a source's kind: as transient
]


@pytest.mark.parametrize("error, base, failures, bounds", DELAYS,
                         ids=[f"{type(e).__name__}-{b}-{f}" for e, b, f, _ in DELAYS])
def test_the_pause_depends_on_the_kind_of_error(error, base, failures, bounds):
    for seed in range(20):
        backoff = Backoff(base, max(base, 300.0), random.Random(seed))
        backoff.failures = failures
        delay = retry_delay(error, backoff)
        assert bounds[0] <= delay <= bounds[1], (seed, delay)
        assert backoff.failures == failures + 1


def _raised_source_errors() -> list[str]:
    """Every ``raise X(...)`` or ``X(...)`` call in crumail/ where X is the bare
    SourceError: it would be caught by neither name."""
    found = []
    for path in sorted(Path(crumail.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SourceError":
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_only_the_two_kinds_of_source_error_are_raised():
    assert _raised_source_errors() == []
    assert set(SourceError.__subclasses__()) == {TransientSourceError, AuthError}


def _pause(daemon: Daemon, name: str) -> float:
    return daemon._retry_at[name] - time.monotonic()


def test_transient_a_server_that_is_down(tmp_path):
    options = {"type": "imap", "name": "down", "host": "127.0.0.1", "port": free_port(), "security": "plain",
               "username": "cru@example.police.uk", "password_env": "CRUMAIL_TEST_IMAP_PASSWORD",
               "mode": "poll", "timeout": 2, "reconnect_min": 30, "reconnect_max": 60}
    daemon = Daemon(config(tmp_path, options))
    assert daemon.poll(daemon.config.sources[0], scheduled=True) is None
    assert 0 < _pause(daemon, "down") <= 30                     # the backoff, not the login's pause
    assert "ConnectionRefusedError" in ledger.state(daemon.db(), "down", "")["last_error"]


def test_transient_a_folder_that_cannot_be_opened_keeps_what_was_committed(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(3, "kept"))
    options = dovecot.source_options(imap_user, name="half", mode="poll", folders=["INBOX", "Not-There"],
                                     reconnect_min=20, reconnect_max=40)
    daemon = Daemon(config(tmp_path, options))
    assert daemon.poll(daemon.config.sources[0], scheduled=True) is None     # the folder's error ...
    assert 0 < _pause(daemon, "half") <= 20
    db = daemon.db()
    assert "folder Not-There cannot be opened" in ledger.state(db, "half", "")["last_error"]
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3     # ... INBOX's mail kept
    assert ledger.state(db, "half", "INBOX")["backlog"] == 0
    assert daemon.poll(daemon.config.sources[0]) is None                      # by hand: again, once each
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3


def test_auth_a_refused_login_is_the_accounts_error_and_waits_longer(dovecot, imap_user, tmp_path, monkeypatch):
    dovecot.append(imap_user, "INBOX", mailgen.messages(2, "locked"))
    monkeypatch.setenv("WRONG_PASSWORD", "Wrong-4e1f-guess")
    options = dovecot.source_options(imap_user, name="wrong", mode="poll", password_env="WRONG_PASSWORD",
                                     reconnect_min=1, reconnect_max=2)
    daemon = Daemon(config(tmp_path, options))
    assert daemon.poll(daemon.config.sources[0], scheduled=True) is None
    assert _pause(daemon, "wrong") >= AUTH_RETRY_SECONDS / 2 - 5             # not the 1-2 s of the backoff
    db = daemon.db()
    assert "refused the login" in ledger.state(db, "wrong", "")["last_error"]
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    monkeypatch.setenv("WRONG_PASSWORD", PASSWORD)                          # a person mends it
    assert daemon.poll(daemon.config.sources[0], scheduled=True) is None      # still waiting: no login
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert daemon.poll(daemon.config.sources[0]).counts["stored"] == 2       # mended, run by hand
    assert ledger.state(db, "wrong", "")["last_error"] is None


def test_auth_an_idle_watcher_waits_longer_after_a_refused_login(dovecot, imap_user, tmp_path, monkeypatch):
    from crumail.sources.imap.idle import FolderWatcher

    monkeypatch.setenv("WRONG_PASSWORD", "Wrong-4e1f-guess")
    options = dovecot.source_options(imap_user, name="w", password_env="WRONG_PASSWORD", reconnect_min=1)
    daemon = Daemon(config(tmp_path, options))
    stop, errors = threading.Event(), []
    watcher = FolderWatcher(daemon.config.sources[0], "INBOX", daemon.db, lambda source: None, stop,
                            on_error=lambda error: (errors.append(error), stop.set()))
    runner = threading.Thread(target=watcher.run, daemon=True)
    runner.start()
    runner.join(60)
    assert not runner.is_alive()
    assert len(errors) == 1 and "refused the login" in errors[0]
    assert watcher.retry_in >= AUTH_RETRY_SECONDS / 2


def test_permanent_a_bad_message_is_quarantined_and_the_cycle_goes_on(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "bad.msg").write_bytes(b"not an Outlook file at all")
    for n, data in enumerate(mailgen.messages(2, "good")):
        (inbox / f"good{n}.eml").write_bytes(data)
    daemon = Daemon(config(tmp_path, {"type": "directory", "name": "drop", "path": str(inbox)}))
    report = daemon.poll(daemon.config.sources[0], scheduled=True)
    assert report is not None and report.counts["stored"] == 2 and report.counts["quarantined"] == 1
    assert "drop" not in daemon._retry_at
    assert ledger.state(daemon.db(), "drop", "")["last_error"] is None

