"""Workbooks for the attachment corpus: openpyxl for sheets, raw OOXML for the rest.

openpyxl writes what it can model (sheet state, hidden rows and columns,
comments, defined names, document properties).  Pivot caches, external
links and embedded packages are added as raw parts afterwards, as Excel
would have saved them, because openpyxl cannot create them from scratch.
"""

from __future__ import annotations

import io
from typing import Iterable, Sequence
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from corpus_people import OFFENCES, ROLE_MAILBOX, Officer, Victim
from corpus_zip import (MAIN, REL, add_default, add_override, add_relationship, core_properties, pin_package,
                        relationships, with_r_namespace)

UNIT = "FOI Disclosure Unit"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
MACRO_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def new_workbook(title: str = "Summary") -> openpyxl.Workbook:
    """A workbook whose first sheet is the harmless summary a requester expects."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["Freedom of Information request 2024/0193", None, None])
    ws.append(["Offence", "2022", "2023"])
    for i, offence in enumerate(OFFENCES):
        ws.append([offence, 40 + 7 * i, 38 + 5 * i])
    return wb


def save(wb: openpyxl.Workbook, creator: str = UNIT, modified_by: str = UNIT, **parts) -> bytes:
    """The workbook's bytes, times pinned and properties replaced."""
    out = io.BytesIO()
    wb.save(out)
    edit = {"docProps/core.xml": lambda _: core_properties(creator, modified_by)}
    edit.update(parts.pop("edit", {}))
    return pin_package(out.getvalue(), edit=edit, add=parts.pop("add", {}))


def fill(ws, rows: Iterable[Sequence[object]]) -> None:
    for row in rows:
        ws.append(list(row))


def hidden_sheet(state: str, title: str, rows: Iterable[Sequence[object]]) -> bytes:
    """A summary plus a sheet in ``state`` ("hidden" or "veryHidden") holding ``rows``."""
    wb = new_workbook()
    ws = wb.create_sheet(title)
    fill(ws, rows)
    ws.sheet_state = state
    return save(wb)


