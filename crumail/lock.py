"""One daemon per database: an exclusive lock on ``<database>.lock``."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from crumail.errors import AlreadyRunningError


class RunLock:
    def __init__(self, database: Path):
        self.path = Path(f"{database}.lock")
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunningError(
                f"crumail is already running on {self.path.with_suffix('')} (pid {holder}); "
                "stop it first, or point this one at another database"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
