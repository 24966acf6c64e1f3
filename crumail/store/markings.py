"""The protective markings recorded on logs, for marking what is exported from them."""

from __future__ import annotations

from typing import Iterable

from sqlite_utils import Database

CHUNK = 500    # SQLite's bound-variable limit is far above; one query per chunk


def of_logs(db: Database, logs: Iterable[str | None]) -> list[str]:
    """The distinct markings recorded on ``logs`` (log numbers as stored)."""
    wanted = sorted({log for log in logs if log})
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        found.update(r[0] for r in db.execute(
            f"SELECT DISTINCT protective_marking FROM logs WHERE log IN ({marks}) "
            "AND protective_marking IS NOT NULL", chunk))
    return sorted(found)
