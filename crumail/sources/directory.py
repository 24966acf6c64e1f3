"""The drop folder: every .eml and .msg file in a folder, taken in once.

A file stays where it is until its bytes are committed.  Then it moves to
``done/`` (stored, or already stored) or ``quarantine/`` (could not be
parsed) beside it.  Files whose names start with a dot are ignored, so a
writer can copy to ``.name.eml`` and rename when complete.

Whoever can write to the folder is not trusted (crumail/files/untrusted.py): a name
that is a symbolic link, a FIFO, a device or a folder is never read, nor is
a file over ``[intake] max_message_bytes``.  Such an entry is quarantined
with a note saying why (no mail bytes) and then moved, itself and never
what it points to, into ``quarantine/``.  A ``done/`` or ``quarantine/``
that is not a real folder stops the whole drop folder before anything is
read: nothing is moved through a link.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterable, Iterator

from crumail.errors import FileTooBigError, UnsafeFileError
from crumail.files.untrusted import kind_of, open_folder, read_with_stat
from crumail.limits import DEFAULT as DEFAULT_LIMITS
from crumail.model import Outcome, RawMessage
from crumail.store import own_files

log = logging.getLogger("crumail.source.directory")

MAIL_SUFFIXES = (".eml", ".msg")
DONE_FOLDER = "done"
QUARANTINE_FOLDER = "quarantine"


def mail_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .eml/.msg entry named, or directly inside a folder named, in order.

    Entries are chosen by name alone: one that is not a regular file is
    still yielded, so that the reader refuses it and says so."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if _is_mail(p))
        else:
            yield path


def _is_mail(path: Path) -> bool:
    return path.suffix.lower() in MAIL_SUFFIXES and not path.name.startswith(".")


class FileSource:
    """Files and folders given on the command line; nothing is moved."""

    kept = "the file is left where it is"

    def __init__(self, paths: Iterable[Path], name: str = "files", max_bytes: int = DEFAULT_LIMITS.max_message_bytes):
        self.paths = [Path(p) for p in paths]
        self.name = name
        self.max_bytes = max_bytes

    def fetch(self) -> Iterator[RawMessage]:
        for path in mail_files(self.paths):
            if own_files.skip(path, self.name):   # reading it would drop SQLite's locks
                continue
            raw = self._read(path)
            if raw is not None:
                yield raw

    def _read(self, path: Path) -> RawMessage | None:
        try:
            data, info = read_with_stat(path, self.max_bytes)
        except UnsafeFileError as exc:  # FileTooBigError too
            return self._refuse(path, exc)
        except FileNotFoundError:
            log.warning("%s disappeared before it could be read; skipped", path,
                        extra={"event": "vanished", "source": self.name, "key": str(path)})
            return None
        except OSError as exc:
            log.error("%s cannot be read: %s; left in place", path, exc,
                      extra={"event": "unreadable", "source": self.name, "key": str(path)})
            return None
        self._read_as(path, info)
        return RawMessage(data=data, source=self.name, key=_key(path, info), origin=str(path),
                          filename=path.name)

    def _read_as(self, path: Path, info: os.stat_result) -> None:
        """Told the file that was read (the drop folder keeps its inode)."""

    def _refuse(self, path: Path, exc: UnsafeFileError) -> RawMessage | None:
        """A quarantine note in place of the bytes crumail will not read."""
        try:
            info = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return None
        limit = " ([intake] max_message_bytes)" if isinstance(exc, FileTooBigError) else ""
        reason = f"{exc}{limit}; not read: {self.kept}"
        log.warning("%s", reason, extra={"event": "refused", "source": self.name, "key": str(path)})
        key = _key(path, info)
        self._read_as(path, info)
        note = f"crumail did not read {key} ({kind_of(info.st_mode)}): {reason}\n"
        return RawMessage(data=note.encode("utf-8", "replace"), source=self.name, key=key,
                          origin=str(path), filename=path.name, refused=reason)

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        """Files given by hand stay where they are."""

    def close(self) -> None:
        """Nothing to release."""


def _key(path: Path, info: os.stat_result) -> str:
    # The path alone would merge a later file dropped under the same name
    # into the earlier one's ledger row; its size and time tell them apart.
    # The folder is resolved, the entry never (it may be a link).
    return f"{path.parent.resolve() / path.name}#{info.st_size}:{info.st_mtime_ns}"


class DirectorySource(FileSource):
    """The drop folder: files move out of the way once committed."""

    kept = "it is moved into quarantine/ as it is; move a file back once the cause is fixed"

    def __init__(self, path: Path | str, name: str | None = None, max_bytes: int = DEFAULT_LIMITS.max_message_bytes):
        path = Path(path)
        super().__init__([path], name or f"dir:{path}", max_bytes)
        self.path = path
        self._inodes: dict[str, tuple[int, int]] = {}

    def fetch(self) -> Iterator[RawMessage]:
        self.path.mkdir(parents=True, exist_ok=True)
        for folder in (DONE_FOLDER, QUARANTINE_FOLDER):  # a link here stops the cycle before any read
            if os.path.lexists(self.path / folder):
                os.close(self._subfolder(folder))
        return super().fetch()

    def _read_as(self, path: Path, info: os.stat_result) -> None:
        self._inodes[_key(path, info)] = (info.st_dev, info.st_ino)

    def _subfolder(self, name: str) -> int:
        drop = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            return open_folder(name, dir_fd=drop, create=True)
        except UnsafeFileError as exc:
            raise UnsafeFileError(f"drop folder {self.path}: {exc}; make it a real folder") from None
        finally:
            os.close(drop)

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        folder = QUARANTINE_FOLDER if outcome is Outcome.QUARANTINED else DONE_FOLDER
        name = Path(raw.origin).name
        try:
            self._move(raw, name, folder)
        except (OSError, UnsafeFileError) as exc:
            # Already committed: the file will be seen again and found stored.
            log.error("%s could not be moved to %s/: %s", raw.origin, folder, exc,
                      extra={"event": "move_failed", "source": self.name, "key": raw.key})

    def _move(self, raw: RawMessage, name: str, folder: str) -> None:
        """Rename the entry itself (never through a link) into ``folder``."""
        drop = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            info = os.stat(name, dir_fd=drop, follow_symlinks=False)
            if self._inodes.get(raw.key, (info.st_dev, info.st_ino)) != (info.st_dev, info.st_ino):
                log.warning("%s was replaced after it was read; left for the next cycle", raw.origin,
                            extra={"event": "replaced", "source": self.name, "key": raw.key})
                return
            target = self._subfolder(folder)
            try:
                os.rename(name, _free_name(target, name), src_dir_fd=drop, dst_dir_fd=target)
            finally:
                os.close(target)
        finally:
            os.close(drop)


def _free_name(folder: int, name: str) -> str:
    """``name``, or ``stem.N.ext`` when an entry of that name is already in ``folder``."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while _exists(folder, candidate):
        candidate = f"{stem}.{n}.{suffix}" if dot else f"{stem}.{n}"
        n += 1
    return candidate


def _exists(folder: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True
