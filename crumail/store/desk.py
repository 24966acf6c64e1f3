"""Read-only queries the review desk needs that no other store module has.

Only reads, and only over what the desk shows; writes go through the owning
module (review, quarantine, users, sessions).
"""

from __future__ import annotations

from sqlite_utils import Database


def ping(db: Database) -> bool:
    """True when the database answers a query."""
    return db.execute("SELECT 1").fetchone() == (1,)


def count_messages(db: Database) -> int:
    return db.execute("SELECT count(*) FROM messages").fetchone()[0]


def count_quarantined(db: Database) -> int:
    return db.execute(
        "SELECT count(*) FROM quarantine WHERE released_at IS NULL"
    ).fetchone()[0]


def quarantine_raw_name(db: Database, entry: int) -> str | None:
    row = db.execute("SELECT filename FROM quarantine WHERE id = ?", [entry]).fetchone()
    return row[0] if row else None
