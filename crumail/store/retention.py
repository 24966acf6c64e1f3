"""Retention and erasure: the rows past their period, and their tombstones.

What is erased keeps a row: a message keeps its sha256, size, dates, source
key and Message-ID (so the same bytes taken in again are known and stored
nothing, and the IMAP ledger still recognises them), its logs and kind stay
in the casebook's facts; its bytes, headers and text go.  A quarantine entry
keeps its hash and dates; a draft its log, state and dates.  The casebook's
facts (``contributions``) are rewritten by the caller with personal data
replaced by the unit's markers, and the log rebuilt from them.

Every function here runs inside the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from crumail import clock
from crumail.store import casebook, person
from crumail.store.db import fetch_dicts

#: Drafts in these states are on their way out: never erased under them.
IN_FLIGHT = ("approved", "sending", "unconfirmed")


@dataclass(frozen=True)
class Due:
    """One record past its period: ``kind`` ("mail", "quarantine", "draft",
    "audit"), its id, what it is called, and the moment its period ran from."""

    kind: str
    id: int
    label: str
    since: str


def due_mail(db: Database, cutoff: str, limit: int) -> list[Due]:
    """Stored messages received before ``cutoff`` whose every log was last
    active before it too."""
    rows = db.execute(
        """SELECT m.id, coalesce(m.message_id, substr(m.sha256, 1, 16)),
                  max(m.received_at, coalesce((SELECT max(l.last_seen) FROM log_messages lm
                      JOIN logs l ON l.log = lm.log WHERE lm.message = m.id), ''))
             FROM messages m
            WHERE m.erased_at IS NULL AND m.received_at < ?
              AND NOT EXISTS (SELECT 1 FROM log_messages lm JOIN logs l ON l.log = lm.log
                              WHERE lm.message = m.id AND l.last_seen >= ?)
            ORDER BY m.id LIMIT ?""",
        [cutoff, cutoff, limit]).fetchall()
    return [Due("mail", *row) for row in rows]


def due_quarantine(db: Database, cutoff: str, limit: int) -> list[Due]:
    rows = db.execute(
        """SELECT id, coalesce(origin, substr(sha256, 1, 16)), last_attempt FROM quarantine
            WHERE erased_at IS NULL AND last_attempt < ? ORDER BY id LIMIT ?""",
        [cutoff, limit]).fetchall()
    return [Due("quarantine", *row) for row in rows]


def due_drafts(db: Database, cutoff: str, limit: int) -> list[Due]:
    marks = ",".join("?" * len(IN_FLIGHT))
    rows = db.execute(
        f"""SELECT id, coalesce(log, '') || ' ' || state, updated_at FROM drafts
             WHERE erased_at IS NULL AND updated_at < ? AND state NOT IN ({marks})
             ORDER BY id LIMIT ?""",
        [cutoff, *IN_FLIGHT, limit]).fetchall()
    return [Due("draft", *row) for row in rows]


def due_audit(db: Database, cutoff: str, limit: int) -> list[Due]:
    rows = db.execute(
        """SELECT id, 'draft ' || draft || ' ' || action, at FROM draft_audit
            WHERE at < ? ORDER BY id LIMIT ?""", [cutoff, limit]).fetchall()
    return [Due("audit", *row) for row in rows]


def contributions(db: Database, message: int) -> list[tuple[int, str | None, dict]]:
    """(id, primary log, extraction) of every casebook fact ``message`` gave."""
    return [(row[0], row[1], json.loads(row[2])) for row in db.execute(
        "SELECT id, primary_log, extraction FROM contributions WHERE message = ?", [message])]


def log_contributions(db: Database, logs: list[str]) -> list[tuple[int, dict]]:
    """(id, extraction) of every casebook fact whose log is one of ``logs``."""
    marks = ",".join("?" * len(logs))
    return [(row[0], json.loads(row[1])) for row in db.execute(
        f"""SELECT id, extraction FROM contributions WHERE primary_log IN ({marks})
             OR message IN (SELECT message FROM log_messages WHERE log IN ({marks}))""", [*logs, *logs])]


def logs_of(db: Database, message: int) -> set[str]:
    return {row[0] for row in db.execute("SELECT log FROM log_messages WHERE message = ?", [message])}


def rewrite_contribution(db: Database, contribution: int, extraction: dict) -> None:
    db.execute("UPDATE contributions SET extraction = ? WHERE id = ?",
               [json.dumps(extraction, ensure_ascii=False), contribution])


def rebuild_logs(db: Database, logs: set[str]) -> None:
    for log in sorted(logs):
        casebook.rebuild(db, log)


def erase_message(db: Database, message: int) -> bool:
    """Make ``message`` a tombstone; False when it was already one."""
    stamp = clock.stamp()
    done = db.execute(
        """UPDATE messages SET raw = x'', subject = NULL, from_name = NULL, from_address = NULL,
               to_json = '[]', cc_json = '[]', text = '', text_source = NULL, defects_json = '[]',
               origin = NULL, filename = NULL, erased_at = ?
            WHERE id = ? AND erased_at IS NULL""", [stamp, message]).rowcount
    if done:
        db.execute("""UPDATE nested SET subject = NULL, from_name = NULL, from_address = NULL,
                          filename = NULL, text = '' WHERE message = ?""", [message])
        db.execute("UPDATE attachments SET filename = NULL WHERE message = ?", [message])
        person.forget(db, message)
        db.execute("UPDATE drafting_queue SET done_at = coalesce(done_at, ?) WHERE message = ?",
                   [stamp, message])
    return bool(done)


def erase_quarantine(db: Database, entry: int) -> bool:
    stamp = clock.stamp()
    return bool(db.execute(
        """UPDATE quarantine SET raw = x'', origin = NULL, filename = NULL,
               reason = 'erased: past its retention period', released_at = coalesce(released_at, ?),
               erased_at = ? WHERE id = ? AND erased_at IS NULL""", [stamp, stamp, entry]).rowcount)


def draft_texts(db: Database, draft: int) -> dict | None:
    found = fetch_dicts(db, "SELECT subject, body, to_json, cc_json, state FROM drafts WHERE id = ?",
                        [draft])
    return found[0] if found else None


def erase_draft(db: Database, draft: int, subject: str, body: str) -> bool:
    """Keep the draft's row with ``subject`` and ``body`` (the caller's masked
    text) and no recipients; a draft in flight is left alone."""
    marks = ",".join("?" * len(IN_FLIGHT))
    return bool(db.execute(
        f"""UPDATE drafts SET subject = ?, body = ?, to_json = '[]', cc_json = '[]',
                last_error = NULL, erased_at = ?
             WHERE id = ? AND erased_at IS NULL AND state NOT IN ({marks})""",
        [subject, body, clock.stamp(), draft, *IN_FLIGHT]).rowcount)


def erase_audit(db: Database, rows: list[int]) -> int:
    """Delete audit rows past their period.  The table refuses deletes (its
    trigger); the trigger is lifted and put back inside this one transaction,
    so no other writer ever sees the table without it."""
    if not rows:
        return 0
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'draft_audit_no_delete'").fetchone()[0]
    db.execute("DROP TRIGGER draft_audit_no_delete")
    marks = ",".join("?" * len(rows))
    count = db.execute(f"DELETE FROM draft_audit WHERE id IN ({marks})", rows).rowcount
    db.execute(sql)
    return count


def record(db: Database, actor: str, action: str, counts: dict[str, int], reason: str | None = None) -> int:
    """One row of the erasure record: who, what, how many of each kind, why."""
    return db.execute(
        "INSERT INTO erasures (at, actor, action, reason, counts_json) VALUES (?,?,?,?,?)",
        [clock.stamp(), actor, action, reason, json.dumps(counts, sort_keys=True)]).lastrowid


def mask_records(db: Database, mask) -> int:
    """Rewrite the reasons of the record through ``mask`` (an erasure on
    request takes the person's name out of the searches recorded before)."""
    changed = 0
    for row_id, reason in db.execute("SELECT id, reason FROM erasures WHERE reason IS NOT NULL").fetchall():
        masked = mask(reason)
        if masked != reason:
            db.execute("UPDATE erasures SET reason = ? WHERE id = ?", [masked, row_id])
            changed += 1
    return changed


def history(db: Database, limit: int = 50) -> list[dict]:
    rows = fetch_dicts(db, "SELECT * FROM erasures ORDER BY id DESC LIMIT ?", [limit])
    for row in rows:
        row["counts"] = json.loads(row.pop("counts_json"))
    return rows


def last_run(db: Database, action: str) -> str | None:
    row = db.execute("SELECT max(at) FROM erasures WHERE action = ?", [action]).fetchone()
    return row[0] if row else None


def reclaim(db: Database) -> dict[str, int]:
    """Give erased space back and leave no copy of it behind, outside any
    transaction: a database made before auto_vacuum is vacuumed once into
    incremental mode (waiting for the write lock like any writer); others
    free their empty pages; then the WAL is checkpointed and truncated."""
    for table in ("questions_fts", "advice_fts", "person_text"):   # drop the old segments still holding erased words
        db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    before = db.execute("PRAGMA freelist_count").fetchone()[0]
    if db.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        db.execute("VACUUM")
    else:
        db.execute("PRAGMA incremental_vacuum")
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return {"free_pages_before": before, "checkpoint_busy": busy}


def propose(db: Database, by: str, person: dict, reason: str) -> int:
    return db.execute(
        "INSERT INTO erasure_proposals (proposed_at, proposed_by, person_json, reason) VALUES (?,?,?,?)",
        [clock.stamp(), by, json.dumps(person, ensure_ascii=False), reason]).lastrowid


def proposal(db: Database, proposal_id: int) -> dict | None:
    found = fetch_dicts(db, "SELECT * FROM erasure_proposals WHERE id = ?", [proposal_id])
    if not found:
        return None
    found[0]["person"] = json.loads(found[0].pop("person_json"))
    return found[0]


def proposal_done(db: Database, proposal_id: int, by: str, masked_person: dict) -> bool:
    return bool(db.execute(
        """UPDATE erasure_proposals SET state = 'done', approved_by = ?, approved_at = ?, person_json = ?
            WHERE id = ? AND state = 'proposed'""",
        [by, clock.stamp(), json.dumps(masked_person), proposal_id]).rowcount)


def open_proposals(db: Database) -> list[dict]:
    """Open erasure proposals, without the person (shown only to whoever searches for them)."""
    return fetch_dicts(db, "SELECT id, proposed_at, proposed_by, reason FROM erasure_proposals "
                           "WHERE state = 'proposed' ORDER BY id")
