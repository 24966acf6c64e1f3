"""Unit log numbers found in prose, in every way people write them, as ``N/YY``.

``Log No. 43/23``, ``Log No.001355/22``, ``Log Nos. 233/25 & 0241/25``,
``CRU ref: 88/25``, ``CRU Case No 000088/15``, ``2104/2023`` and the packed
attachment name ``Log No.00135522`` all count.  A force's own reference
(``ABC/FOI/2024/0877``, ``Request 0987/23``), a date, a section of an Act and a phone number do
not: a bare ``N/YY`` needs to stand alone and not look like a day and month.
"""

from __future__ import annotations

import bisect
import re

from crumail.lognumber import LogNumber

#: The words that introduce a log number.
LOG_KEYWORD = (
    r"(?:\bLog(?:[ \t]*(?:No|Nos|Number|Numbers|Ref|Reference))?"
    r"|\bCRU[ \t]*(?:Case[ \t]*)?(?:Ref|Reference|No|Nos|Number|Log)?"
    r"|\bCase[ \t]*(?:No|Nos|Number|Ref))"
)
#: ``N/YY`` or ``N/YYYY`` with any zero padding; not inside a longer reference.
NUMBER = r"(?<!\d)0*(\d{1,6})[ \t]?/[ \t]?(\d{4}|\d{2})(?![\w/]|[.\-]\d)"
KEYED = re.compile(LOG_KEYWORD + r"[ \t]*[.:#\-–]?[ \t]*[.:]?[ \t]*" + NUMBER, re.I)
#: A further number in a list after the first: ``& 0241/25``, ``, 250/25 and 251/25``.
LIST_NEXT = re.compile(r"[ \t]*(?:,|&|\band\b|\+|;)[ \t]*(?:Log[ \t]*No\.?[ \t]*)?" + NUMBER, re.I)
#: The attachment form: ``Log No.00135522`` (number and two-digit year run together).
PACKED = re.compile(r"\bLog[ \t]*No\.?[ \t]*(\d{3,8})(?![\d/])", re.I)
BARE = re.compile(r"(?<![\w/.\-])" + NUMBER)
#: What precedes a bare number that belongs to someone else's scheme or a law.
FOREIGN_CONTEXT = re.compile(
    r"(?:\bFOIA?|\bref(?:erence)?|\brequest|\bcase[ \t]+system|\byour|\bour|\bpage|\bpp|\btel|\bphone|\bsections?|\bss?"
    r"|\bArt(?:icle)?|\binvoice|\border|\bversion)\W{0,4}$",
    re.I,
)


def normalise(number: str, year: str) -> str | None:
    """``001355``, ``2022`` -> ``1355/22``; None for a year no log has (the
    rule is ``LogNumber``'s)."""
    log = LogNumber.of(number, year)
    return str(log) if log else None


def find_logs(text: str) -> list[str]:
    """Every log number in ``text``, in order of first appearance."""
    found: list[tuple[int, str]] = []
    taken = Spans()
    for start, end, log in _keyed(text):
        found.append((start, log))
        taken.add(start, end)
    found.extend(_packed(text, taken))
    found.extend(_bare(text, taken))
    return unique(log for _, log in sorted(found))


def _keyed(text: str):
    consumed = 0
    for match in KEYED.finditer(text):
        if match.start() < consumed:
            continue  # already read as part of the list before it
        log = normalise(match.group(1), match.group(2))
        if log:
            yield match.start(), match.end(), log
        end = match.end()
        while nxt := LIST_NEXT.match(text, end):
            log = normalise(nxt.group(1), nxt.group(2))
            if log:
                yield nxt.start(), nxt.end(), log
            end = consumed = nxt.end()


class Spans:
    """Character spans already read, for a quick "is this inside one?"."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)

    def __contains__(self, position: int) -> bool:
        at = bisect.bisect_right(self.starts, position) - 1
        return at >= 0 and position < self.ends[at]


def _packed(text: str, taken: Spans):
    for match in PACKED.finditer(text):
        digits = match.group(1)
        if (len(digits) >= 7 or digits.startswith("0")) and match.start() not in taken:
            log = normalise(digits[:-2], digits[-2:])
            if log:
                taken.add(match.start(), match.end())
                yield match.start(), log


def _bare(text: str, taken: Spans):
    for match in BARE.finditer(text):
        if match.start() in taken or not _plausible_bare(match.group(1), match.group(2)):
            continue
        if FOREIGN_CONTEXT.search(text[max(0, match.start() - 24) : match.start()]):
            continue
        log = normalise(match.group(1), match.group(2))
        if log:
            yield match.start(), log


def _plausible_bare(number: str, year: str) -> bool:
    """A bare pair that cannot be a day and month, a month and year, a financial
    year or an even split (50/50)."""
    value, short_year = int(number), int(year[-2:])
    if len(number) == 4 and 1990 <= value <= 2099 and short_year == (value + 1) % 100:
        return False  # a financial year: 2023/24
    if number == year or value < 13 or (value <= 31 and short_year <= 12 and len(year) == 2):
        return False
    return not (len(number) == 2 and number.startswith("0"))


def unique(items) -> list:
    seen: dict = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
