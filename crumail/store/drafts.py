"""Drafts, the log number counter and the drafting queue: rows in, rows out.

State changes are conditional updates (``WHERE state IN (...)``), so two
desks acting on the same draft cannot both win: the loser sees ``False``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from sqlite_utils import Database

from crumail import clock
from crumail.model import Draft, DraftText
from crumail.store.db import fetch_dict, fetch_dicts

COLUMNS_FROM_TEXT = ("template", "log", "from_address", "subject", "body", "in_reply_to",
                     "marking", "force", "nation", "received_date", "due_date")


# -- drafts ------------------------------------------------------------------

def insert(db: Database, message: int | None, text: DraftText, state: str = "drafted") -> int | None:
    """Store a rendered draft; None when ``message`` already has this template's draft."""
    stamp = clock.stamp()
    values: dict[str, Any] = {name: getattr(text, name) for name in COLUMNS_FROM_TEXT}
    values.update(message=message, state=state, to_json=json.dumps(list(text.to)),
                  cc_json=json.dumps(list(text.cc)),
                  references_json=json.dumps(list(text.references)),
                  caveats_json=json.dumps(list(text.caveats)), created_at=stamp, updated_at=stamp)
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(f"INSERT OR IGNORE INTO drafts ({names}) VALUES ({marks})", list(values.values()))
    return cursor.lastrowid if cursor.rowcount else None


def get(db: Database, draft: int) -> Draft | None:
    found = fetch_dict(db, "SELECT * FROM drafts WHERE id = ?", [draft])
    return None if found is None else Draft.from_row(found)


def select(db: Database, states: Iterable[str] | None = None, message: int | None = None,
           due_before: str | None = None) -> list[Draft]:
    """Drafts, oldest first, filtered by state, source message and retry time."""
    where, args = [], []
    if states is not None:
        states = list(states)
        where.append(f"state IN ({', '.join('?' for _ in states)})")
        args.extend(states)
    if message is not None:
        where.append("message = ?")
        args.append(message)
    if due_before is not None:
        where.append("(next_attempt IS NULL OR next_attempt <= ?)")
        args.append(due_before)
    sql = "SELECT * FROM drafts" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id"
    return [Draft.from_row(found) for found in fetch_dicts(db, sql, args)]


def update(db: Database, draft: int, from_states: Iterable[str], **values: Any) -> bool:
    """Set ``values`` on ``draft`` if it is in one of ``from_states``; True when it was."""
    values = {_column(k): _encode(k, v) for k, v in values.items()}
    values["updated_at"] = clock.stamp()
    states = list(from_states)
    sets = ", ".join(f"{k} = ?" for k in values)
    cursor = db.execute(
        f"UPDATE drafts SET {sets} WHERE id = ? AND state IN ({', '.join('?' for _ in states)})",
        [*values.values(), draft, *states],
    )
    return cursor.rowcount == 1


def _column(name: str) -> str:
    return {"to": "to_json", "cc": "cc_json", "references": "references_json",
            "caveats": "caveats_json", "overrides": "overrides_json"}.get(name, name)


def _encode(name: str, value: Any) -> Any:
    if name in ("to", "cc", "references", "caveats", "overrides"):
        return json.dumps(list(value), ensure_ascii=False, sort_keys=True)
    return value


# -- log numbers -------------------------------------------------------------

def next_log_number(db: Database, year: int) -> int:
    """The next log number for ``year``; call inside a write transaction.

    Above both the counter and every log of that year the casebook holds as
    circulated or allocated, so a number already given is never given again;
    a number only mentioned in someone's text does not count.
    """
    seen = _highest_seen(db, year)
    db.execute(
        """INSERT INTO log_counters (year, last) VALUES (?, ?)
           ON CONFLICT (year) DO UPDATE SET last = max(last, excluded.last)""",
        [year, seen],
    )
    row = db.execute("UPDATE log_counters SET last = last + 1 WHERE year = ? RETURNING last",
                     [year]).fetchone()
    return int(row[0])


def observe_log_number(db: Database, year: int, number: int) -> None:
    """Raise the counter for ``year`` to at least ``number`` (a log seen in mail)."""
    db.execute(
        """INSERT INTO log_counters (year, last) VALUES (?, ?)
           ON CONFLICT (year) DO UPDATE SET last = max(last, excluded.last)""",
        [year, number],
    )


def _highest_seen(db: Database, year: int) -> int:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='logs'").fetchone():
        return 0
    # Only a log some message speaks for (a circulation's, an allocated
    # referral's) has a kind; one merely mentioned in a force's text has none.
    row = db.execute("SELECT max(number) FROM logs WHERE year = ? AND kind IS NOT NULL", [year]).fetchone()
    return int(row[0] or 0)


# -- the drafting queue ------------------------------------------------------

