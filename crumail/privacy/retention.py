"""The retention policy applied: what is past its period (``plan``), and its
erasure (``apply``), one transaction per batch.

Each batch looks again, inside its own ``BEGIN IMMEDIATE``, at what is due,
so the daemon and a command line may both run it: a record is erased once,
and a process killed between batches leaves every record either whole or a
complete tombstone, never half of one.  Each batch writes its row of the
erasure record in the same transaction as the erasure it counts.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlite_utils import Database

from crumail import clock
from crumail.privacy.masking import Masker
from crumail.settings import RedactionSettings
from crumail.settings.tables import RetentionSettings
from crumail.store import gazetteer, transaction
from crumail.store import retention as store
from crumail.store.retention import Due

log = logging.getLogger(__name__)

#: The rule each kind of record is kept by, as the plan prints it.
RULES = {
    "mail": "mail_days after the last activity of its logs (or its receipt)",
    "quarantine": "quarantine_days after its last attempt",
    "draft": "drafts_days after the draft last changed",
    "audit": "audit_days after it was written",
}
#: A plan lists at most this many of each kind (apply erases all, batch by batch).
PLAN_LIMIT = 100_000


@dataclass(frozen=True)
class Item:
    """One line of the plan."""

    kind: str
    id: int
    label: str
    since: str
    age_days: int
    rule: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "label": self.label, "since": self.since,
                "age_days": self.age_days, "rule": self.rule}


@dataclass
class Result:
    """What ``apply`` erased, by kind, and how many batches it took."""

    counts: Counter = field(default_factory=Counter)
    batches: int = 0
    reclaimed: dict = field(default_factory=dict)


def _cutoffs(policy: RetentionSettings, now: datetime) -> dict[str, str]:
    days = {"mail": policy.mail_days, "quarantine": policy.quarantine_days,
            "draft": policy.drafts_days, "audit": policy.audit_days}
    return {kind: clock.stamp(now - timedelta(days=n)) for kind, n in days.items()}


FINDERS: dict[str, Callable[[Database, str, int], list[Due]]] = {
    "mail": store.due_mail, "quarantine": store.due_quarantine,
    "draft": store.due_drafts, "audit": store.due_audit,
}


def plan(db: Database, policy: RetentionSettings) -> list[Item]:
    """Every record past its period now, oldest rule first."""
    now = clock.now()
    items = []
    for kind, cutoff in _cutoffs(policy, now).items():
        for due in FINDERS[kind](db, cutoff, PLAN_LIMIT):
            items.append(Item(kind, due.id, due.label, due.since, _age(due.since, now), RULES[kind]))
    return items


def _age(since: str, now: datetime) -> int:
    try:
        moment = datetime.fromisoformat(since)
    except (TypeError, ValueError):
        return -1
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return (now - moment).days


def apply(db: Database, policy: RetentionSettings, redaction: RedactionSettings,
          actor: str = "retention") -> Result:
    """Erase everything past its period, ``policy.batch`` records a transaction."""
    result = Result()
    masker = Masker.build(redaction, gazetteer.names(db))
    for kind in FINDERS:
        while True:
            erased = _batch(db, kind, policy, masker, actor)
            if not erased:
                break
            result.counts[kind] += erased
            result.batches += 1
    with transaction(db):
        store.record(db, actor, "retention-run", dict(result.counts))
    if result.batches:
        result.reclaimed = store.reclaim(db)
    log.info("retention: erased %s in %d batches", dict(result.counts) or "nothing", result.batches)
    return result


def _batch(db: Database, kind: str, policy: RetentionSettings, masker: Masker, actor: str) -> int:
    with transaction(db):
        cutoff = _cutoffs(policy, clock.now())[kind]
        due = FINDERS[kind](db, cutoff, policy.batch)
        erased = erase(db, kind, [d.id for d in due], masker)
        if erased:
            store.record(db, actor, "retention", {kind: erased})
    return erased


def erase(db: Database, kind: str, ids: list[int], masker: Masker) -> int:
    """Erase these records of one kind inside the caller's transaction."""
    if kind == "audit":
        return store.erase_audit(db, ids)
    one = {"mail": erase_message, "quarantine": lambda d, i, m: store.erase_quarantine(d, i),
           "draft": erase_draft}[kind]
    return sum(1 for i in ids if one(db, i, masker))


def erase_message(db: Database, message: int, masker: Masker) -> bool:
    """The message a tombstone; its casebook facts masked and its logs rebuilt."""
    logs = store.logs_of(db, message)
    for contribution, primary, extraction in store.contributions(db, message):
        store.rewrite_contribution(db, contribution, masker.extraction(extraction))
        if primary:
            logs.add(primary)
    done = store.erase_message(db, message)
    store.rebuild_logs(db, logs)
    return done


def mask_logs(db: Database, logs: list[str], masker: Masker) -> int:
    """Mask every casebook fact of these logs (messages still held keep their
    bytes) and rebuild the logs; how many facts changed."""
    changed = 0
    for contribution, extraction in store.log_contributions(db, logs):
        masked = masker.extraction(extraction)
        if masked != extraction:
            store.rewrite_contribution(db, contribution, masked)
            changed += 1
    store.rebuild_logs(db, set(logs))
    return changed


def erase_draft(db: Database, draft: int, masker: Masker) -> bool:
    texts = store.draft_texts(db, draft)
    if texts is None:
        return False
    return store.erase_draft(db, draft, masker.text(texts["subject"]), masker.text(texts["body"]))


def due_today(db: Database) -> bool:
    """True when no retention run has been recorded today (the daemon's daily job)."""
    last = store.last_run(db, "retention-run")
    return last is None or last[:10] < clock.today().isoformat()


def daily(db: Database, policy: RetentionSettings, redaction: RedactionSettings) -> Result | None:
    """The daemon's job: once a day when ``[retention] enabled``; the run is
    recorded (with its counts) even when nothing was due."""
    if not policy.enabled or not due_today(db):
        return None
    return apply(db, policy, redaction, actor="daemon")
