"""Log numbers for referrals that arrive without one: ``44/23`` after ``43/23``.

Allocation takes SQLite's write lock first (``BEGIN IMMEDIATE``), so two
processes allocating at once queue for it and never get the same number.
"""

from __future__ import annotations

from sqlite_utils import Database

from crumail.store import drafts as store
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