def enqueue(db: Database, message: int, kind: str | None = None, drafts: bool = True) -> None:
    """Queue a newly stored message for drafting (in the transaction that stores
    it); with ``drafts=False`` (an archive import) it is entered as done, passed
    over with ``skipped = 'no_drafts'``, so it is counted but never drafted."""
    now = clock.stamp()
    db.execute("INSERT OR IGNORE INTO drafting_queue (message, queued_at, kind, done_at, skipped) VALUES (?, ?, ?, ?, ?)",
               [message, now, kind, None if drafts else now, None if drafts else "no_drafts"])


def skip_drafting(db: Database, message: int, reason: str) -> None:
    """Note why ``message`` gets no drafts (``age``); the caller dequeues it."""
    db.execute("UPDATE drafting_queue SET skipped = ? WHERE message = ?", [reason, message])


def skipped_counts(db: Database) -> dict[str, int]:
    """Messages passed over without drafts: ``skipped_age`` (older than
    ``[drafts] max_age_days``), ``skipped_no_drafts`` (taken in with drafts off)."""
    row = db.execute(
        """SELECT count(*) FILTER (WHERE skipped = 'age'), count(*) FILTER (WHERE skipped = 'no_drafts')
           FROM drafting_queue WHERE skipped IS NOT NULL""").fetchone()
    return {"skipped_age": row[0], "skipped_no_drafts": row[1]}


def queued(db: Database, max_attempts: int) -> list[tuple[int, str | None]]:
    """(message, kind) of every message waiting to be drafted, oldest first."""
    rows = db.execute(
        "SELECT message, kind FROM drafting_queue WHERE done_at IS NULL AND attempts < ? ORDER BY message",
        [max_attempts],
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def dequeue_kinds(db: Database, kinds: list[str]) -> int:
    """Mark every queued message of these kinds done at once; returns how many."""
    marks = ",".join("?" * len(kinds))
    return db.execute(
        f"UPDATE drafting_queue SET done_at = ? WHERE done_at IS NULL AND kind IN ({marks})",
        [clock.stamp(), *kinds],
    ).rowcount


def still_queued(db: Database, message: int) -> bool:
    row = db.execute("SELECT done_at FROM drafting_queue WHERE message = ?", [message]).fetchone()
    return row is not None and row[0] is None


def dequeue(db: Database, message: int) -> None:
    db.execute("UPDATE drafting_queue SET done_at = ?, last_error = NULL WHERE message = ?",
               [clock.stamp(), message])


def drafting_failed(db: Database, message: int, reason: str, version: str) -> int:
    """Note a failed attempt; returns how many there have been."""
    row = db.execute(
        """UPDATE drafting_queue SET attempts = attempts + 1, last_error = ?, failed_at = ?,
               failed_version = ? WHERE message = ? RETURNING attempts""",
        [reason, clock.stamp(), version, message]).fetchone()
    return int(row[0]) if row else 0


def drafting_failures(db: Database, max_attempts: int, limit: int = 100) -> list[dict]:
    """Open queue entries that failed at least once, with the message's subject
    and sender, the most recent failure first; ``given_up`` when drafting
    stopped trying by itself."""
    return fetch_dicts(
        db,
        """SELECT q.message, q.attempts, q.last_error AS reason, q.failed_at, q.failed_version,
                  q.attempts >= ? AS given_up, m.subject, m.from_address
           FROM drafting_queue q LEFT JOIN messages m ON m.id = q.message
           WHERE q.done_at IS NULL AND q.attempts > 0
           ORDER BY q.failed_at DESC, q.message DESC LIMIT ?""",
        [max_attempts, limit])


def drafting_counts(db: Database, max_attempts: int) -> dict[str, int]:
    """Open queue entries: waiting (never failed), failing (will be tried again), given up."""
    row = db.execute(
        """SELECT count(*) FILTER (WHERE attempts = 0),
                  count(*) FILTER (WHERE attempts > 0 AND attempts < ?),
                  count(*) FILTER (WHERE attempts >= ?)
           FROM drafting_queue WHERE done_at IS NULL""", [max_attempts, max_attempts]).fetchone()
    return {"waiting": row[0], "failing": row[1], "given_up": row[2]}


def retry_drafting(db: Database, messages: list[int] | None = None,
                   unless_version: str | None = None) -> int:
    """Give failed queue entries their attempts back: all of them, those of
    ``messages``, or those that last failed under a crumail other than
    ``unless_version``.  The reason stays until a draft is made.  Returns how many."""
    if messages == []:
        return 0
    sql = "UPDATE drafting_queue SET attempts = 0 WHERE done_at IS NULL AND attempts > 0"
    args: list[Any] = []
    if messages is not None:
        sql += f" AND message IN ({', '.join('?' for _ in messages)})"
        args.extend(messages)
    if unless_version is not None:
        sql += " AND failed_version IS NOT ?"
        args.append(unless_version)
    return db.execute(sql, args).rowcount
