"""PDF: the text layer, failed redactions, annotations, metadata, embedded files, earlier revisions.

PDFium (pypdfium2) reads the text and the page objects in the order they
are painted, which tells a box drawn over text (a failed redaction, black
or white) from a shaded cell drawn under it; pypdf reads the object level
(annotations, embedded files, metadata, encryption).  Before either opens
the file the cross-reference ``/Size`` is read from the raw bytes, so a
PDF of 100,000 objects is refused in milliseconds; each ``%%EOF`` ends a
revision, and an earlier revision whose text differs from the final one
is still in the file for anyone to read.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from crumail.checks.attachments.caps import Caps, over
from crumail.checks.attachments.model import Inspection, Nested
from crumail.errors import UnreadableAttachmentError

SIZE = re.compile(rb"/Size\s+(\d{1,12})")
EOF_MARK = re.compile(rb"%%EOF[ \t]*(?:\r\n|\r|\n)?")
FILLED = 0  # FPDF_FILLMODE_NONE: a path that is only stroked hides nothing
INSET = 1.0  # points: a rule or border touching the text is no cover
MAX_REVISIONS = 20
#: arrays or dictionaries opened this deep in a row: no real PDF nests so, and pure-Python readers recurse on it
DEEP = re.compile(rb"(?:\[\s*|<<\s*){256}")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes on hostile files are not ours to log


def inspect_pdf(data: bytes, caps: Caps, kind: str = "pdf") -> Inspection:
    objects = max((int(n) for n in SIZE.findall(data[-65536:])), default=0)
    objects = max(objects, max((int(n) for n in SIZE.findall(data)), default=0)) if objects == 0 else objects
    if objects > caps.max_pdf_objects:
        raise over("the PDF's object count", objects, caps.max_pdf_objects, "max_attachment_pdf_objects")
    if DEEP.search(data):
        raise UnreadableAttachmentError("objects nested hundreds deep (a hostile PDF?): not inspected")
    reader = _pypdf(data)
    found = Inspection(kind)
    final = _pages(data, caps, found, reader)
    _metadata(reader, found)
    _embedded(reader, found)
    _revisions(data, caps, final, found)
    return found


def _pypdf(data: bytes) -> Any:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableAttachmentError("password protected: it cannot be checked")
        return reader
    except UnreadableAttachmentError:
        raise
    except Exception as exc:
        raise UnreadableAttachmentError(f"a corrupt or truncated PDF ({type(exc).__name__}: {exc})") from None


def _open(data: bytes, caps: Caps) -> Any:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadableAttachmentError("password protected: it cannot be checked") from None
        raise UnreadableAttachmentError(f"a corrupt or truncated PDF ({message})") from None
    if len(document) > caps.max_pdf_pages:
        raise over("the PDF's page count", len(document), caps.max_pdf_pages, "max_attachment_pdf_pages")
    return document


def _page_texts(data: bytes, caps: Caps) -> list[str]:
    document = _open(data, caps)
    texts = []
    for index in range(len(document)):
        page = document[index]
        texts.append(page.get_textpage().get_text_range())
    return texts


def _pages(data: bytes, caps: Caps, found: Inspection, reader: Any) -> list[str]:
    document = _open(data, caps)
    texts = []
    for index in range(len(document)):
        page = document[index]  # kept referenced while its objects are read (PDFium frees it otherwise)
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        texts.append(text)
        found.piece(f"page {index + 1}", text)
        covered = _covered_text(page, textpage) or _under_redact_annotations(reader, index, page, textpage)
        if covered:
            found.mark("failed_redaction", f"page {index + 1}",
                       f"page {index + 1}: text lies under a box or a redaction that was never applied "
                       f"({len(covered):,} characters still in the file); redact it for real", hard=True)
        _annotations(reader, index, found)
    return texts


def _bounds(obj: Any) -> tuple[float, float, float, float]:
    return tuple(obj.get_bounds())  # type: ignore[return-value]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covered_text(page: Any, textpage: Any) -> str:
    """Text under a filled path painted after it (a box over the words, whatever its colour)."""
    import pypdfium2.raw as raw

    texts: list[tuple[float, ...]] = []
    for obj in page.get_objects(max_depth=3):
        kind = obj.type
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts.append(_bounds(obj))
        elif kind == raw.FPDF_PAGEOBJ_PATH and texts and _filled(obj):
            left, bottom, right, top = _bounds(obj)
            box = (left + INSET, bottom + INSET, right - INSET, top - INSET)
            if box[0] >= box[2] or box[1] >= box[3] or not any(_overlap(t, box) for t in texts):
                continue
            under = textpage.get_text_bounded(*box).strip()
            if under:
                return under
    return ""


def _filled(obj: Any) -> bool:
    import ctypes

    import pypdfium2.raw as raw

    mode, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(mode), ctypes.byref(stroke)):
        return False
    return mode.value != FILLED


def _annots(reader: Any, index: int) -> list[Any]:
    try:
        annots = reader.pages[index].get("/Annots")
        return [a.get_object() for a in (annots.get_object() if annots is not None else [])]
    except Exception as exc:  # what cannot be read might hide anything: the file is held
        raise UnreadableAttachmentError(f"page {index + 1}'s annotations cannot be read ({type(exc).__name__})") from None


def _under_redact_annotations(reader: Any, index: int, page: Any, textpage: Any) -> str:
    for annot in _annots(reader, index):
        if annot.get("/Subtype") != "/Redact":
            continue
        try:
            left, bottom, right, top = (float(v) for v in annot["/Rect"])
        except Exception:
            continue
        under = textpage.get_text_bounded(min(left, right), min(bottom, top), max(left, right), max(bottom, top))
        if under.strip():
            return under.strip()
    return ""


def _annotations(reader: Any, index: int, found: Inspection) -> None:
    number = 0
    for annot in _annots(reader, index):
        subtype = annot.get("/Subtype")
        if subtype in ("/Popup", "/Link", "/Redact", "/Widget"):
            continue
        number += 1
        where = f"page {index + 1} annotation {number}"
        text = "\n".join(str(annot.get(key, "") or "") for key in ("/T", "/Contents"))
        if text.strip():
            found.piece(where, text)
            found.mark("comment", where, f"{where}: the recipient can read it", severity="warn")


def _metadata(reader: Any, found: Inspection) -> None:
    try:
        meta = reader.metadata or {}
    except Exception:
        return
    for key, label in (("/Author", "author"), ("/Title", "title"), ("/Subject", "subject")):
        value = meta.get(key)
        if value:
            found.piece(f"properties {label}", str(value))


def _embedded(reader: Any, found: Inspection) -> None:
    try:
        attachments = reader.attachments
        for name in attachments:
            for data in attachments[name]:
                found.nested.append(Nested(str(name), bytes(data)))
    except Exception as exc:
        raise UnreadableAttachmentError(f"its embedded files cannot be read ({exc})") from None


def _revisions(data: bytes, caps: Caps, final: list[str], found: Inspection) -> None:
    ends = [m.end() for m in EOF_MARK.finditer(data)]
    for number, end in enumerate(ends[:-1][:MAX_REVISIONS], start=1):
        try:
            earlier = _page_texts(data[:end], caps)
        except UnreadableAttachmentError:
            continue  # a linearised file's first section is no document of its own
        changed = [(i, text) for i, text in enumerate(earlier)
                   if text.strip() and (i >= len(final) or " ".join(text.split()) != " ".join(final[i].split()))]
        if not changed:
            continue
        where = f"revision {number}"
        found.mark("earlier_revision", where, f"{where} (saved before the final one) differs from what the "
                   "reader sees and is still in the file", group=where)
        for index, text in changed:
            found.piece(f"{where} page {index + 1}", text, where)
