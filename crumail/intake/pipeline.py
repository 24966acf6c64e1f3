"""One message, one way through: source -> parse -> extract -> store -> ack.

Each message is handled in its own try (after GNU Mailman's runner): a
message that cannot be parsed is quarantined with its stage and reason and
the run goes on (crumail/intake/prepare.py).  Messages are committed in
batches, one transaction each, and a source hears about a message (``ack``)
only after its batch commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from sqlite_utils import Database

from crumail.intake.prepare import Prepared
from crumail.intake.workers import Preparer
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import Outcome, RawMessage
from crumail.settings import DaemonSettings
from crumail.sources.base import Source
from crumail.store import batch

log = logging.getLogger("crumail.pipeline")

BATCH_SIZE: int = DaemonSettings.batch_size   # [daemon] batch_size's default


@dataclass
class CycleReport:
    """What one pass over a source did."""

    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.value] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def run_source(db: Database, source: Source, *, batch_size: int = BATCH_SIZE,
               stop: Callable[[], bool] = lambda: False,
               progress: Callable[[RawMessage], None] | None = None,
               limits: Limits = DEFAULT_LIMITS, workers: int | None = None,
               no_drafts: str | None = None) -> CycleReport:
    """Take in everything ``source`` offers now; returns what happened.

    ``workers``: parser processes for large batches (None: one per core).
    ``no_drafts``: a reason ("import") to store this run's messages without
    drafting any (none queued, no log number allocated); each is recorded
    as not drafted for that reason (crumail.store.batch.commit).
    """
    report = CycleReport()
    try:
        with Preparer(limits, workers) as preparer:
            _commit_all(db, source, preparer.map(_chunks(source.fetch(), batch_size, stop)),
                        report, progress, no_drafts)
    finally:
        source.close()
    return report


def _commit_all(db: Database, source: Source, prepared: Iterable[list[Prepared]],
                report: CycleReport, progress: Callable[[RawMessage], None] | None,
                no_drafts: str | None = None) -> None:
    for items in prepared:
        for done in batch.commit(db, items, no_drafts=no_drafts):
            _log(done)
            source.ack(done.raw, done.outcome)
            report.add(done.outcome)
            if progress:
                progress(done.raw)


def _chunks(items: Iterable[RawMessage], size: int, stop: Callable[[], bool]) -> Iterator[list[RawMessage]]:
    chunk: list[RawMessage] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size or stop():
            yield chunk
            chunk = []
        if stop():
            break
    if chunk:
        yield chunk


def _log(done: batch.Committed) -> None:
    raw = done.raw
    level = logging.WARNING if done.outcome is Outcome.QUARANTINED else logging.INFO
    log.log(level, "%s %s", done.outcome.value, raw.origin or raw.key,
            extra={"event": done.outcome.value, "source": raw.source, "key": raw.key,
                   "folder": raw.folder, "uid": raw.uid, "message_id": done.message_id,
                   "sha256": raw.sha256[:16],
                   "stored_as": done.message, "quarantine": done.quarantine})
