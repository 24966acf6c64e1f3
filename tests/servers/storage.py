"""Real storage faults for the tests, and a ``crumail run`` whose log goes to a file.

* a full filesystem: a small tmpfs mounted for the test (root may mount in
  this sandbox; RLIMIT_FSIZE would give EFBIG, not the ENOSPC a full disk
  gives, and SQLite reports the two differently), filled by a filler file;
* a read-only database: the immutable attribute (``chattr +i``) on the
  database and its WAL.  Tests run as root, whom mode bits do not stop, and
  a read-only remount is refused while crumail has files open for writing;
  the immutable attribute stops root, on files already open too (ext4).
  Never on the -shm: SQLite maps it, and a write to an immutable mapping is
  a SIGBUS, not an error;
* a vanished folder: ``rm -rf`` or a rename, done by the test.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import uuid
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from servers import mailgen
from servers.crumail_run import CLI, REPO, cli_env

IN_CI = os.environ.get("CI") == "true"


def need(ok: bool, what: str) -> None:
    """Skip without ``what`` (fail under CI=true: a missing facility is a failure there)."""
    if not ok:
        (pytest.fail if IN_CI else pytest.skip)(f"{what} is not available here")


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path`` for the test, always unmounted."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                             capture_output=True, text=True)
    need(mounted.returncode == 0, f"mounting a tmpfs ({mounted.stderr.strip()})")
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill ``folder``'s filesystem to the last byte; returns the filler file."""
    filler = folder / f"filler-{uuid.uuid4().hex}"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        for size in (1 << 20, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """``chattr +i`` on ``paths`` for the block, always taken off again."""
    done: list[Path] = []
    try:
        for path in paths:
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
            need(result.returncode == 0, f"chattr +i ({result.stderr.strip()})")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def drop(inbox: Path, numbers: range, tag: str, size: int = 0) -> set[str]:
    """Write generated mail into the drop folder the way the README says (dot name, rename)."""
    for n in numbers:
        hidden = inbox / f".{tag}-{n}.eml"
        hidden.write_bytes(mailgen.message(n, tag, size))
        hidden.rename(inbox / f"{tag}-{n}.eml")
    return {f"<{tag}.{n}@example.police.uk>" for n in numbers}


def stored(database: Path) -> list[str]:
    """Message-IDs stored (a list: a duplicate would show), read from this test process."""
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as conn:
            return [r[0] for r in conn.execute("SELECT message_id FROM messages ORDER BY id")]
    except sqlite3.OperationalError:
        return []


def mail_left(inbox: Path) -> list[str]:
    return sorted(p.name for p in inbox.glob("*.eml"))


def write_config(folder: Path, database: Path, inbox: Path, **tables: dict) -> Path:
    """A config with a fast drop folder and fast storage retries; no desk."""
    lines = [f'[database]\npath = "{database}"\nretry_max = 1\n', "[web]\nenabled = false\n",
             f'[[source]]\ntype = "directory"\nname = "drop"\npath = "{inbox}"\ninterval = 0.2\n']
    for name, values in tables.items():
        lines.append(f"[{name}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in values.items()))
    path = folder / "crumail.toml"
    path.write_text("\n".join(lines))
    return path


def _toml(value: object) -> str:
    return f'"{value}"' if isinstance(value, (str, Path)) else str(value).lower() if isinstance(value, bool) else str(value)


class Daemon:
    """``crumail -v run`` as a real process, its log in a file the test reads (a pipe
    nobody reads would stop it once full)."""

    def __init__(self, config: Path, log: Path, verbose: bool = True):
        self.log_path = log
        self._log = open(log, "ab")
        self.process = subprocess.Popen([*CLI, "--config", str(config), *(["-v"] if verbose else []), "run"],
                                        stdout=self._log, stderr=self._log, env=cli_env(), cwd=REPO)

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
            self._log.close()
