"""PDFs for the attachment corpus: reportlab draws pages, pypdf adds the rest.

reportlab's ``invariant`` mode pins dates and document IDs, so its output
is the same on every run.  pypdf then adds what reportlab does not write
(annotations, a redaction annotation never applied, embedded files, an
incremental update, encryption).  The hostile PDFs (100,000 objects,
100,000 pages, deep nesting) are written byte by byte, compressed into
object streams so that the files on disk stay small.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from reportlab.pdfgen import canvas

from corpus_zip import pinned_randomness

UNIT = "FOI Disclosure Unit"
TOP = 760


@dataclass(frozen=True)
class Line:
    """Text at a height on the page (points from the bottom)."""

    text: str
    y: float = TOP
    x: float = 72


@dataclass(frozen=True)
class Box:
    """A filled rectangle; drawn in list order, so a box after a line covers it."""

    x: float
    y: float
    width: float
    height: float
    grey: float = 0.0  # 0 black, 1 white


Page = Sequence[Line | Box]


def letter(*extra: Line | Box) -> list[Line | Box]:
    """The first page of a response letter, with ``extra`` drawn after it."""
    return [Line("Freedom of Information request 2024/0193"),
            Line("Thank you for your request. The information held is set out below.", TOP - 20),
            *extra]


def draw(pages: Sequence[Page], author: str = UNIT, title: str = "FOI response") -> bytes:
    """A PDF whose pages draw ``pages`` in order, with Author and Title set."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1, pageCompression=0)
    pdf.setAuthor(author)
    pdf.setTitle(title)
    pdf.setCreator(UNIT)
    for page in pages:
        for item in page:
            if isinstance(item, Line):
                pdf.setFillGray(0)
                pdf.drawString(item.x, item.y, item.text)
            else:
                pdf.setFillGray(item.grey)
                pdf.rect(item.x, item.y, item.width, item.height, stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def covered(line: Line, grey: float = 0.0) -> list[Line | Box]:
    """``line`` with a filled box drawn over it afterwards: a redaction that hides nothing."""
    width = 6.2 * len(line.text)
    return [line, Box(line.x - 2, line.y - 3, width, 14, grey)]


def shaded(line: Line, grey: float = 0.85) -> list[Line | Box]:
    """A shaded table cell: the box is drawn first and the text lies on top of it."""
    width = 6.2 * len(line.text)
    return [Box(line.x - 2, line.y - 3, width, 14, grey), line]


def _rewrite(pdf: bytes, change, incremental: bool = False) -> bytes:
    writer = PdfWriter(io.BytesIO(pdf), incremental=True) if incremental else PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_note(pdf: bytes, note: str, page: int = 0) -> bytes:
    """A sticky-note (Text) annotation on ``page``."""
    def add(writer: PdfWriter) -> None:
        annotation = Text(rect=(400, 700, 420, 720), text=note)
        annotation[NameObject("/T")] = TextStringObject(UNIT)
        writer.add_annotation(page, annotation)
    return _rewrite(pdf, add)


def with_redact_annotation(pdf: bytes, rect: tuple[float, float, float, float], page: int = 0) -> bytes:
    """A Redact annotation marked over text but never applied: the text stays in the file."""
    x0, y0, x1, y1 = rect

    def add(writer: PdfWriter) -> None:
        annotation = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Redact"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
            NameObject("/QuadPoints"): ArrayObject(FloatObject(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0)),
            NameObject("/IC"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(0)]),
            NameObject("/T"): TextStringObject(UNIT),
        })
        writer.add_annotation(page, annotation)
    return _rewrite(pdf, add)


def with_attachment(pdf: bytes, name: str, data: bytes) -> bytes:
    return _rewrite(pdf, lambda writer: writer.add_attachment(name, data))


def revised(pdf: bytes, new_page: Page | None = None, author: str | None = None) -> bytes:
    """An incremental update appended to ``pdf``: page 1 replaced by ``new_page``
    and/or the Author changed.  The first revision stays whole before the
    first %%EOF, as Acrobat's "Save" (not "Save As") leaves it."""
    def change(writer: PdfWriter) -> None:
        if new_page is not None:
            replacement = PdfReader(io.BytesIO(draw([new_page]))).pages[0]
            writer.pages[0].replace_contents(replacement.get_contents())
        if author is not None:
            writer.add_metadata({"/Author": author})
    return _rewrite(pdf, change, incremental=True)


