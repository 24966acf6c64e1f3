"""Committing a batch of pipeline results in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlite_utils import Database

from crumail.model import Outcome, RawMessage
from crumail.store import actions, drafts, imports, ledger, messages, quarantine
from crumail.store.db import transaction
from crumail.store.messages import Storable


@dataclass(frozen=True)
class Rejected:
    """A message no stage could handle: it goes to quarantine."""

    raw: RawMessage
    stage: str
    reason: str


@dataclass(frozen=True)
class Committed:
    raw: RawMessage
    outcome: Outcome
    message: int | None = None
    quarantine: int | None = None
    message_id: str | None = None


def commit(db: Database, items: list[Storable | Rejected], *,
           no_drafts: str | None = None) -> list[Committed]:
    """Store every item, or none of them; taking the same mail twice changes nothing.

    ``no_drafts``: a reason ("import"): the new messages are not queued for
    drafting (no draft, no log number allocated) but recorded as not drafted
    for that reason, which ``crumail status`` and the desk count."""
    with transaction(db):
        return [_commit_one(db, item, no_drafts) for item in items]


def _commit_one(db: Database, item: Storable | Rejected, no_drafts: str | None) -> Committed:
    raw = item.raw
    if isinstance(item, Rejected):
        entry = quarantine.add(db, raw, item.stage, item.reason)
        done = Committed(raw, Outcome.QUARANTINED, quarantine=entry)
    else:
        existing = messages.find_by_sha256(db, raw.sha256)
        if existing is not None:
            done = Committed(raw, Outcome.DUPLICATE, message=existing)
        else:
            done = Committed(raw, Outcome.STORED, message=messages.insert(db, item))
            if no_drafts:
                imports.not_drafted(db, done.message, no_drafts)
            else:
                drafts.enqueue(db, done.message, _kind(item))  # the drafting stage takes it from here
        quarantine.settle_refused(db, raw, done.message)
    entry = _entry(item)
    ledger.record(db, raw, done.outcome.value, message=done.message,
                  quarantine=done.quarantine, entry=entry)
    if done.outcome is not Outcome.QUARANTINED:   # quarantined mail stays where it is, for a person
        actions.record(db, raw)
    return replace(done, message_id=entry.message_id)


def _entry(item: Storable | Rejected) -> ledger.LedgerEntry:
    raw = item.raw
    message_id = None if isinstance(item, Rejected) else item.parsed.message_id
    return ledger.LedgerEntry(raw.folder, raw.uidvalidity, raw.uid, message_id)


def _kind(item: Storable) -> str | None:
    return getattr(item.extraction, "kind", None)
