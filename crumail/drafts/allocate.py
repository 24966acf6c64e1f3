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
from crumail.model import ParsedMail
from crumail.store import casebook, drafts as store
from crumail.store.db import transaction


def format_log(number: int, year: int) -> str:
    return f"{number}/{year % 100:02d}"


def parse_log(log: str) -> tuple[int, int] | None:
    """(number, full year) of a normalised ``N/YY`` log, or None."""
    number, _, yy = log.partition("/")
    if not (number.isdigit() and yy.isdigit() and len(yy) == 2):
        return None
    year = int(yy)
    return int(number), (2000 + year if year < 70 else 1900 + year)


def allocate(db: Database, year: int) -> str:
    """The next log number of ``year``, taken for good (a savepoint when nested)."""
    with transaction(db):
        return format_log(store.next_log_number(db, year), year)


def observe(db: Database, logs: tuple[str, ...] | list[str]) -> None:
    """Keep the counter above every log number seen in stored mail."""
    for log in logs:
        parsed = parse_log(log)
        if parsed:
            store.observe_log_number(db, parsed[1], parsed[0])


def enter_in_casebook(db: Database, message: int, parsed: ParsedMail, extraction: Extraction,
                      log_number: str) -> None:
    """Record a referral in the casebook as log ``log_number`` (the number just allocated)."""
    if extraction.primary_log == log_number:
        return
    given = dataclasses.replace(
        extraction, primary_log=log_number,
        log_numbers=(log_number, *[n for n in extraction.log_numbers if n != log_number]))
    casebook.forget(db, message)
    casebook.record(db, message, parsed, given)
