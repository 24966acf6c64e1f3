"""Precedents: the earlier logs' questions (and the advice given) closest to a new one.

The casebook answers through ``crumail.store.search.similar(db, log,
limit)``, per question of a log it knows.  A referral that arrived without a
log number is not in the casebook until drafting enters it under the number
it has just been given (crumail/drafts/allocate.py), so that comes first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

log = logging.getLogger("crumail.drafts")


@dataclass(frozen=True)
class Precedent:
    """An earlier log's question (and the advice given) close to a new question."""

    log: str
    question: int | None
    question_text: str
    advice: str | None = None
    date: str | None = None


def for_log(db: Database, log_number: str, limit: int) -> dict[int, list[Precedent]]:
    """Up to ``limit`` precedents for each question of ``log_number``, by question number."""
    if limit <= 0:
        return {}
    try:
        from crumail.store.search import similar

        found = similar(db, log_number, limit)
    except Exception as exc:  # precedents help the operator; their absence must not stop drafting
        log.warning("no precedents for log %s: %s", log_number, exc)
        return {}
    return {q.question: [_precedent(p) for p in q.precedents][:limit] for q in found}


def _precedent(p: Any) -> Precedent:
    advice = "\n\n".join(a.text for a in getattr(p, "advice", []) or []) or None
    return Precedent(log=p.log, question=p.question, question_text=p.text, advice=advice)
