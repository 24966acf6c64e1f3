"""Files attached to drafts: rows in, rows out (issue 10).

Listing never reads the bytes; :func:`files` does, for building the
message that leaves.
"""

from __future__ import annotations

import hashlib

from sqlite_utils import Database

from crumail.model import DraftFile
from crumail import clock
from crumail.store.db import fetch_dicts

LISTED = "id, draft, filename, content_type, kind, size, sha256, added_by, added_at"


def add(db: Database, draft: int, filename: str, content_type: str, kind: str, data: bytes, by: str) -> int:
    """Store one file with its draft; call inside the transaction that records it."""
    cursor = db.execute(
        """INSERT INTO draft_attachments (draft, filename, content_type, kind, size, sha256, data,
               added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?)""",
        [draft, filename, content_type, kind, len(data), hashlib.sha256(data).hexdigest(), data, by, clock.stamp()],
    )
    return int(cursor.lastrowid)


def listed(db: Database, draft: int) -> list[dict]:
    """A draft's files without their bytes, in the order they were attached."""
    return fetch_dicts(db, f"SELECT {LISTED} FROM draft_attachments WHERE draft = ? ORDER BY id", [draft])


def files(db: Database, draft: int) -> tuple[DraftFile, ...]:
    """A draft's files with their bytes, in the order they were attached."""
    rows = fetch_dicts(db, "SELECT id, filename, content_type, data FROM draft_attachments WHERE draft = ? "
                           "ORDER BY id", [draft])
    return tuple(DraftFile(r["id"], r["filename"], r["content_type"], bytes(r["data"])) for r in rows)


def remove(db: Database, draft: int, file_id: int) -> bool:
    cursor = db.execute("DELETE FROM draft_attachments WHERE draft = ? AND id = ?", [draft, file_id])
    return cursor.rowcount > 0


def total_size(db: Database, draft: int) -> int:
    rows = fetch_dicts(db, "SELECT COALESCE(SUM(size), 0) AS n FROM draft_attachments WHERE draft = ?", [draft])
    return int(rows[0]["n"])
