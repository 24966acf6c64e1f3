"""Workbooks (xlsx, xlsm): every sheet, hidden or not, and what hides beside the cells.

Read from the package's XML, not through openpyxl: its read-only mode sees
no hidden rows or columns, comments or pivot caches, and its full load
takes 85 times the file in memory (docs/attachments-study.md).  Sheet XML
is inflated in chunks cut at ``</row>`` and read with compiled patterns,
so a 20 MB workbook costs a few seconds and about twice its size.  Each
distinct value is checked once per place it could hide (a surname on ten
thousand rows is one string), located at its first cell.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from typing import Iterator

from crumail.checks.attachments import package as pkg
from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.model import Inspection, Piece, is_name_header
from crumail.errors import UnreadableAttachmentError

REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(/?)>")
CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
INLINE = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
SHARED_STRING = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", re.S)
PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
RECORD_VALUES = re.compile(rb"<(?:\w+:)?r>(.*?)</(?:\w+:)?r>", re.S)
RECORD_ITEM = re.compile(rb'<(?:\w+:)?(?:s|n(?=\s[^>]*?\bv="-?\d{9}))\s[^>]*?\bv="([^"]*)"')
REF = re.compile(r"([A-Z]+)(\d+)")
ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")
TRUE = {b"1", b"true"}
SHARED_CELL = re.compile(rb'<c r="([A-Z]{1,3}\d+)"[^>]*?\bt="s"[^>]*>\s*<v>(\d+)</v>')
LONG_VALUE = re.compile(rb"<v>-?\d{9}")
OTHER_CELL = re.compile(rb'<c r="([A-Z]{1,3}\d+)"[^>]*?\bt="(inlineStr|str|e)"[^>]*>(.*?)</c>', re.S)
LONG_NUMBER = re.compile(rb'<c r="([A-Z]{1,3}\d+)"(?:\s+s="\d+")?(?:\s+t="n")?\s*>\s*(?:<f>[^<]*</f>\s*)?'
                         rb'<v>(-?\d{9,}(?:\.\d*)?)</v>')
CHUNK = 4 * 1024 * 1024


def inspect_xlsx(data: bytes, caps: Caps, kind: str = "xlsx") -> Inspection:
    package = pkg.open_zip(data, caps)
    found = Inspection(kind)
    strings = _shared_strings(package)
    for name, state, part in _sheets(package):
        _sheet(package, found, name, state, part, strings)
    _defined_names(package, found)
    _pivot_caches(package, found)
    _external_links(package, found)
    for label, value in pkg.properties(package):
        found.piece(f"properties {label}", value)
    found.nested.extend(pkg.embedded(package, "xl/embeddings/"))
    return found


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in ATTR.findall(raw)}


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


def _shared_strings(package: zipfile.ZipFile) -> list[str]:
    """Every shared string, by pattern, a chunk at a time: a plain ``<si><t>`` is one match,
    rich text joins its runs."""
    if "xl/sharedStrings.xml" not in pkg.names(package):
        return []
    out: list[str] = []
    for chunk in _chunks(package, "xl/sharedStrings.xml", b"</si>"):
        for si in SHARED_STRING.findall(chunk):
            if b"<rPh" in si:  # phonetic runs are readings of the same text, not more of it
                si = PHONETIC.sub(b"", si)
            out.append("".join(_text(t) if b"&" in t else t.decode("utf-8", "replace") for t in INLINE.findall(si)))
    return out


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def rels(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, str]]:
    """A part's relationships: id -> (type's last word, resolved target, target mode)."""
    folder, name = posixpath.split(part)
    root = pkg.part_xml(package, posixpath.join(folder, "_rels", name + ".rels"))
    found = {}
    for rel in root.iterchildren("{*}Relationship") if root is not None else ():
        mode = rel.get("TargetMode", "")
        target = rel.get("Target", "")
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target if mode == "External"
                                    else _resolve(part, target), mode)
    return found


def _sheets(package: zipfile.ZipFile) -> Iterator[tuple[str, str, str]]:
    root = pkg.part_xml(package, "xl/workbook.xml")
    if root is None:
        return
    links = rels(package, "xl/workbook.xml")
    for sheet in root.iter("{*}sheet"):
        target = links.get(sheet.get(REL_NS, ""), ("", "", ""))[1]
        if target:
            yield sheet.get("name", "?"), sheet.get("state", "visible"), target


def _column(letters: str) -> int:
    number = 0
    for c in letters:
        number = number * 26 + ord(c) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def spans(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs: [11, 12, 13, 20] -> [(11, 13), (20, 20)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def run_label(word: str, run: tuple[int, int], show=str) -> str:
    lo, hi = run
    return f"{word} {show(lo)}" if lo == hi else f"{word}s {show(lo)}-{show(hi)}"


def _chunks(package: zipfile.ZipFile, part: str, cut: bytes) -> Iterator[bytes]:
    """The part inflated in chunks, each ending at ``cut`` so no element is split.

    Read without a parser, so the two things a parser would refuse are
    checked here: a DOCTYPE (entity expansion) and a part cut short (its
    root element never closed, as when a zip entry lies about its size).
    """
    info = package.getinfo(part)
    rest = b""
    got = 0
    root = b""
    with package.open(info) as stream:
        while True:
            block = stream.read(CHUNK)
            got += len(block)
            if got > info.file_size:
                raise UnreadableAttachmentError(f"part {part} inflates past its declared size")
            if not root:
                root = _root_name(part, block)
            if not block:
                if not rest.rstrip().endswith(b"</" + root + b">"):
                    raise UnreadableAttachmentError(f"part {part} is cut short (its XML never ends): "
                                                    "a damaged or truncated file")
                yield rest
                return
            rest += block
            end = rest.rfind(cut)
            if end >= 0:
                end += len(cut)
                yield rest[:end]
                rest = rest[end:]


def _root_name(part: str, head: bytes) -> bytes:
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnreadableAttachmentError(f"part {part} declares a DOCTYPE or entities (an XML bomb?): not inspected")
    match = ROOT.search(head)
    if not match:
        raise UnreadableAttachmentError(f"part {part} is not XML")
    return match.group(1)


class _Cells:
    """Distinct values of one sheet, each at its first cell, gathered one a line per kind of place."""

    def __init__(self, sheet: str, hidden_sheet: bool) -> None:
        self.sheet = sheet
        self.group = f"sheet {sheet}" if hidden_sheet else None
        self.lines: dict[tuple[str | None, str | None], tuple[list[str], list[str]]] = {}
        self.seen: set[tuple[str | None, str | None, str]] = set()
        self.seen_strings: dict[str | None, bytearray] = {}
        self.hidden_rows: list[int] = []
        self.hidden_cols: set[int] = set()
        self.filled_cols: set[int] = set()
        self.any = False
        self.header_row: int | None = None
        self.name_cols: dict[str, bool] = {}

    def add(self, ref: str, value: str, row: int, row_hidden: bool = False) -> None:
        """One cell, read the careful way: header, hidden row or column, column of names."""
        if not value.strip():
            return
        match = REF.match(ref)
        letters = match.group(1) if match else ""
        group = self.group
        if group is None and row_hidden:
            self.hidden_rows.append(row)
            group = f"sheet {self.sheet} rows"
        elif group is None and self.hidden_cols and _column(letters) in self.hidden_cols:
            self.filled_cols.add(_column(letters))
            group = f"sheet {self.sheet} columns"
        if self.header_row is None:
            self.header_row = row
        kind = None
        if row == self.header_row:
            if is_name_header(value):
                self.name_cols[letters] = True
        elif letters in self.name_cols:
            kind = "name"
            self.keep(ref, value, group)  # read as text too, as the fast reader does
        self.keep(ref, value, group, kind)

    def keep_string(self, ref: str, strings: list[str], index: bytes, kind: str | None = None) -> None:
        """A shared string's cell: seen strings are told by their index in a bit set, not by value."""
        try:
            number = int(index)
            value = strings[number]
        except (IndexError, ValueError):
            return
        bits = self.seen_strings.setdefault(kind, bytearray((len(strings) + 7) // 8))
        if bits[number >> 3] & (1 << (number & 7)) or (self.seen and (self.group, kind, value) in self.seen):
            return
        bits[number >> 3] |= 1 << (number & 7)
        if value.strip():
            self.any = True
            refs, values = self.lines.setdefault((self.group, kind), ([], []))
            refs.append(ref)
            values.append(value)

    def keep(self, ref: str, value: str, group: str | None, kind: str | None = None) -> None:
        self.any = True
        key = (group, kind, value)
        if key not in self.seen:
            self.seen.add(key)
            refs, values = self.lines.setdefault((group, kind), ([], []))
            refs.append(ref)
            values.append(value)

    def emit(self, found: Inspection) -> None:
        for (group, kind), (refs, values) in self.lines.items():
            text = "\n".join(values)
            if text.count("\n") != len(values) - 1:  # a cell of several lines: one line a cell
                text = "\n".join(v.replace("\n", " ") for v in values)
            found.pieces.append(Piece(f"sheet {self.sheet}!", text, group, kind, tuple(refs)))


def _sheet(package: zipfile.ZipFile, found: Inspection, name: str, state: str, part: str, strings: list[str]) -> None:
    hidden = state in ("hidden", "veryHidden")
    label = f"{name} ({'very hidden' if state == 'veryHidden' else 'hidden'})" if hidden else name
    cells = _Cells(label, hidden)
    try:
        package.getinfo(part)
    except KeyError:
        return
    first = True
    for chunk in _chunks(package, part, b"</row>"):
        if first:
            # the first row (the header: which columns hold names) the careful way
            cells.hidden_cols = set(_hidden_columns(chunk)) if b"<cols" in chunk else set()
            cut = chunk.find(b"</row>") + len(b"</row>")
            _careful(chunk[:cut], cells, strings)
            chunk, first = chunk[cut:], False
        if _plain(chunk, cells):
            _fast(chunk, cells, strings)
        else:
            _careful(chunk, cells, strings)
    cells.emit(found)
    _marks(found, cells, label, hidden)
    for kind, target, _ in rels(package, part).values():
        if kind in ("comments", "threadedComment"):
            _comments(package, found, label, target)


def _plain(chunk: bytes, cells: _Cells) -> bool:
    """True when the fast patterns see every cell: no hidden rows or columns, the usual layout."""
    return (not cells.hidden_cols and b'hidden="' not in chunk and b":c " not in chunk
            and chunk.count(b"<c ") == chunk.count(b'<c r="'))


def _careful(chunk: bytes, cells: _Cells, strings: list[str]) -> None:
    row, row_hidden = 0, False
    for tag in _row_and_cells(chunk):
        if tag[0] == "row":
            attrs = _attrs(tag[1])
            try:
                row = int(attrs.get(b"r", b"0")) or row + 1
            except ValueError:
                row += 1
            row_hidden = attrs.get(b"hidden") in TRUE
            continue
        attrs = _attrs(tag[1])
        value = _cell_value(attrs.get(b"t", b"n"), tag[2], strings)
        if value is not None:
            cells.add(attrs.get(b"r", b"").decode("ascii", "replace"), value, row, row_hidden)


def _fast(chunk: bytes, cells: _Cells, strings: list[str]) -> None:
    """Shared-string cells by one pattern, each string once (at its first cell), in C."""
    group = cells.group
    for index, ref in _first_cells(SHARED_CELL, chunk):
        cells.keep_string(ref.decode("ascii"), strings, index)
    for letters in cells.name_cols:
        column = re.compile(rb'<c r="(' + letters.encode() + rb'\d+)"[^>]*?\bt="s"[^>]*>\s*<v>(\d+)</v>')
        for index, ref in _first_cells(column, chunk):
            cells.keep_string(ref.decode("ascii"), strings, index, "name")
    others = b't="inlineStr"' in chunk or b't="str"' in chunk or b't="e"' in chunk
    for ref, kind, inner in OTHER_CELL.findall(chunk) if others else ():
        value = _cell_value(kind, inner, strings)
        if value:
            cells.keep(ref.decode("ascii"), value, group)
            if ref.rstrip(b"0123456789").decode("ascii") in cells.name_cols:
                cells.keep(ref.decode("ascii"), value, group, "name")
    for ref, value in LONG_NUMBER.findall(chunk) if LONG_VALUE.search(chunk) else ():
        cells.keep(ref.decode("ascii"), value.decode("ascii"), group)


def _first_cells(pattern: re.Pattern[bytes], chunk: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(string index, first cell) for each shared string the chunk's cells use."""
    pairs = pattern.findall(chunk)
    if not pairs:
        return iter(())
    refs, indexes = zip(*pairs)
    return iter(dict(zip(reversed(indexes), reversed(refs))).items())


def _string(strings: list[str], index: bytes) -> str:
    try:
        return strings[int(index)]
    except (IndexError, ValueError):
        return ""


def _comments(package: zipfile.ZipFile, found: Inspection, label: str, part: str) -> None:
    root = pkg.part_xml(package, part)
    if root is None:
        return
    authors = [a.text or "" for a in root.iter("{*}author")]
    for node in root.iter("{*}comment", "{*}threadedComment"):
        where = f"sheet {label}!{node.get('ref', '')} comment"
        text = "".join(t.text or "" for t in node.iter("{*}t", "{*}text"))
        found.piece(where, text)
        author = node.get("authorId")
        if author is not None and author.isdigit() and int(author) < len(authors):
            found.piece(f"{where} author", authors[int(author)])
        found.mark("comment", where, f"{where}: the recipient can read it", severity="warn")


def _row_and_cells(chunk: bytes) -> Iterator[tuple[str, bytes, bytes]]:
    """Rows and cells in document order (a row's attributes come before its cells)."""
    rows = [(m.start(), m.group(1)) for m in ROW.finditer(chunk)]
    cells = CELL.finditer(chunk)
    r = 0
    for cell in cells:
        while r < len(rows) and rows[r][0] < cell.start():
            yield ("row", rows[r][1], b"")
            r += 1
        yield ("c", cell.group(1), cell.group(2) or b"")
    for _, attrs in rows[r:]:
        yield ("row", attrs, b"")


def _cell_value(kind: bytes, inner: bytes, strings: list[str]) -> str | None:
    if kind == b"inlineStr":
        return "".join(_text(t) for t in INLINE.findall(inner))
    match = VALUE.search(inner)
    if not match:
        return None
    raw = match.group(1)
    if kind == b"s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind in (b"str", b"e"):
        return _text(raw)
    # a number is personal data only when it is long enough to be a phone or an ID
    digits = raw.split(b".")[0].lstrip(b"-")
    return _text(raw) if len(digits) >= 9 else ""


def _hidden_columns(chunk: bytes) -> dict[int, bool]:
    hidden: dict[int, bool] = {}
    head = chunk[:chunk.find(b"<sheetData") if b"<sheetData" in chunk else len(chunk)]
    for raw in COL.findall(head):
        attrs = _attrs(raw)
        if attrs.get(b"hidden") in TRUE:
            lo, hi = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
            for col in range(lo, min(hi, lo + 16384) + 1):
                hidden[col] = True
    return hidden


def _marks(found: Inspection, cells: _Cells, label: str, hidden: bool) -> None:
    if hidden and cells.any:
        found.mark("hidden_sheet", f"sheet {label}", f"sheet {label} is hidden and holds data",
                   group=f"sheet {label}")
    for run in spans(cells.hidden_rows):
        found.mark("hidden_rows", f"sheet {label} {run_label('row', run)} (hidden)",
                   f"hidden {run_label('row', run)} of sheet {label} hold data", group=f"sheet {label} rows")
    for run in spans(sorted(cells.filled_cols)):
        found.mark("hidden_columns", f"sheet {label} {run_label('column', run, column_letters)} (hidden)",
                   f"hidden {run_label('column', run, column_letters)} of sheet {label} hold data",
                   group=f"sheet {label} columns")


def _defined_names(package: zipfile.ZipFile, found: Inspection) -> None:
    root = pkg.part_xml(package, "xl/workbook.xml")
    for node in root.iter("{*}definedName") if root is not None else ():
        name = node.get("name", "")
        if not name.startswith("_xlnm."):  # print areas and titles are cell ranges
            found.piece(f"defined name {name}", node.text or "")


def _numbered(package: zipfile.ZipFile, pattern: str) -> list[tuple[int, str]]:
    rx = re.compile(pattern)
    found = [(int(m.group(1)), name) for name in pkg.names(package) if (m := rx.fullmatch(name))]
    return sorted(found)


def _pivot_caches(package: zipfile.ZipFile, found: Inspection) -> None:
    for number, part in _numbered(package, r"xl/pivotCache/pivotCacheDefinition(\d+)\.xml"):
        label = f"pivot cache {number}"
        for value in _pivot_shared_items(package, part):
            found.piece(label, value, label)
        records = [target for kind, target, _ in rels(package, part).values() if kind == "pivotCacheRecords"]
        count = sum(_pivot_records(package, target, label, found) for target in records)
        if count:
            found.mark("pivot_cache", label, f"{label} keeps {count:,} records of the raw data behind the table",
                       group=label)


def _pivot_shared_items(package: zipfile.ZipFile, part: str) -> list[str]:
    """The definition's field names and shared items: the distinct values of each field."""
    root = pkg.xml(pkg.read_part(package, part), part)
    found = []
    for field in root.iter("{*}cacheField"):
        items = field.find("{*}sharedItems")
        found.extend(child.get("v", "") for child in (items if items is not None else ()))
    return [v for v in found if v.strip()]


def _pivot_records(package: zipfile.ZipFile, part: str, label: str, found: Inspection) -> int:
    """The cached records' own values (``<s v>``, long numbers), each once, at its first record.

    Values given as indexes (``<x v>``) are the definition's shared items, already read."""
    try:
        package.getinfo(part)
    except KeyError:
        return 0
    seen: set[str] = set()
    numbers: list[str] = []
    values: list[str] = []
    count = 0
    for chunk in _chunks(package, part, b"</r>"):
        for record in RECORD_VALUES.finditer(chunk):
            count += 1
            for raw in RECORD_ITEM.findall(record.group(1)):
                value = _text(raw)
                if value.strip() and value not in seen:
                    seen.add(value)
                    numbers.append(str(count))
                    values.append(value.replace("\n", " "))
    if values:
        found.pieces.append(Piece(f"{label} record ", "\n".join(values), label, None, tuple(numbers)))
    return count


def _external_links(package: zipfile.ZipFile, found: Inspection) -> None:
    for number, part in _numbered(package, r"xl/externalLinks/externalLink(\d+)\.xml"):
        label = f"external link {number}"
        targets = [target for _, target, mode in rels(package, part).values() if mode == "External"]
        root = pkg.xml(pkg.read_part(package, part), part)
        values = [v.text or "" for v in root.iter("{*}v")]
        for text in [*targets, *values]:
            found.piece(label, text)
        where = f" to {targets[0]}" if targets else ""
        found.mark("external_link", label, f"{label}{where}: the workbook keeps values read from another file",
                   severity="warn")
