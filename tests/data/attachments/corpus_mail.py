"""Attached mail, CSV, unreadable files and zip bombs for the attachment corpus.

Messages are built with the stdlib email package (fixed Date, Message-ID
and MIME boundaries) or msgforge for Outlook .msg; encrypted Office files
with msoffcrypto-tool under pinned randomness.  The zip bombs are written
by hand: one deflate block of a repeated chunk, flushed so that every
repeat compresses to the same bytes, gives gigabytes from kilobytes in
milliseconds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import struct
import zlib
from datetime import datetime, timezone
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP
from typing import Sequence

import msoffcrypto.format.ooxml
from msoffcrypto.method.container import ecma376_encrypted
from msgforge import Message

from corpus_zip import pinned_randomness, read_entries, write_entries

UNIT = '"FOI Disclosure Unit" <foi@example.police.uk>'
CHUNK = 1 << 20


def eml(subject: str, body: str, attachments: Sequence[tuple[str, bytes, str]] = (),
        sender: str = UNIT, to: str = UNIT) -> bytes:
    """A message with fixed headers and boundaries; attachments are (name, bytes, type)."""
    msg = EmailMessage(policy=SMTP)
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = "Fri, 01 Mar 2024 09:30:00 +0000"
    msg["Message-ID"] = f"<{hashlib.sha1(subject.encode()).hexdigest()[:16]}@example.police.uk>"
    msg.set_content(body)
    for name, data, content_type in attachments:
        if content_type == "message/rfc822":
            # a message/rfc822 part must stay 7bit/8bit (RFC 2046), so attach it as a message
            msg.add_attachment(message_from_bytes(data, policy=SMTP), filename=name)
        else:
            maintype, _, subtype = content_type.partition("/")
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if msg.is_multipart():
        msg.set_boundary("=_corpus_" + hashlib.sha1(subject.encode()).hexdigest()[:12])
    return bytes(msg)


def msg(subject: str, body: str, sender: tuple[str, str] = ("foi@example.police.uk", "FOI Disclosure Unit")) -> bytes:
    """An Outlook .msg with a plain-text body."""
    return Message(subject=subject, text_body=body, sender=sender, to=[("foi@example.police.uk", "FOI Disclosure Unit")],
                   sent=datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)).as_bytes()


def csv_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


class _PinnedClock(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls(2024, 3, 1, 9, 30, tzinfo=tz)


def office_encrypted(package: bytes, password: str, seed: str) -> bytes:
    """An OOXML package encrypted as Office does (ECMA-376 agile, inside a CFB container).

    msoffcrypto-tool stamps the CFB directory with ``datetime.now()`` and
    draws salts from ``secrets``: both are pinned while it runs.
    """
    out = io.BytesIO()
    clock = ecma376_encrypted.datetime
    ecma376_encrypted.datetime = _PinnedClock  # type: ignore[misc]
    try:
        with pinned_randomness(seed):
            msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(package)).encrypt(password, out)
    finally:
        ecma376_encrypted.datetime = clock  # type: ignore[misc]
    return out.getvalue()


# --- hand-written zips -----------------------------------------------------------------------

def _local(name: bytes, crc: int, packed: int, size: int) -> bytes:
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size, len(name), 0) + name


def _central(name: bytes, crc: int, packed: int, size: int, offset: int) -> bytes:
    return (struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, packed, size,
                        len(name), 0, 0, 0, 0, 0o600 << 16, offset) + name)


def raw_zip(entries: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of deflated entries given as (name, raw deflate data, crc, size it claims)."""
    out, directory = bytearray(), bytearray()
    for name, packed, crc, size in entries:
        directory += _central(name.encode(), crc, len(packed), size, len(out))
        out += _local(name.encode(), crc, len(packed), size) + packed
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    return bytes(out + directory + end)


def _deflate(data: bytes) -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    return squeeze.compress(data) + squeeze.flush()


def repeated_deflate(head: bytes, chunk: bytes, repeats: int, tail: bytes = b"") -> tuple[bytes, int]:
    """Raw deflate of ``head + chunk * repeats + tail`` and its CRC, without building the whole.

    After a full flush the compressor forgets its history, so each further
    repeat of ``chunk`` compresses to exactly the bytes the first one did.
    """
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(chunk) + squeeze.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    return start + again * repeats + squeeze.compress(tail) + squeeze.flush(), zlib.crc32(tail, crc)


XLSX_SKELETON = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                           b'<Default Extension="xml" ContentType="application/xml"/>'
                           b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                           b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Summary" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                  b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"


def _skeleton() -> list[tuple[str, bytes, int, int]]:
    return [(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in XLSX_SKELETON.items()]


def zip_bomb(unpacked: int) -> bytes:
    """An .xlsx whose one worksheet unpacks to ``unpacked`` bytes (whole MiB) of blank
    space inside well-formed XML: honest sizes, a ratio near 1,000:1, nothing
    wrong with it but its size."""
    repeats = max(1, unpacked // CHUNK)
    stream, crc = repeated_deflate(SHEET_HEAD, b" " * CHUNK, repeats, SHEET_TAIL)
    size = len(SHEET_HEAD) + repeats * CHUNK + len(SHEET_TAIL)
    return raw_zip(_skeleton() + [("xl/worksheets/sheet1.xml", stream, crc, size)])


def lying_zip(unpacked: int, claimed: int = 1024) -> bytes:
    """An .xlsx whose worksheet entry claims ``claimed`` bytes but whose deflate
    stream runs on to ``unpacked``: a reader that trusts the stream, not the
    header, keeps inflating."""
    stream, _ = repeated_deflate(SHEET_HEAD, b" " * CHUNK, max(1, unpacked // CHUNK))
    crc = zlib.crc32((SHEET_HEAD + b" " * claimed)[:claimed])
    return raw_zip(_skeleton() + [("xl/worksheets/sheet1.xml", stream, crc, claimed)])


LAUGHS = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b"]>\n")


def billion_laughs_xlsx() -> bytes:
    """An .xlsx whose worksheet expands nine levels of entities (10^9 "lol"s) in one cell."""
    sheet = (LAUGHS + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return raw_zip(_skeleton() + [("xl/worksheets/sheet1.xml", _deflate(sheet), zlib.crc32(sheet), len(sheet))])


def billion_laughs_docx(skeleton: bytes) -> bytes:
    """A .docx (``skeleton``'s parts) whose document.xml expands the same entities."""
    document = (LAUGHS + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    return write_entries([(i.filename, document if i.filename == "word/document.xml" else b, i.compress_type)
                          for i, b in read_entries(skeleton)])


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    """The first part of a file, as a failed download or a full disk leaves it."""
    return data[: int(len(data) * keep)]


def noise(size: int, seed: str) -> bytes:
    """Bytes no reader recognises (no magic number, no text)."""
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return out[:size]
