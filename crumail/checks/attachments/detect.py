"""The kind of a file from its bytes, never from its name (``minutes.pdf`` may be a Word file)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.text": "odt",
}
OOXML_TYPES = (
    ("sheet.macroEnabled.main+xml", "xlsm"),
    ("spreadsheetml.sheet.main+xml", "xlsx"),
    ("spreadsheetml.template.main+xml", "xlsx"),
    ("wordprocessingml.document.main+xml", "docx"),
    ("wordprocessingml.template.main+xml", "docx"),
    ("document.macroEnabled.main+xml", "docx"),
)
EML_HEADER = re.compile(rb"(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+\r?\n")


# Headers every mail program writes; a plain-text draft that opens with
# "Name: ..." / "Phone: ..." lines has none or one of them.
MAIL_HEADERS = frozenset({
    b"from", b"to", b"cc", b"bcc", b"subject", b"date", b"message-id", b"mime-version", b"content-type",
    b"content-transfer-encoding", b"received", b"return-path", b"reply-to", b"sender", b"in-reply-to",
    b"references", b"delivered-to", b"dkim-signature", b"authentication-results", b"x-mailer", b"user-agent",
})
HEADER_NAME = re.compile(rb"^([!-9;-~]+):", re.M)


def looks_like_eml(data: bytes) -> bool:
    """True when data starts with a block of real mail headers and a blank line.

    The block must name at least two headers mail programs write (From, To,
    Subject, Date, Message-ID, MIME-Version, Content-Type ...), and those
    must be at least as many as the names no mail program writes (X- and
    List- headers aside): a draft whose first paragraph is "Name: ..." and
    "Phone: ..." is text.
    """
    head = data[:65536].lstrip(b"\xef\xbb\xbf")
    block = EML_HEADER.match(head)
    if block is None:
        return False
    names = {n.lower() for n in HEADER_NAME.findall(block.group())}
    known = names & MAIL_HEADERS
    unknown = {n for n in names - MAIL_HEADERS if not n.startswith((b"x-", b"list-", b"arc-", b"thread-"))}
    return len(known) >= 2 and len(known) >= len(unknown)


def kind_of(data: bytes) -> str:
    """xlsx, xlsm, docx, ods, odt, zip, pdf, cfb, eml, csv, text or other."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(CFB):
        return "cfb"
    if looks_like_eml(data):
        return "eml"
    return _text_kind(data)


def _zip_kind(data: bytes) -> str:
    if data[30:38] == b"mimetype":
        # the ODF rule: the first entry, stored, named mimetype, holding the type
        size = int.from_bytes(data[18:22], "little")
        start = 30 + int.from_bytes(data[26:28], "little") + int.from_bytes(data[28:30], "little")
        kind = ODF_TYPES.get(data[start:start + size])
        if kind:
            return kind
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml")[:65536].decode("utf-8", "replace")
    except Exception:  # a damaged package is judged by the reader, which says why
        return "zip"
    for marker, kind in OOXML_TYPES:
        if marker in types:
            return kind
    return "zip"


def _text_kind(data: bytes) -> str:
    head = data[:65536]
    if b"\x00" in head:
        return "other"
    try:
        sample = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            try:
                sample = head.decode("cp1252")
            except UnicodeDecodeError:
                return "other"
        else:
            sample = head[:exc.start].decode("utf-8")
    if sum(1 for c in sample if not c.isprintable() and c not in "\r\n\t") > len(sample) // 100 + 1:
        return "other"
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if len(lines) >= 2:
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|")
            counts = {line.count(dialect.delimiter) for line in lines}
            if min(counts) >= 1 and len(counts) <= 2:
                return "csv"
        except csv.Error:
            pass
    return "text"
