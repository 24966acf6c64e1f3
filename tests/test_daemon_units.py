"""The daemon's small parts: systemd notification, backoff, settings."""

from __future__ import annotations

import random
import socket

import pytest

from crumail.config import from_dict
from crumail.errors import ConfigError
from crumail.intake.notify import Notifier
from crumail.sources.backoff import Backoff
from crumail.sources.imap.source import message_id_of


def test_notifier_speaks_sd_notify_over_a_unix_datagram_socket(tmp_path):
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        notifier = Notifier({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "30000000"})
        assert notifier.watchdog_seconds == 30
        assert notifier.ready("2 source(s)") and notifier.watchdog() and notifier.stopping()
        got = [sock.recv(1024).decode() for _ in range(3)]
    assert got == ["READY=1\nSTATUS=2 source(s)", "WATCHDOG=1", "STOPPING=1"]


def test_notifier_outside_systemd_does_nothing():
    notifier = Notifier({})
    assert not notifier.enabled and not notifier.ready() and notifier.watchdog_seconds is None
    assert Notifier({"NOTIFY_SOCKET": "/nonexistent/sock"}).ready() is False   # never raises


def test_backoff_grows_exponentially_with_jitter_up_to_a_cap():
    backoff = Backoff(base=1, cap=60, rng=random.Random(1))
    delays = [backoff.next_delay() for _ in range(10)]
    for n, delay in enumerate(delays):
        ceiling = min(60, 2 ** n)
        assert ceiling / 2 <= delay <= ceiling
    backoff.reset()
    assert backoff.next_delay() <= 1


def imap_source(tmp_path, **options):
    """One ``[[source]] type = "imap"`` table, loaded as a config file's would be."""
    table = {"type": "imap", "name": "s", "host": "h", "username": "cru@example.police.uk", **options}
    return from_dict({"source": [table]}, tmp_path).sources[0]


def test_imap_settings_are_checked(tmp_path):
    def settings(**options):
        return imap_source(tmp_path, **options)

    assert settings().port == 993 and settings().folders == ("INBOX",) and settings().tls_verify
    assert settings(security="starttls").port == 143
    assert settings(folder="CRU", folders=["INBOX", "Referrals", "INBOX"]).folders == ("INBOX", "Referrals")
    assert settings(idle_renew=3600).idle_renew == 28 * 60          # always before the 29-minute limit
    with pytest.raises(ConfigError):
        settings(security="tls")
    with pytest.raises(ConfigError):
        settings(folders="INBOX")


def test_message_id_of_raw_bytes():
    assert message_id_of(b"Subject: x\r\nMessage-ID: <a.1@example.org>\r\n\r\nMessage-ID: <body>") == "<a.1@example.org>"
    assert message_id_of(b"Subject: none\n\nbody") is None


def test_the_systemd_unit_is_notify_with_a_watchdog_unprivileged_and_hardened():
    from pathlib import Path

    unit = Path(__file__).resolve().parents[1] / "contrib" / "crumail.service"
    settings: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    expected = {"Type": "notify", "User": "crumail", "ProtectSystem": "strict", "NoNewPrivileges": "yes",
                "PrivateTmp": "yes", "ProtectHome": "yes", "ReadWritePaths": "/var/lib/crumail"}
    for key, value in expected.items():
        assert settings.get(key) == [value], key
    assert int(settings["WatchdogSec"][0]) > 0
    assert settings["ExecStart"][0].endswith(" run")


def test_secrets_come_from_an_environment_variable_or_a_file(tmp_path, monkeypatch):
    from crumail.errors import AuthError
    from crumail.sources.imap.auth import OAuth2Login, PasswordLogin, login_for, secret_from

    secret = tmp_path / "imap-password"
    secret.write_text("File-Secret-31c9\n")
    keys = ("password_env", "password_file")
    assert secret_from("x", None, str(secret), *keys) == "File-Secret-31c9"
    monkeypatch.setenv("CRUMAIL_UNIT_PW", "Env-Secret-77aa")
    assert secret_from("x", "CRUMAIL_UNIT_PW", None, *keys) == "Env-Secret-77aa"
    with pytest.raises(AuthError, match="CRUMAIL_UNSET is not set"):
        secret_from("x", "CRUMAIL_UNSET", None, *keys)
    with pytest.raises(ConfigError):
        secret_from("x", None, None, *keys)

    def source(**options):
        return imap_source(tmp_path, **options)

    assert isinstance(login_for(source(password_file=str(secret))), PasswordLogin)
    assert isinstance(login_for(source(token_command="get-token")), OAuth2Login)
    assert isinstance(login_for(source(tenant_id="t", client_id="c", client_secret_env="S")), OAuth2Login)
    with pytest.raises(ConfigError, match="tenant_id"):
        login_for(source(auth="oauth2", client_id="c"))


