"""Real storage faults for the tests, and a drop-folder config with fast retries.

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
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from support import mailgen
from support.config import write_toml
from support.paths import missing


def need(ok: bool, what: str) -> None:
    """Skip without ``what`` (fail under CI=true: a missing facility is a failure there)."""
    if not ok:
        missing(f"{what} is not available here")


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


def mail_left(inbox: Path) -> list[str]:
    return sorted(p.name for p in inbox.glob("*.eml"))


def write_config(folder: Path, database: Path, inbox: Path, **tables: dict) -> Path:
    """A config with a fast drop folder and fast storage retries; no desk."""
    return write_toml(folder / "crumail.toml",
                      {"type": "directory", "name": "drop", "path": str(inbox), "interval": 0.2},
                      database={"path": str(database), "retry_max": 1}, **tables)
