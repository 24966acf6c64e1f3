"""The ingest ledger and each source's state (watermarks, health).

Sources ask the ledger what they already gave; the pipeline writes a ledger
row in the same transaction as the message it stored, so the two never
disagree, whatever moment the process dies at.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from crumail import clock
from crumail.model import RawMessage
from crumail.store.db import fetch_dict, fetch_dicts


@dataclass(frozen=True)
class LedgerEntry:
    """Where a message sat in its source, for IMAP sources."""

    folder: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    message_id: str | None = None


def seen(db: Database, source: str, key: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM ledger WHERE source = ? AND source_key = ?", [source, key]
    ).fetchone()
    return row is not None


def record(db: Database, raw: RawMessage, outcome: str, *, message: int | None = None,
           quarantine: int | None = None, entry: LedgerEntry | None = None) -> None:
    entry = entry or LedgerEntry()
    db.execute(
        """INSERT INTO ledger (source, source_key, folder, uidvalidity, uid, sha256,
               message_id, outcome, message, quarantine, recorded_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?)
           ON CONFLICT(source, source_key) DO UPDATE SET outcome = excluded.outcome,
               message = excluded.message, quarantine = excluded.quarantine,
               recorded_at = excluded.recorded_at""",
        [raw.source, raw.key, entry.folder, entry.uidvalidity, entry.uid, raw.sha256,
         entry.message_id, outcome, message, quarantine, clock.stamp()],
    )


def size(db: Database, source: str) -> int:
    return db.execute("SELECT count(*) FROM ledger WHERE source = ?", [source]).fetchone()[0]


def note_failure(db: Database, source: str, key: str, error: str) -> int:
    """Count one more failed attempt at a message; returns the attempts so far."""
    db.execute(
        """INSERT INTO failures (source, source_key, attempts, last_error, last_attempt)
           VALUES (?,?,1,?,?) ON CONFLICT(source, source_key) DO UPDATE SET
           attempts = attempts + 1, last_error = excluded.last_error,
           last_attempt = excluded.last_attempt""",
        [source, key, error, clock.stamp()],
    )
    return db.execute(
        "SELECT attempts FROM failures WHERE source = ? AND source_key = ?", [source, key]
    ).fetchone()[0]


def clear_failure(db: Database, source: str, key: str) -> None:
    db.execute("DELETE FROM failures WHERE source = ? AND source_key = ?", [source, key])


def state(db: Database, source: str, folder: str = "") -> dict:
    return fetch_dict(db, "SELECT * FROM source_state WHERE source = ? AND folder = ?",
                      [source, folder]) or {}


def update_state(db: Database, source: str, folder: str = "", **values: object) -> None:
    """Upsert columns of ``source_state`` for (source, folder)."""
    columns = ["source", "folder", *values]
    marks = ",".join("?" * len(columns))
    updates = ",".join(f"{c} = excluded.{c}" for c in values) or "source = source"
    db.execute(
        f"""INSERT INTO source_state ({",".join(columns)}) VALUES ({marks})
            ON CONFLICT(source, folder) DO UPDATE SET {updates}""",
        [source, folder, *values.values()],
    )


def all_states(db: Database) -> list[dict]:
    return fetch_dicts(db, "SELECT * FROM source_state ORDER BY source, folder")


# -- IMAP: what a folder already gave, and recognising mail after a resync --

def uids_since(db: Database, source: str, folder: str, uidvalidity: int, first_uid: int) -> set[int]:
    """UIDs of ``folder`` (under ``uidvalidity``) already in the ledger, from ``first_uid`` on."""
    rows = db.execute(
        """SELECT uid FROM ledger WHERE source = ? AND folder = ? AND uidvalidity = ?
           AND uid >= ?""", [source, folder, uidvalidity, first_uid])
    return {r[0] for r in rows}


def has_other_uidvalidity(db: Database, source: str, folder: str, uidvalidity: int) -> bool:
    """True when ``folder`` gave mail under another UIDVALIDITY (it was recreated)."""
    row = db.execute(
        """SELECT 1 FROM ledger WHERE source = ? AND folder = ? AND uidvalidity != ?
           LIMIT 1""", [source, folder, uidvalidity]).fetchone()
    return row is not None


def known_message_id(db: Database, source: str, folder: str, uidvalidity: int,
                     message_id: str) -> tuple[int | None, str] | None:
    """(message, sha256) of mail with ``message_id`` taken from ``folder`` under an
    older UIDVALIDITY, else None; only stored or duplicate rows count."""
    row = db.execute(
        """SELECT message, sha256 FROM ledger WHERE message_id = ? AND source = ?
           AND folder = ? AND uidvalidity != ? AND outcome IN ('stored', 'duplicate')
           AND message IS NOT NULL LIMIT 1""",
        [message_id, source, folder, uidvalidity]).fetchone()
    return (row[0], row[1]) if row else None


def record_known(db: Database, raw: RawMessage, *, message: int, sha256: str,
                 message_id: str | None) -> None:
    """Ledger ``raw`` as a duplicate of stored ``message`` without storing it again."""
    db.execute(
        """INSERT INTO ledger (source, source_key, folder, uidvalidity, uid, sha256,
               message_id, outcome, message, quarantine, recorded_at)
           VALUES (?,?,?,?,?,?,?,'duplicate',?,NULL,?)
           ON CONFLICT(source, source_key) DO NOTHING""",
        [raw.source, raw.key, raw.folder, raw.uidvalidity, raw.uid, sha256, message_id,
         message, clock.stamp()],
    )


def failing_keys(db: Database, source: str) -> set[str]:
    """Keys of ``source`` with failed attempts counted and not yet cleared."""
    return {r[0] for r in db.execute("SELECT source_key FROM failures WHERE source = ?", [source])}


def prune_failures(db: Database, before: str) -> int:
    """Forget failure counts of messages since taken in, or not tried since ``before``."""
    cursor = db.execute(
        """DELETE FROM failures WHERE last_attempt < ? OR EXISTS (SELECT 1 FROM ledger
           WHERE ledger.source = failures.source AND ledger.source_key = failures.source_key)""",
        [before])
    return cursor.rowcount
