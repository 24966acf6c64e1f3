"""The ``imports`` table (one row per archive ``crumail import`` reads) and
(messages an import stores are marked in the drafting queue, store/drafts.py).

An archive's position says where a restarted import goes on from; it is
written after the messages it covers are committed, so it may lag behind
them, never run ahead (the ledger, written in the messages' own
transaction, tells the importer which of the items after it are already
in: see crumail/sources/archive/).
"""

from __future__ import annotations

from sqlite_utils import Database

from crumail import clock
from crumail.store.db import fetch_dict, fetch_dicts

def begin(db: Database, path: str, format: str) -> dict:
    """The archive's row (made on first sight, set running again on a restart)."""
    now = clock.stamp()
    db.execute(
        """INSERT INTO imports (path, format, started_at, updated_at) VALUES (?,?,?,?)
           ON CONFLICT(path) DO UPDATE SET state = CASE WHEN state = 'done' THEN 'done'
               ELSE 'running' END, format = excluded.format, updated_at = excluded.updated_at""",
        [path, format, now, now],
    )
    row = fetch_dict(db, "SELECT * FROM imports WHERE path = ?", [path])
    assert row is not None
    return row


def advance(db: Database, archive: int, position: str | None, skipped: int, source: str,
            whole_files: bool) -> None:
    """Move the archive's position on, add ``skipped``, and count what the ledger
    holds of it (its items' keys start ``PATH#``): exact after any kill, where
    counts kept in memory would lose the items committed since the last write.
    ``whole_files``: each item is a file of its own (a Maildir, a folder)."""
    row = fetch_dict(db, "SELECT path FROM imports WHERE id = ?", [archive])
    if row is None:
        return
    low = row["path"] + "#"
    high = low + "\U0010ffff"
    tally = dict(db.execute(
        """SELECT outcome, count(*) FROM ledger WHERE source = ? AND source_key >= ?
           AND source_key < ? GROUP BY outcome""", [source, low, high]).fetchall())
    files = sum(tally.values()) if whole_files else 1
    db.execute(
        """UPDATE imports SET position = coalesce(?, position), skipped = skipped + ?, files = ?,
               stored = ?, duplicates = ?, quarantined = ?, updated_at = ? WHERE id = ?""",
        [position, skipped, files, tally.get("stored", 0), tally.get("duplicate", 0),
         tally.get("quarantined", 0), clock.stamp(), archive],
    )


def finish(db: Database, archive: int, error: str | None = None) -> None:
    """The archive read to its end (``done``), or given up with ``error`` (``failed``)."""
    now = clock.stamp()
    db.execute("UPDATE imports SET state = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?",
               ["failed" if error else "done", error, now, now, archive])


def restart(db: Database, archive: int) -> None:
    """Read a finished archive again from its start (``--again``)."""
    db.execute("UPDATE imports SET state = 'running', position = NULL, finished_at = NULL, "
               "error = NULL WHERE id = ?", [archive])


def listing(db: Database, limit: int = 200) -> list[dict]:
    """Every archive imported, newest first, for the desk and ``crumail status``."""
    if "imports" not in db.table_names():
        return []
    return fetch_dicts(db, "SELECT * FROM imports ORDER BY id DESC LIMIT ?", [limit])
