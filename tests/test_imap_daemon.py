"""`crumail run` as a process against a real Dovecot: SIGKILL, SIGTERM, systemd, status, logs."""

from __future__ import annotations

import json
import random
import signal
import socket
import sqlite3
import sys
import time

import pytest

from support import mailgen
from support.process import cli_env, crumail, start_crumail, wait_for
from support.config import write_toml
from support.servers.dovecot import PASSWORD


def count(database, sql: str = "SELECT count(*) FROM ledger") -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:   # not created (or not migrated) yet
        return 0


def test_killed_with_sigkill_at_random_moments_then_restarted_every_message_once(dovecot, imap_user, tmp_path):
    total = 200
    dovecot.append(imap_user, "INBOX", mailgen.messages(total, "kill"))
    options = dovecot.source_options(imap_user, fetch_chunk=10, mode="poll", interval=1)
    cfg = write_toml(tmp_path / "crumail.toml", options, daemon={"batch_size": 2})
    database = tmp_path / "crumail.db"
    rng = random.Random(4)
    kills_mid_sync = 0
    history: list[int] = []          # messages stored after each kill
    for round_ in range(40):
        before = count(database)
        args = ["run", "--once"] if round_ % 2 else ["run"]   # one cycle, or the daemon
        process = start_crumail("--config", str(cfg), *args)
        # A random moment while it starts, logs in and fetches, or just after
        # one of its commits, inside the next: a few ms of storing at most, so
        # that even a fast machine is still mid-sync after 20 kills.
        deadline = time.monotonic() + rng.uniform(0.1, 1.5)
        try:
            wait_for(lambda: count(database) > before or process.poll() is not None
                     or time.monotonic() > deadline, timeout=5, every=0.002)
        except AssertionError:
            pass
        if count(database) > before:
            time.sleep(rng.uniform(0.0, 0.005))
        running = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=10)
        kills_mid_sync += running and count(database) < total
        history.append(count(database))
        if kills_mid_sync >= 20:
            break
    assert kills_mid_sync >= 20, history
    assert count(database) < total, "the sync should still have been unfinished"

    result = crumail("--config", str(cfg), "run", "--once")
    assert result.returncode == 0, result.stderr
    assert count(database) == total
    assert count(database, "SELECT count(DISTINCT message_id) FROM messages") == total
    assert count(database, "SELECT count(*) FROM messages") == total
    assert count(database, "SELECT count(*) FROM quarantine") == 0
    with dovecot.client(imap_user) as person:
        person.select_folder("INBOX", readonly=True)
        assert person.search(["SEEN"]) == []


def notify_socket(tmp_path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = tmp_path / "notify.sock"
    sock.bind(str(path))
    sock.settimeout(0.2)
    return sock, path


def received(sock) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except (socket.timeout, BlockingIOError):
            return messages


def test_sigterm_mid_sync_commits_logs_out_and_exits_0_and_systemd_hears_of_it(dovecot, imap_user, tmp_path):
    total = 600
    dovecot.append(imap_user, "INBOX", [mailgen.message(n, "term", size=8000) for n in range(1, total + 1)])
    options = dovecot.source_options(imap_user, fetch_chunk=20)   # IDLE mode, the default
    cfg = write_toml(tmp_path / "crumail.toml", options, daemon={"batch_size": 20})
    database = tmp_path / "crumail.db"
    sock, path = notify_socket(tmp_path)
    env = cli_env(NOTIFY_SOCKET=str(path), WATCHDOG_USEC="1000000")
    process = start_crumail("--config", str(cfg), "run", env=env)
    try:
        wait_for(lambda: count(database) > 0, timeout=15, every=0.002)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)   # a hang guard, not a speed bound
        assert process.returncode == 0, err
    finally:
        if process.poll() is None:
            process.kill()
    stored_at_stop = count(database)
    assert 0 < stored_at_stop < total, "SIGTERM should have come in the middle of the sync"
    assert count(database, "SELECT count(*) FROM messages") == stored_at_stop   # committed with its ledger row
    notes = " ".join(received(sock))
    assert "READY=1" in notes and "WATCHDOG=1" in notes and "STOPPING=1" in notes
    assert "stopped" in err

    result = crumail("--config", str(cfg), "run", "--once")   # and the rest, exactly once
    assert result.returncode == 0, result.stderr
    assert count(database) == total == count(database, "SELECT count(DISTINCT message_id) FROM messages")


