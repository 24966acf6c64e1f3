"""Re-deriving from raw bytes: ``reprocess`` and quarantine ``retry``.

Both exist because raw bytes are never thrown away: when the parser or the
extractor improves, stored mail is read again with the current code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlite_utils import Database

from crumail.drafts.stage import keep_allocated_log
from crumail.intake.prepare import Ingested, prepare
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import Outcome, RawMessage
from crumail.store import batch, drafts as drafting, messages, quarantine
from crumail.store.db import transaction

log = logging.getLogger("crumail.maintenance")

# A fetch-stage entry holds a note, not the mail (the server failed to give
# it three times, or it was over the size limit): there is nothing to parse.
NOT_FETCHED = ("still quarantined: crumail holds a note, not the mail ({reason}), so "
               "there is nothing to parse; the message is still on the server ({origin}): "
               "copy it to the folder again in a mail client and crumail fetches the new copy")

# A refused file's entry holds a note too: crumail never read the file.
NOT_READ = ("still quarantined: crumail did not read this file ({origin}), so there is nothing "
            "to parse; a drop folder's entry is in its quarantine/ folder: once the cause is "
            "fixed (a real file in place of a link, a raised size limit), move it back")


@dataclass
class Tally:
    done: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def reprocess(db: Database, limits: Limits = DEFAULT_LIMITS) -> Tally:
    """Parse and extract every stored message again, replacing what was derived.

    A message that the current code can no longer parse keeps what it had and
    is reported; its raw bytes are untouched either way.
    """
    tally = Tally()
    for message in messages.iter_ids(db):
        row = messages.get(db, message)
        raw = RawMessage(data=row["raw"], source=row["source"], key=row["source_key"],
                         origin=row["origin"] or "", filename=row["filename"])
        item = prepare(raw, limits)
        if isinstance(item, Ingested):
            with transaction(db):
                messages.refresh(db, message, item)
                keep_allocated_log(db, message, item.parsed, item.extraction)
            tally.done += 1
        else:
            log.warning("message %s no longer parses: %s", message, item.reason)
            tally.failed.append((message, item.reason))
    with transaction(db):
        drafting.retry_drafting(db)     # what the old code could not draft, the new may
    return tally


def retry(db: Database, entries: list[int], limits: Limits = DEFAULT_LIMITS) -> dict[int, str]:
    """Try quarantined messages again; returns each entry's new outcome or reason."""
    results: dict[int, str] = {}
    for entry in entries:
        row, raw = quarantine.get(db, entry), quarantine.raw(db, entry)
        if row is None or raw is None:
            results[entry] = "no such quarantine entry"
        elif row["stage"] == "fetch":
            results[entry] = NOT_FETCHED.format(origin=row["origin"], reason=row["reason"])
        elif row["stage"] == quarantine.REFUSED_STAGE:
            results[entry] = NOT_READ.format(origin=row["origin"])
        else:
            results[entry] = _retry_one(db, entry, raw, limits)
    return results


def _retry_one(db: Database, entry: int, raw: RawMessage, limits: Limits) -> str:
    item = prepare(raw, limits)
    if isinstance(item, batch.Rejected):
        with transaction(db):
            quarantine.add(db, raw, item.stage, item.reason)
        return f"still quarantined: {item.reason}"
    with transaction(db):
        (done,) = batch.commit(db, [item])
        quarantine.release(db, entry, done.message)
    verb = "stored" if done.outcome is Outcome.STORED else "already stored"
    return f"{verb} as message {done.message}"
