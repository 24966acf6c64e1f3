"""Running crumail against a test server: config files, the CLI, counting what is stored."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

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


def start_crumail(*args: str, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """``crumail ARGS`` as a process; its output piped, or appended to ``log`` (a
    long run would fill a pipe nobody reads and block on logging)."""
    if log is None:
        return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env or cli_env(), cwd=REPO)
    with open(log, "ab") as output:
        return subprocess.Popen([*CLI, *args], stdout=output, stderr=subprocess.STDOUT,
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


class DeskClient:
    """One keep-alive HTTP connection to the review desk, holding the session cookie.

    A request that fails (the desk was killed) closes the connection; the
    next one connects again, with the same cookie."""

    def __init__(self, url: str, timeout: float = 30):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, payload, dict(response.headers)

    def csrf(self, path: str) -> str:
        """The form token on the page at ``path``."""
        _, page, _ = self.request("GET", path)
        return re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()

    def log_in(self, name: str, password: str) -> None:
        status, _, _ = self.request("POST", "/login", {"name": name, "password": password,
                                                       "csrf": self.csrf("/login"), "next": "/queue"})
        if status != 303:
            raise AssertionError(f"login as {name} failed: HTTP {status}")