def staff_roll(officers: Sequence[Officer]) -> bytes:
    """Built like the PSNI file: a visible headcount, the nominal roll on a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Officers and staff by rank", None])
    ranks: dict[str, int] = {}
    for officer in officers:
        ranks[officer.rank] = ranks.get(officer.rank, 0) + 1
    fill(ws, sorted(ranks.items()))
    ws.append(["Total", len(officers)])
    staff = wb.create_sheet("Staff")
    staff.append(["Surname", "Initials", "Rank", "Role", "Staff number"])
    fill(staff, ((o.surname, o.initials, o.rank, o.role, o.staff_number) for o in officers))
    staff.sheet_state = "hidden"
    return save(wb)


def hidden_rows(rows: dict[int, Sequence[object]], hide: range) -> bytes:
    """The summary with ``hide`` rows hidden; ``rows`` puts values in some of them."""
    wb = new_workbook()
    ws = wb.active
    for number, values in rows.items():
        for col, value in enumerate(values, start=1):
            ws.cell(number, col, value)
    for number in hide:
        ws.row_dimensions[number].hidden = True
    return save(wb)


def hidden_column(letter: str, values: Sequence[object]) -> bytes:
    """The summary with column ``letter`` hidden and holding ``values`` from row 2."""
    wb = new_workbook()
    ws = wb.active
    for row, value in enumerate(values, start=2):
        ws[f"{letter}{row}"] = value
    ws.column_dimensions[letter].hidden = True
    return save(wb)


def with_comment(cell: str, text: str, author: str = UNIT) -> bytes:
    wb = new_workbook()
    wb.active[cell].comment = Comment(text, author)
    return save(wb)


def with_defined_name(name: str, value: str) -> bytes:
    """A defined name: a cell range, or (quoted) a constant stored in workbook.xml."""
    wb = new_workbook()
    wb.defined_names[name] = DefinedName(name, attr_text=value)
    return save(wb)


def with_properties(creator: str, modified_by: str) -> bytes:
    return save(new_workbook(), creator=creator, modified_by=modified_by)


def visible(rows: Iterable[Sequence[object]]) -> bytes:
    wb = new_workbook()
    ws = wb.create_sheet("Contacts")
    fill(ws, rows)
    return save(wb)


def macro_enabled(title: str, rows: Iterable[Sequence[object]]) -> bytes:
    """An .xlsm (macro-enabled content type) with a very hidden sheet, as macros often keep."""
    wb = new_workbook()
    ws = wb.create_sheet(title)
    fill(ws, rows)
    ws.sheet_state = "veryHidden"
    retype = lambda xml: xml.replace(f"{SHEET_CT}.sheet.main+xml".encode(), MACRO_CT.encode())  # noqa: E731
    return save(wb, edit={"[Content_Types].xml": retype})


# --- pivot caches -------------------------------------------------------------------------------

def _cache_definition(fields: Sequence[str], axis: int, items: Sequence[str], count: int, save_data: bool) -> bytes:
    cache_fields = "".join(
        f'<cacheField name="{escape(name)}" numFmtId="0">'
        + (f'<sharedItems count="{len(items)}">' + "".join(f'<s v="{escape(i)}"/>' for i in items) + "</sharedItems>"
           if n == axis else "<sharedItems/>")
        + "</cacheField>"
        for n, name in enumerate(fields)
    )
    records = ' r:id="rId1"' if save_data else ' saveData="0"'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheDefinition xmlns="{MAIN}" '
        f'xmlns:r="{REL}"{records} refreshedBy="{UNIT}" refreshedDate="45352.3958" createdVersion="6" '
        f'refreshedVersion="6" minRefreshableVersion="3" recordCount="{count}">'
        f'<cacheSource type="worksheet"><worksheetSource ref="A1:{chr(64 + len(fields))}{count + 1}" '
        f'sheet="Raw data"/></cacheSource><cacheFields count="{len(fields)}">{cache_fields}</cacheFields>'
        "</pivotCacheDefinition>"
    ).encode()


def _cache_records(rows: Sequence[Sequence[object]], axis: int, items: Sequence[str]) -> bytes:
    def value(n: int, v: object) -> str:
        if n == axis:
            return f'<x v="{items.index(str(v))}"/>'
        return f'<n v="{v}"/>' if isinstance(v, int) else f'<s v="{escape(str(v))}"/>'

    body = "".join("<r>" + "".join(value(n, v) for n, v in enumerate(row)) + "</r>" for row in rows)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheRecords xmlns="{MAIN}" '
            f'xmlns:r="{REL}" count="{len(rows)}">{body}</pivotCacheRecords>').encode()


def _pivot_table(fields: Sequence[str], axis: int, items: Sequence[str]) -> bytes:
    pivot_fields = "".join(
        '<pivotField axis="axisRow" showAll="0"><items count="%d">%s<item t="default"/></items></pivotField>'
        % (len(items) + 1, "".join(f'<item x="{i}"/>' for i in range(len(items))))
        if n == axis else '<pivotField dataField="1" showAll="0"/>' if n == 0 else '<pivotField showAll="0"/>'
        for n in range(len(fields))
    )
    rows = len(items) + 1
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotTableDefinition xmlns="{MAIN}" '
        'name="PivotTable1" cacheId="1" applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" dataCaption="Values" '
        'updatedVersion="6" minRefreshableVersion="3" createdVersion="6" outline="1" outlineData="1">'
        f'<location ref="E2:F{2 + rows}" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
        f'<pivotFields count="{len(fields)}">{pivot_fields}</pivotFields>'
        f'<rowFields count="1"><field x="{axis}"/></rowFields>'
        f'<dataFields count="1"><dataField name="Count of {escape(fields[0])}" fld="0" subtotal="count" '
        'baseField="0" baseItem="0"/></dataFields></pivotTableDefinition>'
    ).encode()


def pivot_workbook(fields: Sequence[str], rows: Sequence[Sequence[object]], axis: int, save_data: bool = True) -> bytes:
    """Built like the Norfolk and Suffolk files: a visible table and a pivot table
    whose cache keeps the raw records (the source sheet itself deleted)."""
    items = sorted({str(r[axis]) for r in rows}) or list(OFFENCES)
    wb = new_workbook()
    ws = wb.active
    ws["E1"] = "Count by " + fields[axis].lower()
    for i, item in enumerate(items, start=3):
        ws[f"E{i}"], ws[f"F{i}"] = item, sum(1 for r in rows if str(r[axis]) == item)
    add = {
        "xl/pivotCache/pivotCacheDefinition1.xml": _cache_definition(fields, axis, items, len(rows), save_data),
        "xl/pivotTables/pivotTable1.xml": _pivot_table(fields, axis, items),
        "xl/pivotTables/_rels/pivotTable1.xml.rels": relationships(
            ("rId1", "pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")),
        "xl/worksheets/_rels/sheet1.xml.rels": relationships(("rId1", "pivotTable", "../pivotTables/pivotTable1.xml")),
    }
    types = [("pivotCache/pivotCacheDefinition1.xml", "pivotCacheDefinition"), ("pivotTables/pivotTable1.xml", "pivotTable")]
    if save_data:
        add["xl/pivotCache/pivotCacheRecords1.xml"] = _cache_records(rows, axis, items)
        add["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = relationships(
            ("rId1", "pivotCacheRecords", "pivotCacheRecords1.xml"))
        types.append(("pivotCache/pivotCacheRecords1.xml", "pivotCacheRecords"))

    def content_types(xml: bytes) -> bytes:
        for part, kind in types:
            xml = add_override(xml, "xl/" + part, f"{SHEET_CT}.{kind}+xml")
        return xml

    edit = {
        "[Content_Types].xml": content_types,
        "xl/workbook.xml": lambda xml: with_r_namespace(xml).replace(
            b"</workbook>", b'<pivotCaches><pivotCache cacheId="1" r:id="rIdPC1"/></pivotCaches></workbook>'),
        "xl/_rels/workbook.xml.rels": lambda xml: add_relationship(
            xml, "rIdPC1", "pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"),
    }
    return save(wb, edit=edit, add=add)


def victim_records(victims: Sequence[Victim]) -> tuple[list[str], list[tuple[object, ...]]]:
    fields = ["Crime ref", "Name", "Address", "Postcode", "Date of birth", "Offence", "Role"]
    return fields, [(v.crime_ref, v.name, v.address, v.postcode, v.date_of_birth, v.offence, v.role) for v in victims]


def count_records() -> tuple[list[str], list[tuple[object, ...]]]:
    """Records with nothing personal: month, offence, a count."""
    rows = [(f"2023-{m + 1:02d}", offence, 3 + (m * 7 + o) % 11) for m in range(12) for o, offence in enumerate(OFFENCES)]
    return ["Month", "Offence", "Count"], rows


# --- external links and embedded packages ---------------------------------------------------------

def external_link(target: str, cells: Sequence[tuple[str, str]]) -> bytes:
    """A link to another workbook with the cached values Excel keeps of it."""
    cached = "".join(f'<cell r="{ref}" t="str"><v>{escape(v)}</v></cell>' for ref, v in cells)
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{MAIN}" '
            f'xmlns:r="{REL}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
            f'<sheetDataSet><sheetData sheetId="0"><row r="1">{cached}</row></sheetData></sheetDataSet>'
            "</externalBook></externalLink>").encode()
    wb = new_workbook()
    wb.active["D2"] = "='[1]Sheet1'!A1"
    add = {
        "xl/externalLinks/externalLink1.xml": part,
        "xl/externalLinks/_rels/externalLink1.xml.rels": relationships(
            ("rId1", "externalLinkPath", escape(target, {'"': "&quot;"}), True)),
    }
    edit = {
        "[Content_Types].xml": lambda xml: add_override(xml, "xl/externalLinks/externalLink1.xml",
                                                        f"{SHEET_CT}.externalLink+xml"),
        "xl/workbook.xml": lambda xml: with_r_namespace(xml).replace(
            b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rIdEL1"/></externalReferences>'),
        "xl/_rels/workbook.xml.rels": lambda xml: add_relationship(
            xml, "rIdEL1", "externalLink", "externalLinks/externalLink1.xml"),
    }
    return save(wb, edit=edit, add=add)


def embedded_package(name: str, package: bytes) -> bytes:
    """The summary with an OLE-embedded Office package (as Insert > Object saves it)."""
    wb = new_workbook()
    add = {
        f"xl/embeddings/{name}": package,
        "xl/worksheets/_rels/sheet1.xml.rels": relationships(("rId1", "package", f"../embeddings/{name}")),
    }
    extension = name.rsplit(".", 1)[1]
    edit = {
        "[Content_Types].xml": lambda xml: add_default(
            xml, extension, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xl/worksheets/sheet1.xml": lambda xml: with_r_namespace(xml).replace(
            b"</worksheet>", b'<oleObjects><oleObject progId="Word.Document.12" shapeId="1025" r:id="rId1"/>'
                             b"</oleObjects></worksheet>"),
    }
    return save(wb, edit=edit, add=add)


ROLE_PROPERTIES = (UNIT, ROLE_MAILBOX)


# --- the benchmark workbook (never committed) ------------------------------------------------------

def _sheet_xml(rows: Iterable[Sequence[object]], strings: dict[str, int]) -> Iterable[bytes]:
    """A worksheet streamed row by row, strings through the shared-string table as Excel does."""
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"  # at most 26 columns here
            if isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        yield f'<row r="{r}">{"".join(cells)}</row>'.encode()
    yield b"</sheetData></worksheet>"


def large_workbook(path, rows: int = 100_000, seed: int = 20) -> None:
    """A workbook of about 20 MB: ``rows`` incident rows on a visible sheet, the
    same number of raw victim records in a pivot cache and a hidden sheet of
    a tenth as many officers, for ``bench/check.py`` (issue 10's goal)."""
    import random
    import zipfile

    from corpus_people import officers as make_officers
    from corpus_people import victims as make_victims

    rng = random.Random(seed)
    strings: dict[str, int] = {}
    incidents = ((f"36/{100000 + i}/23", f"2023-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                  rng.choice(OFFENCES), f"Beat {rng.randrange(1, 400)}", rng.randrange(1, 60), rng.random() * 1000,
                  rng.choice(["Charged", "No further action", "Caution", "Under investigation"]),
                  f"Note {rng.getrandbits(64):016x}", rng.randrange(400000, 700000), rng.randrange(200000, 400000),
                  round(52 + rng.random(), 6), round(1 + rng.random(), 6), *(rng.random() * 100 for _ in range(6)),
                  f"Ref {rng.getrandbits(48):012x}") for i in range(rows))
    staff = make_officers(max(1, rows // 10), seed=seed)
    fields, records = victim_records(make_victims(rows, seed=seed))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as out:
            for chunk in _sheet_xml(incidents, strings):
                out.write(chunk)
        with archive.open("xl/worksheets/sheet2.xml", "w") as out:
            header = [("Surname", "Initials", "Rank", "Role", "Staff number")]
            for chunk in _sheet_xml(header + [(o.surname, o.initials, o.rank, o.role, o.staff_number) for o in staff], strings):
                out.write(chunk)
        items = sorted(set(OFFENCES))
        archive.writestr("xl/pivotCache/pivotCacheDefinition1.xml", _cache_definition(fields, 5, items, rows, True))
        archive.writestr("xl/pivotCache/pivotCacheRecords1.xml", _cache_records(records, 5, items))
        archive.writestr("xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
                         relationships(("rId1", "pivotCacheRecords", "pivotCacheRecords1.xml")))
        archive.writestr("xl/pivotTables/pivotTable1.xml", _pivot_table(fields, 5, items))
        archive.writestr("xl/pivotTables/_rels/pivotTable1.xml.rels",
                         relationships(("rId1", "pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")))
        archive.writestr("xl/worksheets/_rels/sheet1.xml.rels", relationships(("rId1", "pivotTable", "../pivotTables/pivotTable1.xml")))
        shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                                                 f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>')
        for name, blob in _large_skeleton().items():
            archive.writestr(name, blob)


def _large_skeleton() -> dict[str, bytes]:
    """The package parts around the big ones: content types, workbook, relationships."""
    parts = [("xl/workbook.xml", "sheet.main"), ("xl/worksheets/sheet1.xml", "worksheet"), ("xl/worksheets/sheet2.xml", "worksheet"),
             ("xl/sharedStrings.xml", "sharedStrings"), ("xl/pivotCache/pivotCacheDefinition1.xml", "pivotCacheDefinition"),
             ("xl/pivotCache/pivotCacheRecords1.xml", "pivotCacheRecords"), ("xl/pivotTables/pivotTable1.xml", "pivotTable")]
    overrides = "".join(f'<Override PartName="/{p}" ContentType="{SHEET_CT}.{k}+xml"/>' for p, k in parts)
    return {
        "[Content_Types].xml": ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
                                'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                                'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                                f"{overrides}</Types>").encode(),
        "_rels/.rels": relationships(("rId1", "officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                            '<sheets><sheet name="Incidents" sheetId="1" r:id="rId1"/>'
                            '<sheet name="Staff" sheetId="2" state="hidden" r:id="rId2"/></sheets>'
                            '<pivotCaches><pivotCache cacheId="1" r:id="rId4"/></pivotCaches></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": relationships(("rId1", "worksheet", "worksheets/sheet1.xml"),
                                                    ("rId2", "worksheet", "worksheets/sheet2.xml"),
                                                    ("rId3", "sharedStrings", "sharedStrings.xml"),
                                                    ("rId4", "pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml")),
    }
