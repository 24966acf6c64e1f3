"""Precedents: the earlier logs' questions (and the advice given) closest to a new one.

The casebook answers through ``crumail.store.search.similar(db, log,
limit)``, per question of a log it knows.  A referral that arrived without a
log number is not in the casebook until drafting enters it under the number
it has just been given (crumail/drafts/allocate.py), so that comes first.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlite_utils import Database

from crumail.store.search import Precedent, similar

log = logging.getLogger("crumail.drafts")

__all__ = ["Precedent", "for_log", "template_values"]


def for_log(db: Database, log_number: str, limit: int) -> dict[int, list[Precedent]]:
    """Up to ``limit`` precedents for each question of ``log_number``, by question number."""
    if limit <= 0:
        return {}
    try:
        found = similar(db, log_number, limit)
    except Exception as exc:  # precedents help the operator; their absence must not stop drafting
        log.warning("no precedents for log %s: %s", log_number, exc)
        return {}
    return {q.question: q.precedents[:limit] for q in found}


def template_values(precedent: Precedent) -> dict[str, Any]:
    """A precedent as templates read it (README, Drafting): the names are a
    promise to the unit's own templates, so they stay as first written;
    ``date`` is always empty, kept for templates that test it."""
    advice = "\n\n".join(block.text for block in precedent.advice) or None
    return {"log": precedent.log, "question": precedent.question, "question_text": precedent.text,
            "advice": advice, "date": None}
