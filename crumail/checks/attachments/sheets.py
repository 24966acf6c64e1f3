"""OpenDocument spreadsheets (ods): every sheet, hidden rows and columns, annotations.

``content.xml`` read with lxml.  Repeated rows and columns
(``number-rows-repeated``) are counted, never expanded: a spreadsheet
program writes a million empty rows as one element.
"""

from __future__ import annotations

from lxml import etree

from crumail.checks.attachments import package as pkg
from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.docs import OFFICE, TEXT, hidden_styles
from crumail.checks.attachments.model import Inspection, is_name_header
from crumail.checks.attachments.xlsx import column_letters, run_label, spans

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
HIDDEN = {"collapse", "filter"}


def _repeat(node: etree._Element, attribute: str) -> int:
    try:
        return max(1, int(node.get(f"{{{TABLE}}}{attribute}", "1")))
    except ValueError:
        return 1


def inspect_ods(data: bytes, caps: Caps, kind: str = "ods") -> Inspection:
    package, root = pkg.odf_content(data, caps)
    found = Inspection(kind)
    hidden_tables = hidden_styles(root, "table-properties", "display", "false")
    for table in root.iter(f"{{{TABLE}}}table"):
        _table(found, table, table.get(f"{{{TABLE}}}style-name") in hidden_tables)
    for label, value in pkg.properties(package):
        found.piece(f"properties {label}", value)
    return found


def _hidden_columns(table: etree._Element) -> set[int]:
    hidden, col = set(), 1
    for column in table.iter(f"{{{TABLE}}}table-column"):
        count = _repeat(column, "number-columns-repeated")
        if column.get(f"{{{TABLE}}}visibility") in HIDDEN:
            hidden.update(range(col, col + min(count, 16384)))
        col += count
    return hidden


def _table(found: Inspection, table: etree._Element, hidden: bool) -> None:
    name = table.get(f"{{{TABLE}}}name", "?")
    label = f"{name} (hidden)" if hidden else name
    hidden_cols = _hidden_columns(table)
    rows_with_data: list[int] = []
    cols_with_data: set[int] = set()
    any_data = False
    header_row: int | None = None
    name_cols: set[int] = set()
    row_number = 1
    for row in table.iter(f"{{{TABLE}}}table-row"):
        row_hidden = row.get(f"{{{TABLE}}}visibility") in HIDDEN
        col = 1
        for cell in row:
            if pkg.local(cell.tag) not in ("table-cell", "covered-table-cell"):
                continue
            ref = f"sheet {label}!{column_letters(col)}{row_number}"
            text = "\n".join("".join(p.itertext()) for p in cell.iterchildren(f"{{{TEXT}}}p"))
            if text.strip():
                any_data = True
                header_row = row_number if header_row is None else header_row
                if row_number == header_row and is_name_header(text):
                    name_cols.add(col)
                kind = "name" if row_number != header_row and col in name_cols else None
                group = f"sheet {label}" if hidden else None
                if not hidden and row_hidden:
                    rows_with_data.append(row_number)
                    group = f"sheet {label} rows"
                elif not hidden and col in hidden_cols:
                    cols_with_data.add(col)
                    group = f"sheet {label} columns"
                found.piece(ref, text, group, kind)
            for note in cell.iter(f"{{{OFFICE}}}annotation"):
                where = f"{ref} comment"
                found.piece(where, "\n".join("".join(p.itertext()) for p in note.iter(f"{{{TEXT}}}p")))
                found.mark("comment", where, f"{where}: the recipient can read it", severity="warn")
            col += _repeat(cell, "number-columns-repeated")
        row_number += _repeat(row, "number-rows-repeated")
    if hidden and any_data:
        found.mark("hidden_sheet", f"sheet {label}", f"sheet {label} is hidden and holds data", group=f"sheet {label}")
    for run in spans(rows_with_data):
        where = f"sheet {label} {run_label('row', run)} (hidden)"
        found.mark("hidden_rows", where, f"hidden {run_label('row', run)} of sheet {label} hold data",
                   group=f"sheet {label} rows")
    for run in spans(sorted(cols_with_data)):
        where = f"sheet {label} {run_label('column', run, column_letters)} (hidden)"
        found.mark("hidden_columns", where, f"hidden {run_label('column', run, column_letters)} of sheet {label} "
                   "hold data", group=f"sheet {label} columns")
