"""The rows the unit's figures are counted from (crumail/figures/ counts them).

Each query reads one table's columns for a period, ``[start, end)`` as ISO
dates (None: open); the counting, the topics and the medians are pure code
above the store.  :func:`version` is what a cache of the figures is keyed
by: it changes whenever a message is stored, a log or question added, or
a draft changes (every change of a draft writes its audit row).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Period:
    start: str | None = None    # ISO date, included
    end: str | None = None      # ISO date, excluded

    def clause(self, column: str) -> tuple[str, list[str]]:
        """`` AND``-joinable conditions on ``column`` (an ISO date or stamp)."""
        parts, values = [], []
        if self.start:
            parts.append(f"{column} >= ?")
            values.append(self.start)
        if self.end:
            parts.append(f"{column} < ?")
            values.append(self.end)
        return (" AND ".join(parts) or "1"), values


def version(db: Database) -> tuple[int, ...]:
    """Changes whenever anything counted changes (cheap: four index look-ups)."""
    return tuple(db.execute(
        """SELECT (SELECT coalesce(max(id), 0) FROM messages),
                  (SELECT count(*) FROM logs),
                  (SELECT coalesce(max(id), 0) FROM questions),
                  (SELECT coalesce(max(id), 0) FROM draft_audit)""").fetchone())


def new_logs(db: Database, period: Period) -> list[tuple[str, str | None, list[str]]]:
    """(first seen, force, exemptions) of each log first seen in the period."""
    where, values = period.clause("first_seen")
    rows = db.execute(f"""SELECT first_seen, logged_with, exemptions FROM logs
                          WHERE first_seen IS NOT NULL AND {where}""", values)
    return [(seen, force, _list(exemptions)) for seen, force, exemptions in rows]


def question_marks(db: Database, period: Period) -> dict[str, int]:
    """For each log first seen in the period, the highest id of its questions
    (a log's topic need not be read again while this stays the same)."""
    where, values = period.clause("l.first_seen")
    return dict(db.execute(f"""SELECT q.log, max(q.id) FROM questions q JOIN logs l ON l.log = q.log
                               WHERE l.first_seen IS NOT NULL AND {where} GROUP BY q.log""", values))


CHUNK = 500


def question_texts(db: Database, logs: list[str]) -> dict[str, list[str]]:
    """The question texts of each of ``logs``."""
    texts: dict[str, list[str]] = {}
    for start in range(0, len(logs), CHUNK):
        chunk = logs[start:start + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for log, text in db.execute(f"SELECT log, text FROM questions WHERE log IN ({marks})", chunk):
            texts.setdefault(log, []).append(text)
    return texts


@dataclass(frozen=True)
class DraftTimes:
    state: str
    received_at: str | None
    approved_at: str | None
    sent_at: str | None
    due_date: str | None


def drafts(db: Database, period: Period) -> list[DraftTimes]:
    """Every draft whose message arrived in the period (a draft with no
    message: made in the period), with its times."""
    where, values = period.clause("coalesce(m.received_at, d.created_at)")
    rows = db.execute(f"""SELECT d.state, coalesce(m.received_at, d.created_at), d.approved_at,
                                 d.sent_at, d.due_date
                          FROM drafts d LEFT JOIN messages m ON m.id = d.message WHERE {where}""", values)
    return [DraftTimes(*row) for row in rows]


def _list(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
