"""The protective marking an exported file carries: the highest of its rows'.

Every export (CSV, XLSX, the disclosure bundles) says in the file itself
how it must be handled: a CSV's first row is the marking alone, an XLSX
workbook has it as the first row of each sheet, in each sheet's printed
header and footer, and as the workbook's category and a custom
"Classification" property, and a file the desk hands out is named with it
in front (``OFFICIAL-SENSITIVE_casebook.xlsx``).  The marking is the
highest (crumail.wordlists.MARKING_RANK) of those recorded on the rows,
never lower than ``floor``: unmarked police material is OFFICIAL, and
files about people (the access trail, a subject's bundle) are
OFFICIAL-SENSITIVE whatever their rows say.
"""

from __future__ import annotations

from typing import Iterable

from crumail.wordlists import MARKING_RANK

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


def highest(markings: Iterable[str | None], floor: str = OFFICIAL) -> str:
    """The highest marking among ``markings`` (None and unknown words count as
    OFFICIAL), never below ``floor``."""
    best, rank = floor, MARKING_RANK.get(floor, 1)
    for marking in markings:
        if not marking:
            continue
        name = marking.strip().upper().replace(" ", "-")
        if MARKING_RANK.get(name, 1) > rank:
            best, rank = name, MARKING_RANK[name]
    return best


def file_name(marking: str, name: str) -> str:
    """``name`` with the marking in front, as the desk names a download."""
    return f"{marking}_{name}"


def mark_workbook(book, marking: str) -> None:
    """Workbook-wide properties: its category and a "Classification" custom property."""
    from openpyxl.packaging.custom import StringProperty

    book.properties.category = marking
    book.properties.keywords = marking
    book.custom_doc_props.append(StringProperty(name="Classification", value=marking))


def mark_sheet(sheet, marking: str) -> None:
    """A sheet's printed header and footer, and its first row (call before any other row)."""
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    sheet.append([marking])