def encrypted(pdf: bytes, user_password: str, seed: str) -> bytes:
    """AES-256 encryption; an empty user password opens without asking (owner restrictions only)."""
    def encrypt(writer: PdfWriter) -> None:
        writer.encrypt(user_password, "owner-corpus", algorithm="AES-256")
    with pinned_randomness(seed):
        return _rewrite(pdf, encrypt)


# --- hostile PDFs, written by hand -------------------------------------------------------------

def _object_stream(objects: Sequence[tuple[int, bytes]]) -> bytes:
    """An /ObjStm holding each (object number, body)."""
    offsets, pos, bodies = [], 0, []
    for number, body in objects:
        offsets.append(b"%d %d" % (number, pos))
        bodies.append(body)
        pos += len(body) + 1
    header = b" ".join(offsets) + b"\n"
    packed = zlib.compress(header + b" ".join(bodies) + b" ", 9)
    return (b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(bodies), len(header), len(packed)) + packed + b"\nendstream")


def _assemble(plain: dict[int, bytes], packed: dict[int, bytes], root: int) -> bytes:
    """A PDF 1.5 file: ``plain`` objects written out, ``packed`` ones inside one
    object stream, and a compressed cross-reference stream for all of them."""
    stream_id = max([*plain, *packed]) + 1
    xref_id = stream_id + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    where: dict[int, tuple[int, int, int]] = {}
    objects = dict(plain)
    objects[stream_id] = _object_stream(sorted(packed.items())) if packed else b"null"
    for number in sorted(objects):
        where[number] = (1, len(out), 0)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    for index, number in enumerate(sorted(packed)):
        where[number] = (2, stream_id, index)
    where[xref_id] = (1, len(out), 0)
    rows = b"".join(b"\x00" * 5 + b"\x00\x00\xff\xff" if n not in where else
                    bytes([where[n][0]]) + where[n][1].to_bytes(4, "big") + where[n][2].to_bytes(4, "big")
                    for n in range(xref_id + 1))
    packed_rows = zlib.compress(rows, 9)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 4] /Root %d 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
            % (xref_id, xref_id + 1, root, len(packed_rows)) + packed_rows + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % where[xref_id][1]
    return bytes(out)


PAGE_TEXT = b"BT /F1 12 Tf 72 760 Td (Freedom of Information request 2024/0193) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _content(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def many_annotations(count: int = 100_000) -> bytes:
    """One page whose /Annots lists ``count`` annotation objects (every one a sticky note)."""
    plain = {3: _content(PAGE_TEXT), 4: FONT}
    packed = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
              5: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                 b"/Resources << /Font << /F1 4 0 R >> >> /Annots 6 0 R >>",
              6: b"[" + b" ".join(b"%d 0 R" % (7 + i) for i in range(count)) + b"]"}
    packed.update({7 + i: b"<< /Type /Annot /Subtype /Text /Rect [0 0 1 1] /Contents (.) >>" for i in range(count)})
    return _assemble(plain, packed, root=1)


def many_pages(count: int = 100_000) -> bytes:
    """``count`` pages in one flat page tree, all sharing one content stream."""
    plain = {3: _content(PAGE_TEXT), 4: FONT}
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    packed = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)}
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    packed.update({5 + i: page for i in range(count)})
    return _assemble(plain, packed, root=1)


def deep_nesting(depth: int = 100_000) -> bytes:
    """A page dictionary holding an array nested ``depth`` deep: unbounded recursion in a naive parser."""
    nested = b"[" * depth + b"]" * depth
    plain = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> /PieceInfo " + nested + b" >>",
             4: _content(PAGE_TEXT), 5: FONT}
    return _assemble(plain, {}, root=1)


def long_report(pages: int = 200, lines: int = 45) -> bytes:
    """A text-heavy report of ``pages`` pages (for the benchmark, never committed)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for p in range(pages):
        for n in range(lines):
            pdf.drawString(56, 780 - 16 * n, f"Page {p + 1} line {n + 1}: incidents recorded by neighbourhood "
                                              f"team {n % 9}, area {p % 17}, outcome code {(p * n) % 23}.")
        pdf.showPage()
    pdf.save()
    return out.getvalue()
