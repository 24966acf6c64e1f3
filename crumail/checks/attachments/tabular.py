"""CSV and plain-text attachments: cells located as a spreadsheet would show them."""

from __future__ import annotations

import csv
import io

from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.model import Inspection, is_name_header
from crumail.checks.attachments.xlsx import column_letters

FIELD_LIMIT = 131_072


def decode(data: bytes) -> str:
    """Text bytes (a CSV, a plain-text draft): UTF-8 with or without BOM, else Windows-1252,
    else Latin-1 (never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def inspect_csv(data: bytes, caps: Caps, kind: str = "csv") -> Inspection:
    text = decode(data)
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(FIELD_LIMIT)
    found = Inspection(kind)
    seen: set[tuple[str, str | None]] = set()
    names: set[int] = set()
    for row_number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        for col_number, value in enumerate(row, start=1):
            value = value.strip()
            if row_number == 1 and is_name_header(value):
                names.add(col_number)
            kind = "name" if row_number > 1 and col_number in names else None
            if value and (value, kind) not in seen:  # each distinct value once, at its first cell
                seen.add((value, kind))
                found.piece(f"{column_letters(col_number)}{row_number}", value, kind=kind)
    return found


def inspect_text(data: bytes, caps: Caps, kind: str = "text") -> Inspection:
    found = Inspection(kind)
    found.piece("body", decode(data))
    return found
