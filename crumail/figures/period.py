"""A reporting period as written on the command line and the figures page:
``2025Q1`` (a quarter), ``2025-03`` (a month), ``2025`` (a year), or empty
(everything)."""

from __future__ import annotations

import re
from datetime import date

from crumail.errors import PeriodError
from crumail.store.figures import Period

FORM = re.compile(r"^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$")


def parse(text: str | None) -> tuple[Period, str]:
    """(the period, its label); raises PeriodError for anything else."""
    text = (text or "").strip().upper()
    if not text:
        return Period(), "all time"
    found = FORM.match(text)
    if not found:
        raise PeriodError(f"a period is written 2025Q1, 2025-03 or 2025, not {text[:20]!r}")
    year = int(found.group(1))
    if found.group(2):
        first = 3 * (int(found.group(2)) - 1) + 1
        return Period(date(year, first, 1).isoformat(), _next_month(year, first + 2)), text
    if found.group(3):
        month = int(found.group(3))
        return Period(date(year, month, 1).isoformat(), _next_month(year, month)), text
    return Period(f"{year}-01-01", f"{year + 1}-01-01"), text


def _next_month(year: int, month: int) -> str:
    return date(year + month // 12, month % 12 + 1, 1).isoformat()
