"""A cleaned copy of a workbook or a Word document: what hides in it dropped (issue 10).

Pure: bytes in, bytes and a list of what was dropped out.  From a workbook:
hidden and very hidden sheets, hidden rows, comments and notes, pivot
caches and tables, external links, embedded objects, defined names that are
not print settings, and the author and last modifier.  From a Word
document: tracked deletions (their text is gone), tracked insertions
(accepted), hidden text, comments, embedded objects, the author and last
modifier.  Every relationship and content type left pointing at a dropped
part goes too, so the copy opens without a repair prompt.  The copy is
then checked again like any attachment: hidden columns and the text itself
are for the operator to mend.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

from crumail.checks.attachments import package as pkg
from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.detect import kind_of
from crumail.errors import UnreadableAttachmentError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*\bhidden="(?:1|true)"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)', re.S)
SHEET_REFS = re.compile(rb'<(?:\w+:)?(?:legacyDrawing|legacyDrawingHF)\b[^>]*/>|<(?:\w+:)?oleObjects\b.*?</(?:\w+:)?oleObjects>'
                        rb'|<(?:\w+:)?controls\b.*?</(?:\w+:)?controls>', re.S)
XLSX_DROPPED = re.compile(r"xl/(?:pivotCache|pivotTables|threadedComments|persons|externalLinks|embeddings)/.*"
                          r"|xl/comments\d*\.xml|xl/drawings/vmlDrawing\d*\.vml")
DOCX_DROPPED = re.compile(r"word/(?:comments|commentsExtended|commentsIds|commentsExtensible|people)\.xml"
                          r"|word/embeddings/.*")


def clean(data: bytes, caps: Caps = Caps()) -> tuple[bytes, list[str]]:
    """The cleaned copy and what was dropped; UnreadableAttachmentError for a kind that cannot be cleaned."""
    kind = kind_of(data)
    package = pkg.open_zip(data, caps)
    if kind in ("xlsx", "xlsm"):
        return _clean_xlsx(package)
    if kind == "docx":
        return _clean_docx(package)
    raise UnreadableAttachmentError(f"a {kind} file cannot be cleaned here: only workbooks (xlsx, xlsm) and "
                                    "Word documents (docx); redact it where it was made")


def _parts(package: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: pkg.read_part(package, name) for name in pkg.names(package)}


def _write(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), blob, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xml(blob: bytes, name: str) -> etree._Element:
    return pkg.xml(blob, name)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_parts(parts: dict[str, bytes], dropped: set[str]) -> None:
    """Remove the parts, every relationship to them and their content types."""
    for name in dropped:
        parts.pop(name, None)
        folder, base = posixpath.split(name)
        parts.pop(posixpath.join(folder, "_rels", base + ".rels"), None)
    for name in [n for n in parts if n.endswith(".rels")]:
        root = _xml(parts[name], name)
        source = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[:-5])
        for rel in list(root):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = (target.lstrip("/") if target.startswith("/")
                          else posixpath.normpath(posixpath.join(posixpath.dirname(source), target)))
            if target in dropped or (rel.get("TargetMode") == "External" and source.startswith("xl/externalLinks")):
                root.remove(rel)
        parts[name] = _bytes(root)
    types = _xml(parts["[Content_Types].xml"], "[Content_Types].xml")
    for node in list(types):
        if node.get("PartName", "").lstrip("/") in dropped:
            types.remove(node)
    parts["[Content_Types].xml"] = _bytes(types)


def _clear_properties(parts: dict[str, bytes], said: list[str]) -> None:
    for name, tags in (("docProps/core.xml", ("creator", "lastModifiedBy")), ("docProps/app.xml", ("Company", "Manager"))):
        if name not in parts:
            continue
        root = _xml(parts[name], name)
        for tag in tags:
            for node in root.iter(f"{{*}}{tag}"):
                if node.text:
                    said.append(f"properties {tag}")
                    node.text = ""
        parts[name] = _bytes(root)


def _clean_xlsx(package: zipfile.ZipFile) -> tuple[bytes, list[str]]:
    from crumail.checks.attachments.xlsx import rels

    from crumail.checks.attachments.xlsx import _chunks

    parts = _parts(package)
    said: list[str] = []
    for name in parts:  # sheets are rewritten by pattern: refuse an entity bomb or a cut part first
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            for _ in _chunks(package, name, b"</row>"):
                pass
    if "xl/workbook.xml" not in parts:
        raise UnreadableAttachmentError("a workbook package with no workbook part")
    book = _xml(parts["xl/workbook.xml"], "xl/workbook.xml")
    links = rels(package, "xl/workbook.xml")
    dropped = {name for name in parts if XLSX_DROPPED.fullmatch(name)}
    for sheet in list(book.iter("{*}sheet")):
        if sheet.get("state") in ("hidden", "veryHidden"):
            said.append(f"sheet {sheet.get('name')} ({sheet.get('state')})")
            dropped.add(links.get(sheet.get(f"{{{REL}}}id", ""), ("", "", ""))[1])
            sheet.getparent().remove(sheet)
    for tag in ("pivotCaches", "externalReferences"):
        for node in list(book.iter(f"{{*}}{tag}")):
            node.getparent().remove(node)
    for node in list(book.iter("{*}definedName")):
        if not node.get("name", "").startswith("_xlnm."):
            said.append(f"defined name {node.get('name')}")
            node.getparent().remove(node)
    for view in book.iter("{*}workbookView"):
        view.attrib.pop("activeTab", None)
        view.attrib.pop("firstSheet", None)
    parts["xl/workbook.xml"] = _bytes(book)
    for name in sorted(parts):
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in dropped:
            blob = parts[name]
            rows = len(HIDDEN_ROW.findall(blob))
            if rows:
                said.append(f"{rows} hidden row(s) of {name}")
            parts[name] = SHEET_REFS.sub(b"", HIDDEN_ROW.sub(b"", blob))
    said.extend(sorted(f"part {name}" for name in dropped if name in parts))
    _drop_parts(parts, dropped)
    _clear_properties(parts, said)
    return _write(parts), said


def _unwrap(node: etree._Element) -> None:
    """Put a node's children in its place (an accepted insertion)."""
    parent = node.getparent()
    index = parent.index(node)
    for child in reversed(list(node)):
        parent.insert(index, child)
    parent.remove(node)


