"""The ``imports`` table (one row per archive ``crumail import`` reads) and
``not_drafted`` (messages stored without being queued for drafting).

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

COUNTED = ("files", "stored", "duplicates", "quarantined", "skipped")


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


def advance(db: Database, archive: int, position: str | None, added: dict[str, int]) -> None:
    """Move the archive's position on and add to its counts."""
    sets = ", ".join(f"{name} = {name} + ?" for name in COUNTED)
    db.execute(
        f"UPDATE imports SET position = coalesce(?, position), {sets}, updated_at = ? WHERE id = ?",
        [position, *[added.get(name, 0) for name in COUNTED], clock.stamp(), archive],
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


def not_drafted(db: Database, message: int, reason: str) -> None:
    """Record that ``message`` was stored without being queued for drafting."""
    db.execute("INSERT OR IGNORE INTO not_drafted (message, reason, recorded_at) VALUES (?,?,?)",
               [message, reason, clock.stamp()])


def not_drafted_counts(db: Database) -> dict[str, int]:
    """How many messages were not drafted, by reason."""
    if "not_drafted" not in db.table_names():
        return {}
    return dict(db.execute("SELECT reason, count(*) FROM not_drafted GROUP BY reason").fetchall())
