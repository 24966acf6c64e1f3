"""Log numbers for referrals that arrive without one: ``44/23`` after ``43/23``.

Allocation takes SQLite's write lock first (``BEGIN IMMEDIATE``), so two
processes allocating at once queue for it and never get the same number.
A referral given a number is entered in the casebook under it
(``enter_in_casebook``), since its own mail does not state it.
"""

from __future__ import annotations

import dataclasses

from sqlite_utils import Database

from crumail.extract.model import Extraction
from crumail.lognumber import LogNumber
from crumail.model import ParsedMail
from crumail.store import casebook, drafts as store
from crumail.store.db import transaction


def allocate(db: Database, year: int) -> str:
    """The next log number of ``year``, taken for good (a savepoint when nested)."""
    with transaction(db):
        return str(LogNumber.in_year(store.next_log_number(db, year), year))


#: Kinds whose log numbers the unit itself allocated or circulated.
CIRCULATED = ("circulation", "forwarded_circulation")


def unit_logs(extraction: Extraction) -> list[str]:
    """The log numbers the unit allocated or circulated, as ``extraction``
    (and the messages nested in it) shows them: a circulation's own log and
    the log its acknowledgement gives a referral.  A number seen only in a
    force's text (its own reference misread, a log it half remembers) never
    moves the counter."""
    found: list[str] = []
    stack = [extraction]
    while stack:
        item = stack.pop()
        if item.kind in CIRCULATED and item.primary_log:
            found.append(item.primary_log)
        elif item.kind == "acknowledgement":
            found.extend(item.log_numbers)
        stack.extend(item.nested)
    return found


def observe(db: Database, logs: tuple[str, ...] | list[str]) -> None:
    """Keep the counter above every log number given (see ``unit_logs``)."""
    for written in logs:
        log = LogNumber.parse(written)
        if log:
            store.observe_log_number(db, log.year, log.number)


def enter_in_casebook(db: Database, message: int, parsed: ParsedMail, extraction: Extraction,
                      log_number: str, logged_with: str | None = None) -> None:
    """Record a referral in the casebook as log ``log_number`` (the number just
    allocated), "Logged with" the register's force when the mail does not say."""
    fill = logged_with if logged_with and not extraction.logged_with else None
    if extraction.primary_log == log_number and not fill:
        return
    given = dataclasses.replace(
        extraction, primary_log=log_number, logged_with=fill or extraction.logged_with,
        log_numbers=(log_number, *[n for n in extraction.log_numbers if n != log_number]))
    casebook.forget(db, message)
    casebook.record(db, message, parsed, given)
