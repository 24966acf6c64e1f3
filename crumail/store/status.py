"""Counts for ``crumail status``: what the store holds and each source's health."""

from __future__ import annotations

from sqlite_utils import Database

from crumail.store import actions, ledger

# name in the report -> (table it needs, the count)
COUNTS = {
    "messages": ("messages", "SELECT count(*) FROM messages"),
    "nested": ("nested", "SELECT count(*) FROM nested"),
    "attachments": ("attachments", "SELECT count(*) FROM attachments"),
    "quarantined": ("quarantine", "SELECT count(*) FROM quarantine WHERE released_at IS NULL"),
    "logs": ("logs", "SELECT count(*) FROM logs"),
    "questions": ("questions", "SELECT count(*) FROM questions"),
    # imported history: stored and read, never drafted (store/drafts.py)
    "not_drafted": ("drafting_queue", "SELECT count(*) FROM drafting_queue WHERE skipped = 'no_drafts'"),
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
    """Each configured source's state rows (one per folder) with its ledger size
    and its server actions (those of its folders, summed on the source's row)."""
    states = ledger.all_states(db)
    open_actions = actions.summary(db)
    report = []
    for name in names:
        rows = [s for s in states if s["source"] == name] or [{"source": name, "folder": ""}]
        for row in rows:
            report.append({**row, "ledger_size": ledger.size(db, name),
                           "server_actions": _actions_of(open_actions, name, row["folder"])})
    return report


def _actions_of(summary: dict[tuple[str, str], dict], source: str, folder: str) -> dict:
    """Pending, failed (pending after a failed attempt) and void server actions, with
    the last error; for the source's own row ("" folder), those of all its folders."""
    mine = [v for (s, f), v in summary.items() if s == source and (f == folder or not folder)]
    errors = [v["last_error"] for v in mine if v["last_error"]]
    total = {key: sum(v[key] for v in mine) for key in ("pending", "failed", "void")}
    return {**total, "last_error": errors[0] if errors else None}