def test_a_second_instance_on_the_same_database_refuses_to_start(dovecot, imap_user, tmp_path):
    cfg = write_toml(tmp_path / "crumail.toml", dovecot.source_options(imap_user))
    first = start_crumail("--config", str(cfg), "run")
    try:
        wait_for(lambda: count(tmp_path / "crumail.db", "SELECT count(*) FROM source_state") > 0, timeout=15)
        second = crumail("--config", str(cfg), "run", "--once")
        assert second.returncode == 1 and "already running" in second.stderr
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=10)
    assert first.returncode == 0


def test_crumail_run_serves_the_review_desk_beside_the_scheduler(dovecot, imap_user, tmp_path):
    import urllib.request

    from support.servers.dovecot import free_port

    port = free_port()
    cfg = write_toml(tmp_path / "crumail.toml", dovecot.source_options(imap_user),
                     web={"enabled": True, "host": "127.0.0.1", "port": port})
    process = start_crumail("--config", str(cfg), "run")
    try:
        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                    return reply.status == 200
            except OSError:
                return False

        wait_for(answers, timeout=20, every=0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0


def test_status_json_reports_each_source(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(5, "status"))
    options = dovecot.source_options(imap_user, mode="poll")
    cfg = write_toml(tmp_path / "crumail.toml", options)
    assert crumail("--config", str(cfg), "run", "--once").returncode == 0
    result = crumail("--config", str(cfg), "status", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = [s for s in report["sources"] if s["source"] == options["name"]]
    assert rows and all(r["ledger_size"] == 5 for r in rows)
    folder = next(r for r in rows if r["folder"] == "INBOX")
    assert folder["last_success"] and folder["last_error"] is None and folder["backlog"] == 0
    summary = next(r for r in rows if r["folder"] == "")
    assert summary["last_success"] and summary["last_poll"] and summary["backlog"] == 0
    plain = crumail("--config", str(cfg), "status").stdout
    assert f"source {options['name']} INBOX: last poll" in plain and "backlog 0, ledger 5" in plain


def test_passwords_and_tokens_never_reach_the_log(dovecot_factory, tmp_path):
    server = dovecot_factory()
    user = "cru@example.police.uk"
    server.append(user, "INBOX", mailgen.messages(2, "secret"))
    good = server.source_options(user, mode="poll", name="good")
    wrong = server.source_options(user, mode="poll", name="wrong", password_env="WRONG_PASSWORD")
    token = server.source_options(user, mode="poll", name="token", auth="oauth2",
                                  token_command=[sys.executable, "-c", "print('Tok-Secret-5b5b')"])
    cfg = write_toml(tmp_path / "crumail.toml", good, wrong, token)
    env = cli_env(CRUMAIL_TEST_IMAP_PASSWORD=PASSWORD, WRONG_PASSWORD="Wrong-9d8c7b-guess")
    for log_format in ("plain", "json"):
        result = crumail("--config", str(cfg), "-v", "--log-format", log_format, "run", "--once", env=env)
        output = result.stdout + result.stderr
        assert output.count("refused the login") >= 2          # the failures are told ...
        for secret in (PASSWORD, "Wrong-9d8c7b-guess", "Tok-Secret-5b5b"):   # ... never the secrets
            assert secret not in output
    assert count(tmp_path / "crumail.db", "SELECT count(*) FROM messages") == 2
