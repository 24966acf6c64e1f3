"""A unit log number: ``43/23`` is log 43 of 2023.

People write the same log many ways (``43/23``, ``0043/23``, ``43/2023``,
``43 / 23``); crumail writes it one way, ``N/YY``, and orders logs by year
and then number, the order in which the unit opened them.  This is the one
place that reads, writes, orders and links a log number; finding one in a
mail's prose is the extractor's job (``crumail.extract.lognumbers``), and it
hands each find to ``LogNumber.of``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The century rule: a two-digit year below this is 20YY, the rest 19YY.  A
#: four-digit year is a log's only if it lies in that hundred years
#: (1970-2069), so the same log never has two years.
CENTURY_PIVOT = 70
FIRST_YEAR = 1900 + CENTURY_PIVOT
#: Log numbers are at most six digits (``001355``), zero padding aside.
MAX_NUMBER = 999_999
#: One log number and nothing else; ASCII digits only (``\d`` would take
#: Arabic-Indic digits, which int() reads as numbers too).
WRITTEN = re.compile(r"\s*0*([0-9]{1,6})\s*/\s*([0-9]{4}|[0-9]{2})\s*")


@dataclass(frozen=True)
class LogNumber:
    """Log ``number`` of the year whose last two digits are ``yy``."""

    number: int
    yy: int

    def __post_init__(self) -> None:
        if not (0 < self.number <= MAX_NUMBER and 0 <= self.yy <= 99):
            raise ValueError(f"no log number {self.number}/{self.yy}")

    @classmethod
    def parse(cls, text: str | None) -> LogNumber | None:
        """The log written in ``text`` (``001355/2022``, `` 88 / 15 ``), or None."""
        match = WRITTEN.fullmatch(text or "")
        return cls.of(match.group(1), match.group(2)) if match else None

    @classmethod
    def of(cls, number: str | int, year: str | int) -> LogNumber | None:
        """A log from its two parts as written (``"001355"``, ``"2022"`` or
        ``"22"``), or None when they name no log."""
        try:
            number, year = int(number), int(year)
        except ValueError:
            return None
        if not 0 < number <= MAX_NUMBER:
            return None
        if year >= 100:
            return cls.in_year(number, year) if FIRST_YEAR <= year < FIRST_YEAR + 100 else None
        return cls(number, year) if year >= 0 else None

    @classmethod
    def in_year(cls, number: int, year: int) -> LogNumber:
        """Log ``number`` of the full ``year`` (2023)."""
        return cls(number, year % 100)

    @staticmethod
    def full_year(year: int) -> int:
        """The century rule: 23 is 2023, 98 is 1998; a full year stays itself."""
        if year >= 100:
            return year
        return 2000 + year if year < CENTURY_PIVOT else 1900 + year

    @property
    def year(self) -> int:
        return self.full_year(self.yy)

    @property
    def sort_key(self) -> tuple[int, int]:
        """(year, number): the order in which the unit opened its logs."""
        return self.year, self.number

    @property
    def url(self) -> str:
        """Where the desk shows this log."""
        return f"/logs/{self.number}/{self.yy:02d}"

    def __str__(self) -> str:
        return f"{self.number}/{self.yy:02d}"

    def __lt__(self, other: LogNumber) -> bool:
        return self.sort_key < other.sort_key


def normalise(text: str | None) -> str | None:
    """``text`` written as ``N/YY``, or None when it is no log number."""
    log = LogNumber.parse(text)
    return str(log) if log else None
