"""Quarantine: messages no stage could handle, with the stage, reason and bytes."""

from __future__ import annotations

from sqlite_utils import Database

from crumail import clock
from crumail.model import RawMessage
from crumail.store.db import fetch_dicts

# The stage of an entry a source refused to read (RawMessage.refused): a note, not mail.
REFUSED_STAGE = "file"

LIST_COLUMNS = (
    "id, sha256, source, source_key, origin, filename, stage, reason, attempts, "
    "first_attempt, last_attempt, released_at, released_to, length(raw) AS size"
)


def add(db: Database, raw: RawMessage, stage: str, reason: str) -> int:
    """Quarantine ``raw``; the same bytes again only count one more attempt
    (none once the entry is erased: its tombstone stands)."""
    stamp = clock.stamp()
    db.execute(
        """INSERT INTO quarantine (sha256, source, source_key, origin, filename, stage,
               reason, first_attempt, last_attempt, raw)
           VALUES (?,?,?,?,?,?,?,?,?,?)
           ON CONFLICT(sha256) DO UPDATE SET attempts = attempts + 1,
               stage = excluded.stage, reason = excluded.reason,
               last_attempt = excluded.last_attempt, released_at = NULL
           WHERE quarantine.erased_at IS NULL""",
        [raw.sha256, raw.source, raw.key, raw.origin, raw.filename, stage, reason,
         stamp, stamp, raw.data],
    )
    return db.execute("SELECT id FROM quarantine WHERE sha256 = ?", [raw.sha256]).fetchone()[0]


def rows(db: Database, include_released: bool = False) -> list[dict]:
    where = "" if include_released else "WHERE released_at IS NULL"
    return fetch_dicts(db, f"SELECT {LIST_COLUMNS} FROM quarantine {where} ORDER BY id")


def get(db: Database, entry: int) -> dict | None:
    found = fetch_dicts(db, f"SELECT {LIST_COLUMNS} FROM quarantine WHERE id = ?", [entry])
    return found[0] if found else None


def raw(db: Database, entry: int) -> RawMessage | None:
    row = db.execute(
        "SELECT raw, source, source_key, origin, filename FROM quarantine WHERE id = ?", [entry]
    ).fetchone()
    if row is None:
        return None
    return RawMessage(data=row[0], source=row[1], key=row[2], origin=row[3] or "", filename=row[4])


def release(db: Database, entry: int, message: int) -> None:
    db.execute(
        "UPDATE quarantine SET released_at = ?, released_to = ? WHERE id = ?",
        [clock.stamp(), message, entry],
    )


def settle_refused(db: Database, raw: RawMessage, message: int) -> None:
    """The file behind an open note (refused unread) is now stored as
    ``message``: the note is released to it, so it no longer asks for attention."""
    db.execute(
        # stage and released_at as written in the partial index m070_quarantine_refused_files
        f"""UPDATE quarantine SET released_at = ?, released_to = ?
            WHERE source = ? AND source_key = ? AND stage = '{REFUSED_STAGE}' AND released_at IS NULL""",
        [clock.stamp(), message, raw.source, raw.key],
    )


def open_ids(db: Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM quarantine WHERE released_at IS NULL ORDER BY id")]