def _clean_story(root: etree._Element, said: list[str], name: str) -> None:
    counts = {"tracked deletion": 0, "tracked insertion": 0, "hidden run": 0, "comment mark": 0}
    for node in list(root.iter(f"{{{W}}}del", f"{{{W}}}moveFrom")):
        if node.getparent() is not None and etree.QName(node.getparent()).localname != "rPr":
            node.getparent().remove(node)
            counts["tracked deletion"] += 1
    for node in list(root.iter(f"{{{W}}}ins", f"{{{W}}}moveTo")):
        if node.getparent() is not None and etree.QName(node.getparent()).localname != "rPr":
            _unwrap(node)
            counts["tracked insertion"] += 1
    for node in list(root.iter(f"{{{W}}}rPrChange", f"{{{W}}}pPrChange", f"{{{W}}}del", f"{{{W}}}ins")):
        node.getparent().remove(node)  # change marks left inside properties
    for run in list(root.iter(f"{{{W}}}r")):
        props = run.find(f"{{{W}}}rPr")
        vanish = props.find(f"{{{W}}}vanish") if props is not None else None
        if vanish is not None and vanish.get(f"{{{W}}}val", "1").lower() not in ("0", "false", "off"):
            run.getparent().remove(run)
            counts["hidden run"] += 1
        elif run.find(f"{{{W}}}commentReference") is not None:
            run.getparent().remove(run)
            counts["comment mark"] += 1
    for node in list(root.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd")):
        node.getparent().remove(node)
    said.extend(f"{count} {what}(s) in {name}" for what, count in counts.items() if count)


def _clean_docx(package: zipfile.ZipFile) -> tuple[bytes, list[str]]:
    parts = _parts(package)
    said: list[str] = []
    for name in sorted(parts):
        if re.fullmatch(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml", name):
            root = _xml(parts[name], name)
            _clean_story(root, said, name)
            parts[name] = _bytes(root)
    dropped = {name for name in parts if DOCX_DROPPED.fullmatch(name)}
    said.extend(sorted(f"part {name}" for name in dropped))
    _drop_parts(parts, dropped)
    _clear_properties(parts, said)
    return _write(parts), said
