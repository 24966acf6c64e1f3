"""The drop folder: every .eml and .msg file in a folder, taken in once.

A file stays where it is until its bytes are committed.  Then it moves to
``done/`` (stored, or already stored) or ``quarantine/`` (could not be
parsed) beside it.  Files whose names start with a dot are ignored, so a
writer can copy to ``.name.eml`` and rename when complete.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterable, Iterator

from crumail.model import RawMessage
from crumail.sources.base import Outcome
from crumail.store import own_files

log = logging.getLogger("crumail.source.directory")

MAIL_SUFFIXES = (".eml", ".msg")
DONE_FOLDER = "done"
QUARANTINE_FOLDER = "quarantine"


def mail_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .eml/.msg file named, or directly inside a folder named, in order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if _is_mail(p))
        else:
            yield path


def _is_mail(path: Path) -> bool:
    return (path.suffix.lower() in MAIL_SUFFIXES and not path.name.startswith(".")
            and path.is_file())


class FileSource:
    """Files and folders given on the command line; nothing is moved."""

    def __init__(self, paths: Iterable[Path], name: str = "files"):
        self.paths = [Path(p) for p in paths]
        self.name = name

    def fetch(self) -> Iterator[RawMessage]:
        for path in mail_files(self.paths):
            if own_files.skip(path, self.name):   # reading it would drop SQLite's locks
                continue
            raw = self._read(path)
            if raw is not None:
                yield raw

    def _read(self, path: Path) -> RawMessage | None:
        try:
            stat = path.stat()
            data = path.read_bytes()
        except FileNotFoundError:
            log.warning("%s disappeared before it could be read; skipped", path,
                        extra={"event": "vanished", "source": self.name, "key": str(path)})
            return None
        except OSError as exc:
            log.error("%s cannot be read: %s; left in place", path, exc,
                      extra={"event": "unreadable", "source": self.name, "key": str(path)})
            return None
        # The path alone would merge a later file dropped under the same name
        # into the earlier one's ledger row; its size and time tell them apart.
        key = f"{path.resolve()}#{stat.st_size}:{stat.st_mtime_ns}"
        return RawMessage(data=data, source=self.name, key=key, origin=str(path), filename=path.name)

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        """Files given by hand stay where they are."""

    def close(self) -> None:
        """Nothing to release."""


class DirectorySource(FileSource):
    """The drop folder: files move out of the way once committed."""

    def __init__(self, path: Path | str, name: str | None = None):
        path = Path(path)
        super().__init__([path], name or f"dir:{path}")
        self.path = path

    def fetch(self) -> Iterator[RawMessage]:
        self.path.mkdir(parents=True, exist_ok=True)
        return super().fetch()

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        folder = QUARANTINE_FOLDER if outcome is Outcome.QUARANTINED else DONE_FOLDER
        source = Path(raw.origin)
        target = _free_name(self.path / folder / source.name)
        try:
            target.parent.mkdir(exist_ok=True)
            os.replace(source, target)
        except OSError as exc:
            # Already committed: the file will be seen again and found stored.
            log.error("%s could not be moved to %s: %s", source, target, exc,
                      extra={"event": "move_failed", "source": self.name, "key": raw.key})


def _free_name(target: Path) -> Path:
    """``target``, or ``name.N.ext`` when a file of that name is already there."""
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}.{n}{target.suffix}")
        n += 1
    return candidate
