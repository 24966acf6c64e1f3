"""Running crumail against a test server: config files, the CLI, counting what is stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from crumail.config import Config, from_dict

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "import sys; from crumail.cli import main; sys.exit(main())"]


def config(tmp_path: Path, *sources: dict, daemon: dict | None = None) -> Config:
    raw = {"database": {"path": str(tmp_path / "crumail.db")}, "source": list(sources),
           "daemon": daemon or {}}
    return from_dict(raw, tmp_path)


def write_toml(path: Path, *sources: dict, daemon: dict | None = None, web: dict | None = None,
               database: Path | None = None, **tables: dict) -> Path:
    """The same as :func:`config`, as a file for ``crumail --config``; the
    review desk is off unless asked for (it would take port 8025).  Other
    tables (``smtp``, ``send``, ``intake`` ...) are written as given."""
    lines = [f'[database]\npath = {json.dumps(str(database or path.parent / "crumail.db"))}\n',
             "[web]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in (web or {"enabled": False}).items())]
    for name, table in {"daemon": daemon or {}, **tables}.items():
        if table:
            lines.append(f"[{name}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items()))
    for source in sources:
        lines.append("[[source]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in source.items()))
    path.write_text("\n".join(lines))
    return path


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def crumail(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env=env or cli_env(), cwd=REPO)


def start_crumail(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env or cli_env(), cwd=REPO)


def stored_ids(db) -> list[str]:
    """Message-IDs of every stored message (a list: duplicates would show)."""
    return [r[0] for r in db.execute("SELECT message_id FROM messages ORDER BY id")]


def ledger_count(db, source: str | None = None) -> int:
    if source is None:
        return db.execute("SELECT count(*) FROM ledger").fetchone()[0]
    return db.execute("SELECT count(*) FROM ledger WHERE source = ?", [source]).fetchone()[0]


def wait_for(predicate, timeout: float = 10.0, every: float = 0.02) -> float:
    """Seconds until ``predicate()`` held; AssertionError after ``timeout``."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(every)
    return time.monotonic() - started


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

    def stop(self, timeout: float = 15.0) -> float:
        started = time.monotonic()
        self.daemon.stopping.set()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the daemon did not stop"
        return time.monotonic() - started
