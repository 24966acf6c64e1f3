"""``crumail export``: the casebook's logs and questions as CSV or XLSX.

An .xlsx workbook has a Logs sheet and a Questions sheet (each question with
the advice that covers it).  CSV holds one table per file, so ``--what
both`` writes two files beside each other, ``NAME-logs.csv`` and
``NAME-questions.csv``, while ``--what logs`` or ``--what questions`` writes
exactly the file named (or standard output for ``-``).

Applicants write the question text, so no cell may become a formula: XLSX
cells are typed as text, and a CSV cell that starts with ``=``, ``+``,
``-``, ``@``, tab or carriage return is prefixed with ``'`` (the usual
defence against spreadsheet formula injection).  Files are written 0600, like
the database they come from (crumail/files/private.py).

Each file carries the highest protective marking of its rows
(crumail/files/marking.py): the CSV's first row, and in a workbook each
sheet's first row, printed header and footer, and the document properties.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from sqlite_utils import Database

from crumail.files import marking as markings
from crumail.files.private import private_file
from crumail.store import own_files, search

LOG_COLUMNS = ("log", "year", "number", "kind", "circulation_date", "case_worker",
               "logged_with", "sent_from", "protective_marking", "handling_caveats",
               "exemptions", "first_seen", "last_seen", "message_count",
               "question_count", "advice_count")
QUESTION_COLUMNS = ("log", "number", "label", "text", "advice_headings", "advice")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Tables:
    logs: list[list[object]]
    questions: list[list[object]]
    marking: str = markings.OFFICIAL


def tables(db: Database, *, year: int | None = None, force: str | None = None,
           kind: str | None = None) -> Tables:
    """The rows to export, logs filtered as ``crumail logs list`` does."""
    logs = search.list_logs(db, year=year, force=force, kind=kind)
    wanted = {r["log"] for r in logs}
    filtered = year is not None or bool(force) or bool(kind)
    questions = search.questions_with_advice(db, wanted if filtered else None)
    marking = markings.highest(r["protective_marking"] for r in logs)
    return Tables([_log_row(r) for r in logs], [_question_row(q) for q in questions], marking)


def _log_row(log: dict) -> list[object]:
    log = {**log, "handling_caveats": "; ".join(log["handling_caveats"]),
           "exemptions": ", ".join(log["exemptions"])}
    return [log[c] for c in LOG_COLUMNS]


def _question_row(question: dict) -> list[object]:
    advice = question["advice"]
    headings = "; ".join(a.heading or "" for a in advice if a.heading)
    return [question["log"], question["number"], question["label"], question["text"],
            headings, "\n\n".join(a.text for a in advice)]


def write_xlsx(data: Tables, output: Path) -> list[Path]:
    own_files.refuse(output, "write an export to")
    book = workbook([("Logs", LOG_COLUMNS, data.logs), ("Questions", QUESTION_COLUMNS, data.questions)],
                    data.marking)
    with private_file(output) as stream:
        book.save(stream)
    return [output]


def workbook(sheets: list[tuple[str, Iterable[str], list[list[object]]]], marking: str):
    """A write-only workbook of ``(title, header, rows)`` sheets, marked, no cell a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    markings.mark_workbook(book, marking)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        markings.mark_sheet(sheet, marking)
        sheet.append(list(header))
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    return book


def table_bytes(fmt: str, title: str, header: Iterable[str], rows: list[list[object]],
                marking: str) -> bytes:
    """One marked table as CSV (UTF-8 with a BOM, for Excel) or XLSX, in memory (the desk's downloads)."""
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        buffer.write("\ufeff")
        _csv_rows(buffer, header, rows, marking)
        return buffer.getvalue().encode("utf-8")
    out = io.BytesIO()
    workbook([(title, header, rows)], marking).save(out)
    return out.getvalue()


def _xlsx_cell(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def write_csv(data: Tables, output: Path | str, what: str = "both") -> list[Path | str]:
    chosen = {"logs": [("logs", LOG_COLUMNS, data.logs)],
              "questions": [("questions", QUESTION_COLUMNS, data.questions)]}
    if what != "both":
        _csv_file(output, chosen[what][0][1], chosen[what][0][2], data.marking)
        return [output]
    if str(output) == "-":
        raise ValueError("--what both writes two files; name one with --output")
    written: list[Path | str] = []
    for name, header, rows in chosen["logs"] + chosen["questions"]:
        path = Path(output)
        path = path.with_name(f"{path.stem}-{name}{path.suffix or '.csv'}")
        _csv_file(path, header, rows, data.marking)
        written.append(path)
    return written


def _csv_file(output: Path | str, header: Iterable[str], rows: list[list[object]], marking: str) -> None:
    own_files.refuse(output, "write an export to")   # nothing to compare for "-"
    if str(output) == "-":
        buffer = io.StringIO(newline="")
        _csv_rows(buffer, header, rows, marking)
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
        return
    with private_file(Path(output), "w", encoding="utf-8-sig", newline="") as stream:  # BOM: Excel reads UTF-8
        _csv_rows(stream, header, rows, marking)


def _csv_rows(stream, header: Iterable[str], rows: list[list[object]], marking: str) -> None:
    writer = csv.writer(stream)
    writer.writerow([marking])
    writer.writerow(list(header))
    writer.writerows([[_csv_cell(v) for v in row] for row in rows])


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
