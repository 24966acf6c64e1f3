"""Counts for ``crumail status``: what the store holds and each source's health."""

from __future__ import annotations

from sqlite_utils import Database

from crumail.store import ledger

# name in the report -> (table it needs, the count)
COUNTS = {
    "messages": ("messages", "SELECT count(*) FROM messages"),
    "nested": ("nested", "SELECT count(*) FROM nested"),
    "attachments": ("attachments", "SELECT count(*) FROM attachments"),
    "quarantined": ("quarantine", "SELECT count(*) FROM quarantine WHERE released_at IS NULL"),
    "logs": ("logs", "SELECT count(*) FROM logs"),
    "questions": ("questions", "SELECT count(*) FROM questions"),
}


def counts(db: Database) -> dict[str, int]:
    tables = set(db.table_names())
    return {name: db.execute(sql).fetchone()[0]
            for name, (table, sql) in COUNTS.items() if table in tables}


def drafts_by_state(db: Database) -> dict[str, int]:
    if "drafts" not in db.table_names():
        return {}
    return dict(db.execute("SELECT state, count(*) FROM drafts GROUP BY state").fetchall())


def sources(db: Database, names: list[str]) -> list[dict]:
    """Each configured source's state rows (one per folder) with its ledger size."""
    states = ledger.all_states(db)
    report = []
    for name in names:
        rows = [s for s in states if s["source"] == name] or [{"source": name, "folder": ""}]
        for row in rows:
            report.append({**row, "ledger_size": ledger.size(db, name)})
    return report
