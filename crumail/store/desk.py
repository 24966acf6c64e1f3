"""Read-only queries the review desk needs that no other store module has.

Only reads, and only over what the desk shows; writes go through the owning
module (review, quarantine, users, sessions).
"""

from __future__ import annotations

from sqlite_utils import Database

from crumail.lognumber import LogNumber
from crumail.store.db import fetch_dicts


def ping(db: Database) -> bool:
    """True when the database answers a query."""
    return db.execute("SELECT 1").fetchone() == (1,)


def count_messages(db: Database) -> int:
    return db.execute("SELECT count(*) FROM messages").fetchone()[0]


def count_quarantined(db: Database) -> int:
    return db.execute(
        "SELECT count(*) FROM quarantine WHERE released_at IS NULL"
    ).fetchone()[0]


DRAFT_SUMMARY = """id, state, template, log, subject, due_date, received_date, updated_at,
    approved_by, approved_at, message"""


def drafts_for_log(db: Database, log: str) -> list[dict]:
    """Drafts about ``log`` (newest first), for the log page."""
    if not _has_table(db, "drafts"):
        return []
    return fetch_dicts(db, f"SELECT {DRAFT_SUMMARY} FROM drafts WHERE log = ? ORDER BY id DESC", [log])


def drafts_of_message(db: Database, message: int) -> list[dict]:
    if not _has_table(db, "drafts"):
        return []
    return fetch_dicts(db, f"SELECT {DRAFT_SUMMARY} FROM drafts WHERE message = ? ORDER BY id", [message])


def logs_of_message(db: Database, message: int) -> list[dict]:
    """The logs a stored message (or a message nested in it) mentions."""
    if not _has_table(db, "log_messages"):
        return []
    rows = fetch_dicts(db, "SELECT DISTINCT log, role FROM log_messages WHERE message = ?", [message])
    return sorted(rows, key=lambda r: (r["role"] != "primary", _log_order(r["log"])))


def _log_order(log: str) -> tuple[int, int, str]:
    parsed = LogNumber.parse(log)
    return (*parsed.sort_key, "") if parsed else (0, 0, log)


def _has_table(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [name]).fetchone() is not None


QUEUE_COLUMNS = """id, state, template, log, subject, force, to_json, due_date, received_date,
    created_at, updated_at, approved_by, message"""


def queue(db: Database, states: list[str] | None, *, due_before: str | None = None,
          text: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """(how many match, one page of them): drafts by deadline, soonest first,
    those without a deadline last.  ``due_before`` (ISO date) keeps drafts due
    before it; ``text`` matches the subject, the log or the force."""
    if not _has_table(db, "drafts"):
        return 0, []
    where, params = _queue_filter(states, due_before, text)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = db.execute(f"SELECT count(*) FROM drafts{clause}", params).fetchone()[0]
    rows = fetch_dicts(db, f"""SELECT {QUEUE_COLUMNS} FROM drafts{clause}
                          ORDER BY due_date IS NULL, due_date, id LIMIT ? OFFSET ?""",
                  [*params, limit, offset])
    return total, rows


def _queue_filter(states, due_before, text) -> tuple[list[str], list]:
    where: list[str] = []
    params: list = []
    if states:
        where.append(f"state IN ({', '.join('?' for _ in states)})")
        params.extend(states)
    if due_before:
        where.append("due_date < ?")
        params.append(due_before)
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(subject LIKE ? ESCAPE '\\' OR log LIKE ? ESCAPE '\\' OR force LIKE ? ESCAPE '\\')")
        params.extend([like, like, like])
    return where, params



AUDIT_COLUMNS = "a.id, a.draft, a.at, a.actor, a.action, a.from_state, a.to_state, a.comment, a.body_sha256, a.detail"


def audit_trail(db: Database, *, actor: str | None = None, action: str | None = None,
                draft: int | None = None, since: str | None = None, until: str | None = None,
                limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
    """(how many match, one page of them): audit rows of every draft, newest
    first, with the draft's subject and log.  ``since``/``until`` are ISO
    dates, both included."""
    if not _has_table(db, "draft_audit"):
        return 0, []
    where, params = [], []
    for clause, value in (("a.actor = ?", actor), ("a.action = ?", action), ("a.draft = ?", draft),
                          ("a.at >= ?", since), ("a.at < date(?, '+1 day')", until)):
        if value not in (None, ""):
            where.append(clause)
            params.append(value)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = db.execute(f"SELECT count(*) FROM draft_audit a{clause}", params).fetchone()[0]
    rows = fetch_dicts(db, f"""SELECT {AUDIT_COLUMNS}, d.subject, d.log FROM draft_audit a
                          LEFT JOIN drafts d ON d.id = a.draft{clause}
                          ORDER BY a.id DESC LIMIT ? OFFSET ?""", [*params, limit, offset])
    return total, rows


def audit_choices(db: Database) -> tuple[list[str], list[str]]:
    """The actors and the actions that occur in the audit trail, for its filters."""
    if not _has_table(db, "draft_audit"):
        return [], []
    actors = [r[0] for r in db.execute("SELECT DISTINCT actor FROM draft_audit ORDER BY actor")]
    actions = [r[0] for r in db.execute("SELECT DISTINCT action FROM draft_audit ORDER BY action")]
    return actors, actions


OPEN_STATES = ("drafted", "edited", "approved", "sending", "failed", "unconfirmed")


def deadline_rows(db: Database) -> list[dict]:
    """Every open draft (not yet sent, not rejected), soonest deadline first."""
    if not _has_table(db, "drafts"):
        return []
    marks = ", ".join("?" for _ in OPEN_STATES)
    return fetch_dicts(db, f"""SELECT id, log, subject, force, state, received_date, due_date,
                                 approved_by, updated_at FROM drafts WHERE state IN ({marks})
                          ORDER BY due_date IS NULL, due_date, id""", list(OPEN_STATES))


def casebook_version(db: Database) -> int:
    """A number that changes whenever a question is added to the casebook
    (for caching what is derived from it); 0 before there is a casebook."""
    if not _has_table(db, "questions"):
        return 0
    return db.execute("SELECT coalesce(max(id), 0) FROM questions").fetchone()[0]
