"""The database shared by several processes: nothing committed is lost, whoever closes last.

Process A (tests/support/db_writer.py) holds several connections, opening
more as it goes, and commits mail in a loop, printing each committed row
id.  Process B (this test) meanwhile opens and closes connections of its
own and runs real commands beside it: ``crumail status``, ``crumail drafts
list`` and the sqlite3 shell.  A is SIGKILLed at a random moment.  Every row
A reported committed must be there afterwards, and the database must pass
``PRAGMA integrity_check``.

Closing any descriptor of a file drops every POSIX lock the process holds
on it, SQLite's included; when crumail opened and closed the database file
itself on each connection, B's next close believed it was the last user,
checkpointed and deleted the WAL from under A, and A's later commits were
lost when it died.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from support.paths import REPO
from support.process import cli_env, crumail, wait_for
from support.config import write_toml

RUNS = 50
HANG_GUARD = 60.0
SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"


class Writer:
    """Process A, with the row ids it has reported committed."""

    def __init__(self, database: Path, seed: int):
        env = cli_env(PYTHONPATH=f"{REPO}:{REPO / 'tests'}")
        self.process = subprocess.Popen([sys.executable, "-m", "support.db_writer", str(database), str(seed)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
        self.committed: list[int] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.endswith(b"\n"):          # a line cut by the kill promised nothing
                self.committed.append(int(line))

    def wait_for_more(self, than: int) -> bool:
        """False when A died by itself instead."""
        wait_for(lambda: len(self.committed) > than or self.process.poll() is not None,
                 timeout=HANG_GUARD, every=0.005)
        return self.process.poll() is None

    def kill(self) -> tuple[list[int], str | None]:
        """The rows A reported, and how it failed if it died before the kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=HANG_GUARD)
        self._reader.join(timeout=HANG_GUARD)
        failure = self.process.stderr.read().decode(errors="replace")
        self.process.stderr.close()
        return list(self.committed), (None if self.process.returncode == -signal.SIGKILL else failure)


def neighbour_actions(database: Path, cfg: Path) -> dict[str, callable]:
    """What process B does beside A; each ends by closing what it opened."""

    def connection() -> None:
        conn = sqlite3.connect(database, timeout=HANG_GUARD)
        try:
            conn.execute("SELECT count(*) FROM messages").fetchone()
        finally:
            conn.close()

    def command(*args: str):
        def run() -> None:
            result = crumail("--config", str(cfg), *args, timeout=HANG_GUARD)
            assert result.returncode == 0, result.stderr
        return run

    def shell() -> None:
        result = subprocess.run([SQLITE3, str(database), "SELECT count(*) FROM messages;"],
                                capture_output=True, text=True, timeout=HANG_GUARD)
        assert result.returncode == 0, result.stderr

    return {"connection": connection, "status": command("status"),
            "drafts list": command("drafts", "list"), "sqlite3": shell}


def check_database(database: Path, committed: list[int]) -> None:
    conn = sqlite3.connect(database, timeout=HANG_GUARD)
    try:
        stored = {row[0] for row in conn.execute("SELECT id FROM messages")}
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    lost = sorted(set(committed) - stored)
    assert not lost, f"{len(lost)} of {len(committed)} committed rows lost: {lost[:10]}"


@pytest.mark.slow
@pytest.mark.parametrize("run", range(RUNS))
def test_rows_a_killed_writer_committed_survive_the_processes_beside_it(tmp_path, run):
    from crumail.store import open_database

    if not Path(SQLITE3).exists():
        pytest.fail("sqlite3 is not installed; `make debs` installs it")
    database = tmp_path / "crumail.db"
    cfg = write_toml(tmp_path / "crumail.toml")
    open_database(database).close()       # created and migrated before A starts
    rng = random.Random(run)
    actions = neighbour_actions(database, cfg)
    writer = Writer(database, run)
    try:
        alive = writer.wait_for_more(than=rng.randint(2, 12))
        for name in rng.sample(sorted(actions), rng.randint(2, 3)):
            if not alive:
                break
            actions[name]()
            alive = writer.wait_for_more(than=len(writer.committed))   # A commits after B has closed
        threading.Event().wait(rng.uniform(0, 0.03))
    finally:
        committed, failure = writer.kill()
    assert committed
    check_database(database, committed)
    assert failure is None, f"A died before it was killed:\n{failure}"
    result = crumail("--config", str(cfg), "status", timeout=HANG_GUARD)   # and crumail still reads it
    assert result.returncode == 0, result.stderr
