"""The access trail: who saw, searched, exported or changed what, and when.

One append-only table (migration m135): the desk and the command line add
a row for every login (and failed login, with the name tried), logout,
password change, view of a message, draft, raw download or quarantine item,
search, export and admin change.  A row is one cheap INSERT in its own
short transaction (WAL, ``synchronous=NORMAL``: no fsync per page view).
Triggers refuse any UPDATE, and any DELETE of a row not older than the
horizon :func:`forget_before` writes (itself append-only, moving only
forward), which is how the audit's own retention period forgets old rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from crumail import clock
from crumail.store.db import transaction

VIA = ("desk", "cli", "daemon")
DETAIL_CHARS = 4000    # a search query or a file name is the user's; the row stays small


@dataclass(frozen=True)
class Filter:
    """What the audit page and ``crumail audit`` narrow the trail to (ISO dates, both included)."""

    actor: str | None = None
    action: str | None = None
    via: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, values = [], []
        for clause, value in (("actor = ?", self.actor), ("action = ?", self.action),
                              ("via = ?", self.via), ("at >= ?", self.since),
                              ("at < date(?, '+1 day')", self.until)):
            if value not in (None, ""):
                clauses.append(clause)
                values.append(value)
        return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), values


def record(db: Database, *, actor: str, via: str, action: str, target: str | None = None,
           client: str | None = None, detail: dict[str, Any] | None = None) -> int:
    """Append one row in its own transaction; returns its id."""
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    if len(text) > DETAIL_CHARS:
        text = json.dumps({"truncated": text[:DETAIL_CHARS]}, ensure_ascii=False)
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO access_trail (at, actor, via, action, target, client, detail) "
            "VALUES (?,?,?,?,?,?,?)",
            [clock.stamp(precise=True), actor[:200], via, action[:100],
             target[:300] if target else None, client[:100] if client else None, text])
    return cursor.lastrowid


COLUMNS = ("id", "at", "actor", "via", "action", "target", "client", "detail")


def rows(db: Database, wanted: Filter, *, limit: int | None = 100, offset: int = 0) -> tuple[int, list[dict]]:
    """(how many match, that page of them), newest first; ``limit=None``: all."""
    clause, values = wanted.where()
    total = db.execute(f"SELECT count(*) FROM access_trail{clause}", values).fetchone()[0]
    page = "" if limit is None else " LIMIT ? OFFSET ?"
    extra = [] if limit is None else [limit, offset]
    cursor = db.execute(f"SELECT {', '.join(COLUMNS)} FROM access_trail{clause} ORDER BY id DESC{page}",
                        [*values, *extra])
    found = []
    for row in cursor:
        item = dict(zip(COLUMNS, row))
        item["detail"] = _loaded(item["detail"])
        found.append(item)
    return total, found


TABLE_COLUMNS = COLUMNS


def as_table(found: list[dict]) -> list[list[object]]:
    """Rows of :func:`rows` as an export's cells, the detail as ``key=value, ...``."""
    return [[r["id"], r["at"], r["actor"], r["via"], r["action"], r["target"], r["client"],
             ", ".join(f"{k}={v}" for k, v in sorted(r["detail"].items()))] for r in found]


def _loaded(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def choices(db: Database) -> tuple[list[str], list[str]]:
    """The actors and the actions that occur in the trail, for its filters."""
    actors = [r[0] for r in db.execute("SELECT DISTINCT actor FROM access_trail ORDER BY actor")]
    actions = [r[0] for r in db.execute("SELECT DISTINCT action FROM access_trail ORDER BY action")]
    return actors, actions


def forget_before(db: Database, before: str, *, actor: str) -> int:
    """Delete the rows older than ``before`` (an ISO stamp), the audit's own
    retention; the horizon is written first (the triggers allow nothing
    newer) and the forgetting is itself a row.  Returns how many went."""
    with transaction(db):
        db.execute("INSERT INTO access_trail_horizon (before, set_at, actor) VALUES (?,?,?)",
                   [before, clock.stamp(), actor])
        gone = db.execute("DELETE FROM access_trail WHERE at < ?", [before]).rowcount
    record(db, actor=actor, via="daemon" if actor == "crumail" else "cli", action="audit_forgotten",
           detail={"before": before, "rows": gone})
    return gone
