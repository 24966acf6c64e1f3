"""Dates as British mail writes them, turned into ISO ``YYYY-MM-DD``.

``23/01/2023``, ``(16092022)``, ``07.01.2025``, ``28-11-2023``,
``5th November 2024`` and ``2024-11-05`` are read day first; anything that
is not a real calendar date is ignored.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
#: 23/01/2023, 07.01.2025, 28-11-2023, 23/01/23 (day first).
NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.\-]\d|\d)")
#: (16092022): a packed day, month and year, in brackets or after "Circulation".
PACKED = re.compile(r"(?:\(|\bCirculation[ \t]+)(\d{2})(\d{2})(\d{4})\)?(?!\d)", re.I)
#: 5th November 2024, 5 Nov. 2024, Tuesday 5th of November, 2024.
WORDED = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(" + MONTH_NAMES + r")\.?,?[ \t]+(\d{4})(?!\d)",
    re.I,
)
#: November 5th, 2024 (written month first).
WORDED_US = re.compile(
    r"\b(" + MONTH_NAMES + r")\.?[ \t]+(\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(\d{4})(?!\d)", re.I
)
ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def iso(year: int, month: int, day: int) -> str | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every date in ``text`` with its position, in order."""
    found: list[tuple[int, str | None]] = []
    found += [(m.start(), iso(int(m[4]), int(m[3]), int(m[1]))) for m in NUMERIC.finditer(text)]
    found += [(m.start(), iso(int(m[3]), int(m[2]), int(m[1]))) for m in PACKED.finditer(text)]
    found += [(m.start(), iso(int(m[3]), MONTHS[m[2].lower()], int(m[1]))) for m in WORDED.finditer(text)]
    found += [(m.start(), iso(int(m[3]), MONTHS[m[1].lower()], int(m[2]))) for m in WORDED_US.finditer(text)]
    found += [(m.start(), iso(int(m[1]), int(m[2]), int(m[3]))) for m in ISO.finditer(text)]
    return sorted((pos, date) for pos, date in found if date)


def first_date(text: str) -> str | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None