def test_a_failing_polled_source_backs_off_before_connecting_again(tmp_path, monkeypatch):
    from crumail.intake.daemon import Daemon
    from crumail.sources import factory
    from support.config import config
    from support.servers.dovecot import free_port

    options = {"type": "imap", "name": "down", "host": "127.0.0.1", "port": free_port(), "security": "plain",
               "username": "cru@example.police.uk", "password_env": "CRUMAIL_TEST_IMAP_PASSWORD",
               "mode": "poll", "timeout": 2, "reconnect_min": 30}
    daemon = Daemon(config(tmp_path, options))
    built = []
    real_build = factory.build
    monkeypatch.setattr(factory, "build", lambda *a: built.append(1) or real_build(*a))
    assert daemon.poll(daemon.config.sources[0], scheduled=True) is None        # connection refused
    assert daemon.poll(daemon.config.sources[0], scheduled=True) is None        # waits out the backoff
    assert len(built) == 1
    assert daemon.poll(daemon.config.sources[0]) is None                        # by hand: tries again
    assert len(built) == 2


def test_housekeeping_forgets_failure_counts_of_mail_since_taken_in(db):
    from crumail.model import RawMessage
    from crumail.store import ledger

    for key in ("INBOX/1/1", "INBOX/1/2"):
        ledger.note_failure(db, "s", key, "timeout")
    raw = RawMessage(data=b"x", source="s", key="INBOX/1/1")
    ledger.record(db, raw, "stored")
    assert ledger.prune_failures(db, "2000-01-01T00:00:00+00:00") == 1
    assert ledger.failing_keys(db, "s") == {"INBOX/1/2"}
    assert ledger.prune_failures(db, "2999-01-01T00:00:00+00:00") == 1


class _CommitsThenDrops:
    """A source whose connection drops after it has handed over ``count`` messages."""

    def __init__(self, name: str, count: int, first: int):
        self.name, self.count, self.first = name, count, first

    def fetch(self):
        from crumail.model import RawMessage
        from support.mail import circulation

        for n in range(self.first, self.first + self.count):
            yield RawMessage(circulation(f"{n}/24", n=n), self.name, f"key-{n}")

    def ack(self, raw, outcome) -> None:
        pass

    def close(self) -> None:
        from crumail.errors import TransientSourceError

        raise TransientSourceError("the connection was lost")


def _failed_polls(caplog) -> list:
    return [r for r in caplog.records if getattr(r, "event", None) == "poll_failed"]


def test_a_cycle_that_committed_anything_resets_the_reconnect_backoff(tmp_path, monkeypatch, caplog):
    """The rule: progress (a committed message) resets the backoff, not only a whole
    successful cycle; failures without progress still back off exponentially."""
    from crumail.intake.daemon import Daemon
    from crumail.sources import factory
    from support.config import config

    options = {"type": "directory", "name": "flaky", "path": str(tmp_path / "in"),
               "reconnect_min": 1, "reconnect_max": 300}
    daemon = Daemon(config(tmp_path, options))
    source = daemon.config.sources[0]
    caplog.set_level("INFO")
    monkeypatch.setattr(factory, "build", lambda *a: _CommitsThenDrops("flaky", 0, 0))
    for _ in range(4):                                  # no progress: 1, 2, 4, 8 s ceilings
        assert daemon.poll(source) is None
    assert [r.attempt for r in _failed_polls(caplog)] == [1, 2, 3, 4]
    assert _failed_polls(caplog)[-1].retry_in > 4
    made = iter(range(0, 1000, 10))
    monkeypatch.setattr(factory, "build", lambda *a: _CommitsThenDrops("flaky", 2, next(made)))
    for _ in range(4):                                  # two committed each time, then dropped
        assert daemon.poll(source) is None
    after_progress = _failed_polls(caplog)[4:]
    assert [r.attempt for r in after_progress] == [1, 1, 1, 1]
    assert all(0.5 <= r.retry_in <= 1 for r in after_progress)
    assert daemon.db().execute("SELECT count(*) FROM messages").fetchone()[0] == 8

