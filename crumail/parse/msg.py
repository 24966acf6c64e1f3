"""Outlook .msg bytes to ParsedMail, through extract-msg.

Headers come from the transport headers Outlook kept (read by mail-parser,
exactly as for .eml), the MAPI properties filling what they lack.  Bodies
are read as stored streams; an RTF-only body is decompressed and read by
:mod:`crumail.parse.rtf` rather than asking extract-msg for ``htmlBody``,
which de-encapsulates through RTFDE at 150-770 ms a message.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mimetypes
from email.parser import HeaderParser
from email.policy import compat32
from typing import Any

import extract_msg
from extract_msg.enums import DeencapType
from extract_msg.exceptions import (
    InvalidFileFormatError,
    UnrecognizedMSGTypeError,
    UnsupportedMSGTypeError,
)
from extract_msg.msg_classes import MessageBase

from crumail.errors import NotMailError, ParseError
from crumail.limits import Limits
from crumail.model import Address, Attachment, ParsedMail
from crumail.parse import core, ole, rtf
from crumail.parse.headers import cap_addresses, cap_subject, read_headers
from crumail.parse.text import decode_text, html_to_text

# extract-msg logs at WARNING for every oddity of real files; a quarantine
# record, not the log, is where a message that cannot be read is reported.
logging.getLogger("extract_msg").setLevel(logging.ERROR)

_PLAIN = "__substg1.0_1000"
_HTML = "__substg1.0_10130102"
_TRANSPORT_HEADERS = "__substg1.0_007D"
_RECIPIENT_FIELDS = {1: "to", 2: "cc", 3: "bcc"}

#: Outlook item classes that are not mail, with the words to tell the operator.
NOT_MAIL = {
    "ipm.contact": "Outlook contact",
    "ipm.distlist": "Outlook distribution list",
    "ipm.appointment": "Outlook appointment",
    "ipm.task": "Outlook task",
    "ipm.stickynote": "Outlook note",
    "ipm.activity": "Outlook journal entry",
}


#: The smallest possible OLE file: its header sector and one more.  (olefile
#: would take shorter bytes for a *file name* and try to open it.)
_MIN_OLE_SIZE = 1536


class _FastDeencapsulation:
    """extract-msg's ``deencapsulationFunc`` hook: opening a message reads
    ``.body``, which for an RTF-only body would run RTFDE (150-770 ms).
    This answers from :func:`rtf.read_rtf` instead, and keeps the result
    for the body reader, keyed by the RTF it was given.  It also carries
    the caps to ``rtfBody`` (below), which extract-msg passes it in kwargs."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.read: dict[bytes, tuple[str, bool]] = {}
        self.texts: dict[str, str] = {}

    def decompressed(self, compressed: bytes) -> tuple[bytes | None, str | None]:
        """The RTF within ``max_rtf_bytes`` (or None) and a defect to record."""
        try:
            body, cut = rtf.decompress_capped(compressed, self.limits.max_rtf_bytes)
        except rtf.RtfError as error:
            return None, f"RTF body not readable: {error}"
        return body, rtf.cut_defect("RTF body", self.limits.max_rtf_bytes) if cut else None

    def content(self, rtf_body: bytes) -> tuple[str, bool]:
        if rtf_body not in self.read:
            self.read[rtf_body] = rtf.read_rtf(rtf_body)
        return self.read[rtf_body]

    def text_of(self, html: str) -> str:
        if html not in self.texts:
            self.texts[html] = html_to_text(html)
        return self.texts[html]

    def __call__(self, rtf_body: bytes, kind: DeencapType) -> str | bytes | None:
        content, is_html = self.content(rtf_body)
        if kind == DeencapType.PLAIN:
            return self.text_of(content) if is_html else content
        return content.encode("utf-8") if is_html else None


def _bounded_rtf_body(self: MessageBase) -> bytes | None:
    """extract-msg's ``rtfBody``, which opening a message reads: through
    crumail's LZFu and ``max_rtf_bytes`` instead of the reference
    decompressor, byte by byte and unbounded (33 s and 805 MB for a 21 MB
    stream that expands eightfold)."""
    compressed = self.compressedRtf
    hook = self.kwargs.get("deencapsulationFunc")
    if not compressed:
        return None
    if not isinstance(hook, _FastDeencapsulation):
        return rtf.decompress(compressed)
    body, self._crumail_rtf_defect = hook.decompressed(compressed)
    return body


# Replaced on the class: extract-msg builds its message objects itself.
MessageBase.rtfBody = functools.cached_property(_bounded_rtf_body)  # type: ignore[assignment,method-assign]
MessageBase.rtfBody.__set_name__(MessageBase, "rtfBody")


