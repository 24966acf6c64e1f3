"""Precedents: the earlier logs' questions (and the advice given) closest to a new one.

The casebook answers through ``crumail.store.search.similar(db, log,
limit)``, per question of a log it knows.  A referral that arrived without a
log number is not in the casebook yet, so ``enter_in_casebook`` first
records it under the number it has just been given.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from crumail.store import casebook

log = logging.getLogger("crumail.drafts")


@dataclass(frozen=True)
class Precedent:
    """An earlier log's question (and the advice given) close to a new question."""

    log: str
    question: int | None
    question_text: str
    advice: str | None = None
    date: str | None = None


def enter_in_casebook(db: Database, message: int, parsed, extraction, log_number: str) -> None:
    """Record a referral in the casebook as log ``log_number`` (the number just allocated)."""
    if extraction.primary_log == log_number:
        return
    given = dataclasses.replace(
        extraction, primary_log=log_number,
        log_numbers=(log_number, *[n for n in extraction.log_numbers if n != log_number]))
    casebook.forget(db, message)
    casebook.record(db, message, parsed, given)


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
