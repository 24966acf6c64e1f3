"""The figures as a file: an XLSX workbook (a sheet per table) or one
self-contained HTML page (the charts inline, no script, no external file),
for ``crumail report`` and the figures page's downloads.

Figures are counts, never a person's data: they are marked OFFICIAL (the
floor of crumail/files/marking.py), in the file as every export is.
"""

from __future__ import annotations

import io
from html import escape

from crumail.figures import svg
from crumail.figures.compute import Figures, Table
from crumail.files import export, marking

MARKING = marking.OFFICIAL
SHEET_TITLE = 31     # Excel's limit on a sheet's name


def xlsx_bytes(figures: Figures, only: Table | None = None) -> bytes:
    tables = [only] if only else figures.tables
    sheets = [(t.title[:SHEET_TITLE], t.header, _cells(t)) for t in tables]
    out = io.BytesIO()
    export.workbook(sheets, MARKING).save(out)
    return out.getvalue()


def csv_bytes(table: Table) -> bytes:
    return export.table_bytes("csv", table.title, table.header, _cells(table), MARKING)


def _cells(table: Table) -> list[list[object]]:
    rows = [["" if v is None else v for v in row] for row in table.rows]
    return rows or [[table.note or "nothing in this period"]]


def html(figures: Figures, generated: str) -> str:
    """One page: the marking at top and bottom, each table beside its chart."""
    parts = [f"<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
             f"<title>{MARKING} - crumail figures, {escape(figures.period)}</title></head><body>",
             f"<p><strong>{MARKING}</strong></p>",
             f"<h1>The unit's figures: {escape(figures.period)}</h1>",
             f"<p>Generated {escape(generated)} by crumail.</p>"]
    for table in figures.tables:
        parts.append(f"<section><h2>{escape(table.title)}</h2>")
        if table.note:
            parts.append(f"<p>{escape(table.note)}</p>")
        parts.append(svg.bars(table) if table.chart else "")
        parts.append(table_html(table))
        parts.append("</section>")
    parts.append(f"<p><strong>{MARKING}</strong></p></body></html>\n")
    return "\n".join(parts)


def table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row)
                   + "</tr>" for row in table.rows)
    if not body:
        body = f'<tr><td colspan="{len(table.header)}">nothing in this period</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