def parse_msg(data: bytes, filename: str | None, depth: int, limits: Limits) -> ParsedMail:
    core.check_depth(depth)
    if len(data) < _MIN_OLE_SIZE:
        raise ParseError(f"not a readable Outlook .msg file: only {len(data)} bytes, "
                         f"shorter than any OLE file")
    ole.check(data, limits)
    try:
        item = extract_msg.openMsg(data, deencapsulationFunc=_FastDeencapsulation(limits))
    except (UnrecognizedMSGTypeError, UnsupportedMSGTypeError) as error:
        raise NotMailError(f"Outlook item of a kind that is not mail: {_reason(error)}") from error
    except InvalidFileFormatError as error:
        raise ParseError("an OLE file (a Word or Excel document?) but not an Outlook message") from error
    except Exception as error:  # olefile and extract-msg raise many kinds
        raise ParseError(f"not a readable Outlook .msg file: {_reason(error)}") from error
    try:
        return mail_from_item(item, hashlib.sha256(data).hexdigest(), len(data), filename, depth, limits)
    finally:
        item.close()


def mail_from_item(item: Any, sha256: str, size: int, filename: str | None, depth: int,
                   limits: Limits) -> ParsedMail:
    core.check_depth(depth)
    _refuse_non_mail(item)
    try:
        return _Reader(item, depth, limits).parsed(sha256, size, filename)
    except ParseError:
        raise
    except Exception as error:  # a stream that is cut short fails only when read
        raise ParseError(f"Outlook .msg file is damaged: {_reason(error)}") from error


def _refuse_non_mail(item: Any) -> None:
    kind = str(getattr(item, "classType", "") or "").replace("\x00", "").strip()
    label = next((text for prefix, text in NOT_MAIL.items()
                  if kind.lower() == prefix or kind.lower().startswith(prefix + ".")), None)
    if label is None and not isinstance(item, MessageBase):
        label = "Outlook item"
    if label:
        raise NotMailError(f"{label} ({kind or type(item).__name__}), not a mail message")


