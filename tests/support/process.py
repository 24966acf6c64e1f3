"""Running crumail as the operator does: the CLI in a process, the daemon in a
process with its log in a file, or in a thread of the test; waiting for a
condition; what the database holds afterwards."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

from support.paths import REPO

CLI = [sys.executable, "-c", "import sys; from crumail.cli import main; sys.exit(main())"]


def cli_env(**extra: str) -> dict[str, str]:
    """The test's environment without systemd's variables, crumail importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def crumail(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """``crumail ARGS`` run to the end; its output as text."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env=env or cli_env(), cwd=REPO)


def start_crumail(*args: str, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """``crumail ARGS`` as a process; its output piped, or appended to ``log`` (a
    long run would fill a pipe nobody reads and block on logging)."""
    if log is None:
        return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env or cli_env(), cwd=REPO)
    with open(log, "ab") as output:
        return subprocess.Popen([*CLI, *args], stdout=output, stderr=subprocess.STDOUT,
                                env=env or cli_env(), cwd=REPO)


class Daemon:
    """``crumail -v run`` as a real process, its log in a file the test reads (a pipe
    nobody reads would stop it once full)."""

    def __init__(self, config: Path, log: Path, verbose: bool = True):
        self.log_path = log
        self.process = start_crumail("--config", str(config), *(["-v"] if verbose else []), "run", log=log)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def lines(self, text: str) -> list[str]:
        return [line for line in self.log().splitlines() if text in line]

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


class DaemonThread:
    """``Daemon.run_forever`` in a thread (signals stay with the test runner)."""

    def __init__(self, daemon):
        self.daemon = daemon
        self.thread = threading.Thread(target=daemon.run_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.daemon

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self, timeout: float = 15.0) -> None:
        self.daemon.stopping.set()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the daemon did not stop"


def wait_for(predicate, timeout: float = 10.0, every: float = 0.02) -> None:
    """Return once ``predicate()`` holds; AssertionError after ``timeout`` (a hang guard)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(every)


def stored_ids(db) -> list[str]:
    """Message-IDs of every stored message (a list: duplicates would show).
    ``db`` is a connection, or a database path read from this process."""
    sql = "SELECT message_id FROM messages ORDER BY id"
    if not isinstance(db, (str, Path)):
        return [r[0] for r in db.execute(sql)]
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return [r[0] for r in conn.execute(sql)]
    except sqlite3.OperationalError:
        return []


def ledger_count(db, source: str | None = None) -> int:
    if source is None:
        return db.execute("SELECT count(*) FROM ledger").fetchone()[0]
    return db.execute("SELECT count(*) FROM ledger WHERE source = ?", [source]).fetchone()[0]
