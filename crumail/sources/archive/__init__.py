"""``crumail import``'s source: whole archives (PST/OST, mbox, Maildir,
folders of .eml/.msg), read once, resumable.

Found by crumail/sources/archive/find.py, read by readers.py and pst.py.
Every item has a key (the archive's path and its place in it) that the
store's ledger records in the transaction that stores the item; an
archive's position (``imports`` table) is written after its items are
committed (every ``FLUSH_EVERY`` items and at its end).  So after a kill
at any moment a new run seeks to the recorded position, passes over the
few items after it the ledger already holds, and goes on: nothing is
stored twice (the store's SHA-256 would refuse it anyway) and nothing is
read twice from the start.  An archive read to its end is ``done`` and is
not read again (``--again`` reads it anew; duplicates are still refused).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlite_utils import Database

from crumail.model import Outcome, RawMessage
from crumail.sources.archive import find as finder
from crumail.sources.archive.item import Item
from crumail.sources.archive.pst import read_pst
from crumail.sources.archive.readers import read_file, read_files, read_maildir, read_mbox
from crumail.store import imports, ledger
from crumail.store.db import transaction

log = logging.getLogger("crumail.source.archive")

NAME = "import"
FLUSH_EVERY = 500
READERS: dict[str, Callable[[Path, str | None, int], Iterator[Item]]] = {
    "pst": read_pst, "mbox": read_mbox, "maildir": read_maildir,
    "files": read_files, "file": read_file,
}


@dataclass
class _Open:
    """An archive whose items are on their way to the store."""

    id: int
    outstanding: int = 0
    ended: bool = False
    error: str | None = None
    position: str | None = None
    whole_files: bool = False      # each item a file of its own (Maildir, folder)
    skipped: int = 0               # passed over since the last write: already in
    unflushed: int = 0


class ArchiveSource:
    """The archives under ``paths``; ``progress(weight)`` hears of each item's bytes."""

    name = NAME

    def __init__(self, db: Database, paths: Iterable[Path | str], max_bytes: int, *,
                 again: bool = False, progress: Callable[[int], None] | None = None):
        self.db = db
        self.found = list(finder.find(paths))
        self.max_bytes = max_bytes
        self.again = again
        self.progress = progress or (lambda weight: None)
        self.skipped = 0            # not mail, or taken in by an earlier run
        self.archives_done = 0      # archives finished by an earlier run, passed over
        self._open: dict[int, _Open] = {}
        self._of: dict[str, tuple[_Open, Item]] = {}

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.found if isinstance(f, finder.Archive))

    def fetch(self) -> Iterator[RawMessage]:
        for found in self.found:
            if isinstance(found, finder.Archive):
                yield from self._archive(found)
            elif isinstance(found, finder.Refused):
                item = Item(f"refused:{found.path}", "", str(found.path), 0,
                            filename=found.path.name, refused=f"{found.path}: {found.reason}")
                if not ledger.seen(self.db, self.name, item.key):
                    yield self._raw(item)
            else:
                self.skipped += 1
                log.debug("%s is not mail; skipped", found.path)

    def _archive(self, archive: finder.Archive) -> Iterator[RawMessage]:
        with transaction(self.db):
            row = imports.begin(self.db, str(archive.path), archive.format)
            if row["state"] == "done" and self.again:
                imports.restart(self.db, row["id"])
                row["position"] = None
        if row["state"] == "done" and not self.again:
            self.archives_done += 1
            self.progress(archive.size)
            return
        state = self._open[row["id"]] = _Open(row["id"], position=row["position"],
                                              whole_files=archive.format in ("maildir", "files"))
        try:
            yield from self._items(archive, state)
        except OSError as exc:   # the archive vanished or cannot be read on
            state.error = f"{archive.path}: {exc.strerror or exc}"
            log.error("%s", state.error, extra={"event": "import_failed", "source": self.name})
        state.ended = True
        self._settle(state)

    def _items(self, archive: finder.Archive, state: _Open) -> Iterator[RawMessage]:
        for item in READERS[archive.format](archive.path, state.position, self.max_bytes):
            if item.fails_archive:
                state.error = item.refused
            if ledger.seen(self.db, self.name, item.key):   # taken in before a kill
                self.skipped += 1
                state.skipped += 1
                state.position = item.position or state.position
                self.progress(item.weight)
                continue
            state.outstanding += 1
            raw = self._raw(item)
            self._of[raw.key] = (state, item)
            yield raw

    def _raw(self, item: Item) -> RawMessage:
        note = f"crumail did not read {item.origin}: {item.refused}\n".encode("utf-8", "replace")
        return RawMessage(data=note if item.refused else item.data, source=self.name, key=item.key,
                          origin=item.origin, filename=item.filename, refused=item.refused)

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        """Committed: count it and move its archive's position on (written in batches)."""
        entry = self._of.pop(raw.key, None)
        if entry is None:
            return
        state, item = entry
        self.progress(item.weight)
        state.outstanding -= 1
        state.position = item.position or state.position
        state.unflushed += 1
        if state.unflushed >= FLUSH_EVERY:
            self._flush(state)
        self._settle(state)

    def _settle(self, state: _Open) -> None:
        """Write an archive's last position and its end once its last item is in."""
        if not state.ended or state.outstanding or state.id not in self._open:
            return
        self._flush(state)
        with transaction(self.db):
            imports.finish(self.db, state.id, state.error)
        del self._open[state.id]

    def _flush(self, state: _Open) -> None:
        with transaction(self.db):
            imports.advance(self.db, state.id, state.position, state.skipped, self.name,
                            state.whole_files)
        state.skipped, state.unflushed = 0, 0

    def close(self) -> None:
        """Write what the items committed so far moved (an interrupted run)."""
        for state in list(self._open.values()):
            self._flush(state)