class _Reader:
    def __init__(self, item: Any, depth: int, limits: Limits) -> None:
        self.item = item
        self.depth = depth
        self.limits = limits
        self.defects: list[str] = []

    def parsed(self, sha256: str, size: int, filename: str | None) -> ParsedMail:
        fields = self.header_fields()
        text, html, source = self.body()
        attachments, nested = self.attachments()
        return ParsedMail(
            format="msg", sha256=sha256, size=size, filename=filename,
            text=text, html=html, text_source=source,
            attachments=tuple(attachments), nested=tuple(nested),
            defects=tuple(self.defects), **fields,
        )

    # -- headers
    def header_fields(self) -> dict[str, Any]:
        fields = self.mapi_fields()
        raw = self.item.getStringStream(_TRANSPORT_HEADERS)
        if raw and raw.strip():
            if raw.startswith("Microsoft Mail Internet Headers Version 2.0"):
                raw = raw[43:].lstrip()
            transported, defects = read_headers(HeaderParser(policy=compat32).parsestr(raw), self.limits)
            self.defects.extend(defects)
            for name, value in fields.items():  # MAPI fills what transport headers lack (Bcc)
                if not transported.get(name):
                    transported[name] = value
            fields = transported
        cap_subject(fields, self.limits, self.defects)
        cap_addresses(fields, self.limits, self.defects)
        return fields

    def mapi_fields(self) -> dict[str, Any]:
        item = self.item
        recipients: dict[str, list[Address]] = {"to": [], "cc": [], "bcc": []}
        for person in getattr(item, "recipients", None) or []:
            field = _RECIPIENT_FIELDS.get(int(getattr(person, "type", 1) or 1), "to")
            recipients[field].append(_address(person.name, person.email))
        return {
            "subject": _clean(item.subject),
            "message_id": _clean(getattr(item, "messageId", None)),
            "in_reply_to": _clean(getattr(item, "inReplyTo", None)),
            "date": getattr(item, "date", None),
            "from_": self.sender(),
            "to": tuple(recipients["to"]), "cc": tuple(recipients["cc"]),
            "bcc": tuple(recipients["bcc"]),
        }

    def sender(self) -> Address | None:
        stream = self.item.getStringStream
        name = _clean(stream("__substg1.0_0C1A") or stream("__substg1.0_0042"))
        email = next((value for value in (stream("__substg1.0_5D01"), stream("__substg1.0_0C1F"),
                                          stream("__substg1.0_5D02"), stream("__substg1.0_0065"))
                      if value and "@" in value), None)
        return _address(name, email) if name or email else None

    # -- body
    def body(self) -> tuple[str, str | None, str]:
        item = self.item
        plain = item.getStringStream(_PLAIN)
        html = self.html_stream()
        if html is not None:
            html = core.cut_body(html, self.limits, "HTML body", self.defects)
        if plain is not None and (plain.strip() or not html):
            return core.cut_body(_text(plain), self.limits, "text body", self.defects), html, "plain"
        if html:
            return html_to_text(html), html, "html"
        content, is_html = self.rtf_body()
        if content is None:
            return "", None, "none"
        if not is_html:
            return content, None, "rtf"
        hook = self.item.kwargs.get("deencapsulationFunc")
        text = hook.text_of(content) if isinstance(hook, _FastDeencapsulation) else html_to_text(content)
        return text, content, "html"

    def rtf_body(self) -> tuple[str | None, bool]:
        """The RTF body read by the hook while opening (or read now), within its cap."""
        hook = self.item.kwargs.get("deencapsulationFunc")
        rtf_body = self.item.rtfBody  # extract-msg's property, replaced above, read once
        defect = getattr(self.item, "_crumail_rtf_defect", None)
        if defect:
            self.defects.append(defect)
        if rtf_body is None or not isinstance(hook, _FastDeencapsulation):
            return None, False
        return hook.content(rtf_body)

    def html_stream(self) -> str | None:
        data = self.item.getStream(_HTML)
        if not data:
            return None
        text, defect = decode_text(data, _html_charset(data) or self.internet_charset())
        if defect:
            self.defects.append(f"HTML body: {defect}")
        return text

    def internet_charset(self) -> str | None:
        """PidTagInternetCodepage: the charset Outlook wrote the HTML body in."""
        try:
            codepage = self.item.getPropertyVal("3FDE0003")
        except Exception:  # an unreadable property only loses the hint
            return None
        if not isinstance(codepage, int):
            return None
        return "utf-8" if codepage == 65001 else f"cp{codepage}"

    # -- attachments
    def attachments(self) -> tuple[list[Attachment], list[ParsedMail]]:
        files: list[Attachment] = []
        nested: list[ParsedMail] = []
        for att in self.item.attachments:
            data = getattr(att, "data", None)
            name = _clean(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
                          or getattr(att, "displayName", None))
            if isinstance(data, MessageBase) or hasattr(data, "classType"):
                nested.append(self.embedded(data, name))
                continue
            if not isinstance(data, bytes):
                self.defects.append(f"attachment {name or '(unnamed)'} holds no data extract-msg can read")
                data = b""
            ctype = _clean(getattr(att, "mimetype", None)) or _guess(name)
            if core.is_message_attachment(name, ctype) and data:
                try:
                    nested.append(core.parse_any(data, name, self.depth + 1, self.limits))
                    continue
                except core.WHOLE_MESSAGE_ERRORS:
                    raise
                except ParseError as error:
                    self.defects.append(f"attached file {name!r} looks like a message but is not one: {error}")
            files.append(Attachment(
                filename=name, content_type=ctype, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                content_id=_clean(getattr(att, "cid", None)),
                inline=bool(getattr(att, "hidden", False))))
        return files, nested

    def embedded(self, inner: Any, name: str | None) -> ParsedMail:
        """An embedded Outlook item: it has no bytes of its own, so its
        identity is the hash of its property streams, in storage order."""
        try:
            digest, size = _storage_digest(inner)
            return mail_from_item(inner, digest, size, name or _clean(inner.subject), self.depth + 1,
                                  self.limits)
        finally:
            inner.close()


def _storage_digest(item: Any) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for entry in sorted(item.listDir(streams=True, storages=False, includePrefix=False)):
        data = item.getStream("/".join(entry)) or b""
        digest.update("/".join(entry).encode() + b"\0" + data)
        size += len(data)
    return digest.hexdigest(), size


def _address(name: str | None, email: str | None) -> Address:
    name, email = _clean(name), _clean(email)
    if email and "@" not in email:
        email = None
    return Address(name=name if name and name != email else None, address=email)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    return text or None


def _text(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\x00", "")


def _html_charset(data: bytes) -> str | None:
    head = data[:2048].lower()
    marker = head.find(b"charset=")
    if marker < 0:
        return None
    value = head[marker + 8 : marker + 40].strip(b"\"' ")
    end = next((i for i, c in enumerate(value) if c in b"\"' ;/>"), len(value))
    return value[:end].decode("ascii", "ignore") or None


def _guess(name: str | None) -> str:
    return mimetypes.guess_type(name or "")[0] or "application/octet-stream"


def _reason(error: Exception) -> str:
    text = str(error).strip() or "no detail"
    return f"{type(error).__name__}: {text}"[:300]
