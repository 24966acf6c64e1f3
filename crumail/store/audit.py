"""The drafts' audit trail: append-only rows (triggers refuse UPDATE and DELETE).

Every change of a draft's text or state adds one row saying who, when, what
and why, with the SHA-256 of the body as it stood after the change.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from crumail import clock
from crumail.model import AuditEntry


def record(db: Database, draft: int, *, actor: str, action: str, from_state: str | None,
           to_state: str, body_sha256: str, comment: str | None = None,
           detail: dict[str, Any] | None = None) -> int:
    """Append one audit row; call inside the transaction that makes the change."""
    cursor = db.execute(
        """INSERT INTO draft_audit (draft, at, actor, action, from_state, to_state, comment,
               body_sha256, detail) VALUES (?,?,?,?,?,?,?,?,?)""",
        [draft, clock.stamp(), actor, action, from_state, to_state, comment, body_sha256,
         json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)],
    )
    return cursor.lastrowid


def history(db: Database, draft: int) -> list[AuditEntry]:
    """Every audit row of ``draft``, oldest first."""
    rows = db.execute(
        """SELECT id, draft, at, actor, action, from_state, to_state, comment, body_sha256,
               detail FROM draft_audit WHERE draft = ? ORDER BY id""",
        [draft],
    ).fetchall()
    return [AuditEntry(*row[:9], detail=json.loads(row[9])) for row in rows]
