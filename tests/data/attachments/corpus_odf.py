"""OpenDocument spreadsheets and texts for the attachment corpus, built with odfpy.

The hidden things live where LibreOffice puts them: a table style with
``table:display="false"`` for a hidden sheet, ``table:visibility="collapse"``
on a row, ``office:annotation`` in a cell, ``text:tracked-changes`` at the
head of the text, a text style with ``text:display="none"``, and
``meta:initial-creator`` / ``dc:creator`` in meta.xml.
"""

from __future__ import annotations

import io
import re
from typing import Sequence

from odf import dc, meta, office, style, table, text
from odf.namespaces import TEXTNS, XMLNS
from odf.opendocument import OpenDocument, OpenDocumentSpreadsheet, OpenDocumentText

from corpus_people import OFFENCES
from corpus_zip import pin_package

UNIT = "FOI Disclosure Unit"
PINNED = "2024-03-01T09:30:00"
XMLNS_DECL = re.compile(rb'\s+xmlns:([\w-]+)="[^"]*"')
ROOT = re.compile(rb"<[A-Za-z][\w:-]*\b[^>]*>")


def tidy_namespaces(xml: bytes) -> bytes:
    """Declare only the prefixes a part uses, sorted.

    odfpy declares every namespace it has met so far in the process, in
    hash order, so the same document differs between runs without this.
    """
    root = ROOT.search(xml)
    if root is None:
        return xml
    declared = dict((m.group(1), m.group()) for m in XMLNS_DECL.finditer(root.group()))
    rest = xml[root.end():] + XMLNS_DECL.sub(b"", root.group())
    used = sorted(p for p in declared if re.search(rb"[<\s/]" + re.escape(p) + rb":", rest))
    bare = XMLNS_DECL.sub(b"", root.group())
    name = re.match(rb"<[\w:-]+", bare)
    assert name is not None
    tag = name.group() + b"".join(declared[p] for p in used) + bare[name.end():]
    return xml[: root.start()] + tag + xml[root.end():]


def save(doc: OpenDocument, creator: str = UNIT, initial_creator: str = UNIT) -> bytes:
    """The document's bytes with a fixed meta.xml and pinned zip times."""
    doc.meta.childNodes[:] = []  # odfpy stamps its own generator and the date: replace them
    doc.meta.addElement(meta.Generator(text="crumail attachment corpus"))
    doc.meta.addElement(meta.InitialCreator(text=initial_creator))
    doc.meta.addElement(dc.Creator(text=creator))
    doc.meta.addElement(meta.CreationDate(text=PINNED))
    doc.meta.addElement(dc.Date(text=PINNED))
    out = io.BytesIO()
    doc.write(out)
    parts = ("content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml")
    return pin_package(out.getvalue(), edit={part: tidy_namespaces for part in parts})


def _cell(value: object, note: str | None = None) -> table.TableCell:
    if isinstance(value, int):
        cell = table.TableCell(valuetype="float", value=value)
    else:
        cell = table.TableCell(valuetype="string")
    if note is not None:
        annotation = office.Annotation()
        annotation.addElement(dc.Creator(text=UNIT))
        annotation.addElement(text.P(text=note))
        cell.addElement(annotation)
    cell.addElement(text.P(text=str(value)))
    return cell


def _table(doc: OpenDocumentSpreadsheet, name: str, rows: Sequence[Sequence[object]], hidden: bool = False,
           hidden_rows: range = range(0), notes: dict[tuple[int, int], str] | None = None) -> table.Table:
    attrs = {"name": name}
    if hidden:
        hidden_style = style.Style(name="ta_hidden", family="table")
        hidden_style.addElement(style.TableProperties(display=False))
        doc.automaticstyles.addElement(hidden_style)
        attrs["stylename"] = hidden_style
    sheet = table.Table(**attrs)
    for r, values in enumerate(rows, start=1):
        row = table.TableRow(visibility="collapse") if r in hidden_rows else table.TableRow()
        for c, value in enumerate(values, start=1):
            row.addElement(_cell(value, (notes or {}).get((r, c))))
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    return sheet


def summary_rows() -> list[list[object]]:
    return [["Offence", "2022", "2023"]] + [[o, 40 + 7 * i, 38 + 5 * i] for i, o in enumerate(OFFENCES)]


def spreadsheet(hidden_sheet: Sequence[Sequence[object]] | None = None, extra_rows: Sequence[Sequence[object]] = (),
                hide: range = range(0), notes: dict[tuple[int, int], str] | None = None,
                creator: str = UNIT) -> bytes:
    """An .ods: the summary (with ``extra_rows`` appended, ``hide`` rows hidden) and
    optionally a hidden second sheet."""
    doc = OpenDocumentSpreadsheet()
    _table(doc, "Summary", summary_rows() + [list(r) for r in extra_rows], hidden_rows=hide, notes=notes)
    if hidden_sheet is not None:
        _table(doc, "Contacts", hidden_sheet, hidden=True)
    return save(doc, creator, creator)


def document(paragraphs: Sequence[str], deleted: str | None = None, hidden: str | None = None,
             creator: str = UNIT) -> bytes:
    """An .odt letter; ``deleted`` is kept as a tracked deletion and ``hidden`` as
    a span whose style hides it."""
    doc = OpenDocumentText()
    if hidden is not None:
        hidden_style = style.Style(name="T_hidden", family="text")
        hidden_style.addElement(style.TextProperties(display="none"))
        doc.automaticstyles.addElement(hidden_style)
    if deleted is not None:
        changes = text.TrackedChanges()
        region = text.ChangedRegion(qattributes={(XMLNS, "id"): "ct1", (TEXTNS, "id"): "ct1"})
        deletion = text.Deletion()
        info = office.ChangeInfo()
        info.addElement(dc.Creator(text=UNIT))
        info.addElement(dc.Date(text=PINNED))
        deletion.addElement(info)
        deletion.addElement(text.P(text=deleted))
        region.addElement(deletion)
        changes.addElement(region)
        doc.text.addElement(changes)
    for n, line in enumerate(paragraphs):
        p = text.P(text=line)
        if deleted is not None and n == len(paragraphs) - 1:
            p.addElement(text.Change(changeid="ct1"))
        if hidden is not None and n == len(paragraphs) - 1:
            p.addElement(text.Span(stylename=hidden_style, text=hidden))
        doc.text.addElement(p)
    return save(doc, creator, creator)
