"""RFC 822 (.eml) bytes to ParsedMail.

The bytes are fed to the standard library's feed parser in slices (handing
it one 40 MB string costs eight times the message in memory, slices under
three), mail-parser reads the headers, and this module walks the MIME tree
itself, one message at a time: an attached message (message/rfc822, or a
.msg/.eml file) becomes a nested ParsedMail, never part of the outer text.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import quopri
import re
from email.feedparser import BytesFeedParser
from email.message import Message
from email.policy import compat32
from typing import Any

from mailparser.utils import decode_header_part

from crumail.errors import NestingTooDeepError, ParseError
from crumail.limits import Limits
from crumail.model import Attachment, ParsedMail
from crumail.parse import core, rtf, tnef
from crumail.parse.headers import read_headers
from crumail.parse.text import decode_text, html_to_text, normalise_newlines

_FEED = 1 << 16
# A line "--boundary" directly followed by a MIME header.
_BOUNDARY_LINE = re.compile(rb"^--([0-9A-Za-z'()+_,./:=?-]{1,70})[ \t]*\r?\n(?:Content-|MIME-)", re.M | re.I)
_NOT_BASE64 = bytes(b for b in range(256) if not (chr(b).isalnum() and b < 128) and b not in b"+/")


def parse_eml(data: bytes, filename: str | None, depth: int, limits: Limits) -> ParsedMail:
    message = read_message(data)
    if not message.keys():
        raise ParseError("no mail headers found: the bytes are not an RFC 822 message")
    _check_nesting(message, depth)
    first_line = data[: data.find(b"\n") + 1]
    eol = "\r\n" if first_line.endswith(b"\r\n") else "\n"
    return mail_from_message(message, hashlib.sha256(data).hexdigest(), len(data), filename, depth,
                             limits, eol)


def read_message(data: bytes) -> Message:
    """The stdlib message tree, fed in slices to keep memory near the input size."""
    parser = BytesFeedParser(policy=compat32)
    try:
        for start in range(0, len(data), _FEED):
            parser.feed(data[start : start + _FEED])
        return parser.close()
    except RecursionError as error:  # the feed parser recurses once per nested part
        raise NestingTooDeepError("MIME parts nest too deeply for the parser") from error


def _check_nesting(message: Message, depth: int) -> None:
    """Refuse before any work when attached messages nest beyond MAX_NESTING."""
    stack = [(message, depth)]
    while stack:
        part, level = stack.pop()
        core.check_depth(level)
        if part.is_multipart():
            inner = level + 1 if part.get_content_maintype() == "message" else level
            stack.extend((child, inner) for child in _children(part))


def mail_from_message(message: Message, sha256: str, size: int, filename: str | None,
                      depth: int, limits: Limits, eol: str = "\r\n") -> ParsedMail:
    core.check_depth(depth)
    fields, header_defects = read_headers(message, limits)
    body = _Body(depth, limits, eol)
    body.walk(message)
    text, html, source = body.text()
    return ParsedMail(
        format="eml", sha256=sha256, size=size, filename=filename,
        text=text, html=html, text_source=source,
        attachments=tuple(body.attachments), nested=tuple(body.nested),
        defects=tuple(header_defects + body.defects), **fields,
    )


class _Body:
    """Walks one message's MIME tree, stopping at attached messages."""

    def __init__(self, depth: int, limits: Limits, eol: str) -> None:
        self.depth = depth
        self.limits = limits
        self.eol = eol  # the line end the message arrived with, to write parts back
        self.plain: list[str] = []
        self.html: list[str] = []
        self.rtf: list[str] = []
        self.tnef_text: list[tuple[str | None, str | None, str | None]] = []
        self.attachments: list[Attachment] = []
        self.nested: list[ParsedMail] = []
        self.defects: list[str] = []

    def walk(self, message: Message) -> None:
        stack = [message]
        number = 0
        while stack:
            part = stack.pop()
            number += 1
            self._note_defects(part, number)
            if part.is_multipart() and part.get_content_maintype() != "message":
                stack.extend(reversed(_children(part)))
            else:
                self.leaf(part)

    def leaf(self, part: Message) -> None:
        ctype = part.get_content_type()
        name = _filename(part)
        disposition = part.get_content_disposition()
        if ctype in ("message/rfc822", "message/global") and _children(part):
            self.attached_message(part, name)
        elif part.get_content_maintype() == "multipart":
            self.broken_multipart(part, ctype)
        elif tnef.is_tnef(name, ctype):
            self.winmail(part, name)
        elif ctype in ("text/plain", "text/html", "text/rtf", "application/rtf") and _is_body(name, disposition):
            self.body_part(part, ctype)
        elif core.is_message_attachment(name, ctype):
            self.message_file(part, name, ctype)
        else:
            self.attachments.append(_attachment(part, name, ctype))

    def broken_multipart(self, part: Message, ctype: str) -> None:
        """A multipart whose declared boundary never occurs: when the body
        shows another boundary line, read the parts with that one."""
        body = _payload_bytes(part)
        found = _BOUNDARY_LINE.search(body)
        if found:
            boundary = found.group(1)
            recovered = read_message(
                b'Content-Type: ' + ctype.encode() + b'; boundary="' + boundary + b'"\r\n\r\n' + body)
            if recovered.is_multipart():
                self.defects.append(f"{ctype} declares boundary {part.get_boundary()!r}, which never "
                                    f"occurs; parts read with {boundary.decode('ascii', 'replace')!r}")
                for child in _children(recovered):
                    self.walk(child)
                return
        self.defects.append(f"{ctype} part has no readable boundary; its body is read as plain text")
        self.plain.append(self.decoded_text(part))

    # -- body text
    def body_part(self, part: Message, ctype: str) -> None:
        if ctype == "text/plain":
            self.plain.append(self.decoded_text(part))
        elif ctype == "text/html":
            self.html.append(self.decoded_text(part))
        else:
            content, is_html = rtf.read_rtf(core.cut_rtf(_payload_bytes(part), self.limits, ctype, self.defects))
            (self.html if is_html else self.rtf).append(content)

    def decoded_text(self, part: Message) -> str:
        text, defect = decode_text(_payload_bytes(part), part.get_content_charset())
        if defect:
            self.defects.append(f"{part.get_content_type()}: {defect}")
        return normalise_newlines(text)

    def text(self) -> tuple[str, str | None, str]:
        html = "\n".join(self.html) if self.html else None
        for tnef_text, tnef_html, tnef_rtf in self.tnef_text:
            html = html or tnef_html
            if not (self.plain or self.html or self.rtf) and (tnef_text or tnef_rtf):
                (self.plain if tnef_text else self.rtf).append(tnef_text or tnef_rtf or "")
        html = self.cut(html, "HTML body") if html is not None else None
        if any(t.strip() for t in self.plain):
            return self.cut("\n\n".join(t for t in self.plain if t.strip()), "text body"), html, "plain"
        if html and html.strip():
            return html_to_text(html), html, "html"
        if self.rtf:
            return self.cut("\n\n".join(self.rtf), "RTF body"), html, "rtf"
        return self.cut("\n\n".join(self.plain), "text body"), html, "plain" if self.plain else "none"

    def cut(self, text: str, what: str) -> str:
        return core.cut_body(text, self.limits, what, self.defects)

    # -- attached messages and files
    def attached_message(self, part: Message, name: str | None) -> None:
        cte = str(part.get("content-transfer-encoding", "")).strip().lower()
        if cte in ("base64", "quoted-printable"):
            # Not allowed by RFC 2046, but clients do it (an Outlook .msg sent
            # as message/rfc822): the parser read the encoded text as a message.
            self.defects.append(f"attached message {name or '(unnamed)'} is {cte}-encoded")
            self.message_file(part, name or "attached-message", part.get_content_type(),
                              _decode_transfer(_flatten(_children(part)[0], self.eol), cte))
            return
        inner = _children(part)[0]
        sink = _HashSink()  # the attached message's bytes, hashed as written
        write_message(inner, sink, self.eol)
        try:
            if not inner.keys():
                raise ParseError("attached message has no headers")
            self.nested.append(mail_from_message(
                inner, sink.digest.hexdigest(), sink.size, name, self.depth + 1, self.limits, self.eol))
        except core.WHOLE_MESSAGE_ERRORS:
            raise
        except ParseError as error:
            self.defects.append(f"attached message {name or '(unnamed)'} not parsed: {error}")
            self.attachments.append(Attachment(
                filename=name, content_type=part.get_content_type(), size=sink.size,
                sha256=sink.digest.hexdigest()))

    def message_file(self, part: Message, name: str, ctype: str, data: bytes | None = None) -> None:
        data = _payload_bytes(part) if data is None else data
        try:
            self.nested.append(core.parse_any(data, name, self.depth + 1, self.limits))
        except core.WHOLE_MESSAGE_ERRORS:
            raise
        except ParseError as error:
            self.defects.append(f"attached file {name!r} looks like a message but is not one: {error}")
            self.attachments.append(Attachment(
                filename=name, content_type=ctype, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                content_id=_content_id(part), inline=part.get_content_disposition() == "inline"))

    def winmail(self, part: Message, name: str | None) -> None:
        data = _payload_bytes(part)
        try:
            found = tnef.unpack(data, self.limits.max_rtf_bytes)
        except ValueError as error:
            self.defects.append(str(error))
            self.attachments.append(_attachment(part, name, part.get_content_type()))
            return
        self.defects.extend(found.defects)
        for attachment, (_, content) in zip(found.attachments, found.files):
            if core.is_message_attachment(attachment.filename, attachment.content_type):
                try:
                    self.nested.append(core.parse_any(content, attachment.filename, self.depth + 1,
                                                      self.limits))
                    continue
                except core.WHOLE_MESSAGE_ERRORS:
                    raise
                except ParseError as error:
                    self.defects.append(f"file {attachment.filename!r} in winmail.dat looks like "
                                        f"a message but is not one: {error}")
            self.attachments.append(attachment)
        self.tnef_text.append((found.text, found.html, found.rtf_text))

    def _note_defects(self, part: Message, number: int) -> None:
        for defect in getattr(part, "defects", ()):
            reason = (type(defect).__doc__ or "").strip().splitlines()[0:1]
            self.defects.append(
                f"MIME part {number} ({part.get_content_type()}): {type(defect).__name__}"
                + (f": {reason[0]}" if reason else ""))


def _is_body(name: str | None, disposition: str | None) -> bool:
    return disposition != "attachment" and not (name and disposition != "inline")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # an RFC 2231 name in a charset that is no text charset, or malformed
        name = _rfc2231_name(part)
    if not name:
        return None
    return decode_header_part(str(name)) or None


def _rfc2231_name(part: Message) -> str | None:
    """The file name as its charset repair reads it, when the stdlib cannot."""
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        try:
            value = part.get_param(param, header=header)
        except Exception:
            continue
        if isinstance(value, tuple):
            charset, _language, text = value
            return decode_text(str(text).encode("latin-1", "replace"), charset)[0]
    return None


def _content_id(part: Message) -> str | None:
    cid = part.get("content-id")
    return str(cid).strip().strip("<>") or None if cid else None


def _attachment(part: Message, name: str | None, ctype: str) -> Attachment:
    size, digest = _digest(part)
    return Attachment(filename=name, content_type=ctype, size=size, sha256=digest,
                      content_id=_content_id(part),
                      inline=part.get_content_disposition() == "inline")


def _payload_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # the stdlib trips on some parameters (an RFC 2231 charset in uuencode)
        payload = _decode_transfer(_raw_text(part).encode("utf-8", "surrogateescape"),
                                   str(part.get("content-transfer-encoding", "")).strip().lower())
    if isinstance(payload, bytes):
        return payload
    if part.is_multipart():
        return b"".join(_flatten(child) for child in _children(part))
    return _raw_text(part).encode("utf-8", "surrogateescape")


def _digest(part: Message) -> tuple[int, str]:
    """Decoded size and SHA-256, base64 decoded slice by slice (a 30 MB file
    decoded whole would cost another two copies of itself)."""
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    raw = _raw_text(part)
    if cte != "base64" or part.is_multipart():
        data = _payload_bytes(part)
        return len(data), hashlib.sha256(data).hexdigest()
    digest, size, carry = hashlib.sha256(), 0, b""
    for start in range(0, len(raw), 1 << 20):
        chunk = carry + raw[start : start + (1 << 20)].encode("ascii", "ignore").translate(None, _NOT_BASE64)
        usable = len(chunk) - len(chunk) % 4
        carry = chunk[usable:]
        decoded = _b64(chunk[:usable])
        digest.update(decoded)
        size += len(decoded)
    if carry:
        decoded = _b64(carry)
        digest.update(decoded)
        size += len(decoded)
    return size, digest.hexdigest()


def _b64(chunk: bytes) -> bytes:
    """Decode base64 stripped of everything outside its alphabet ("=" too)."""
    if len(chunk) % 4 == 1:  # one stray character cannot be decoded: drop it
        chunk = chunk[:-1]
    return binascii.a2b_base64(chunk + b"=" * (-len(chunk) % 4))


def _children(part: Message) -> list[Message]:
    """The parts of a multipart (or the message of message/rfc822)."""
    if not part.is_multipart():
        return []
    return [child for child in part.get_payload() if isinstance(child, Message)]


def _raw_text(part: Message) -> str:
    """A leaf's payload as the parser stored it: ASCII with surrogate-escaped
    bytes.  (get_payload() would decode those with the declared charset,
    lossily, and raises on a hostile charset parameter.)"""
    raw = getattr(part, "_payload", "")
    return raw if isinstance(raw, str) else ""


def _decode_transfer(encoded: bytes, cte: str) -> bytes:
    """Undo a transfer encoding without the stdlib's checks; never raises."""
    if cte == "base64":
        usable = encoded.translate(None, _NOT_BASE64)
        return _b64(usable[: len(usable) - len(usable) % 4])
    if cte == "quoted-printable":
        return quopri.decodestring(encoded)
    return encoded


class _HashSink:
    """A write() end that keeps only the size and SHA-256 of what passes."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def write_message(message: Message, sink: Any, eol: str = "\r\n") -> None:
    """Write a parsed message back out as bytes, iteratively and in slices.

    The stdlib generator buffers every part (several copies of a 30 MB
    attachment), re-wraps line ends and fails on some hostile structures.
    This writes the headers as the parser kept them, one per line, and each
    body exactly as it arrived, so that a well-formed attached message gives
    back the very bytes it was sent as (a colon-space after each header
    name, as nearly every mailer writes).
    """
    todo: list[Message | str] = [message]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            _write_text(item, sink)
            continue
        headers = "".join(f"{name}: {value}{eol}" for name, value in item.raw_items())
        if headers:
            _write_text(headers + eol, sink)
        todo.extend(reversed(_body_items(item, eol)))


def _body_items(part: Message, eol: str) -> list[Message | str]:
    """What follows a part's headers: its text, or its children framed."""
    if not part.is_multipart():
        return [_raw_text(part)]
    children = _children(part)
    if part.get_content_maintype() == "message":
        return list(children)
    boundary = f"--{part.get_boundary() or ''}"
    items: list[Message | str] = [] if part.preamble is None else [part.preamble + eol]
    for child in children:
        items += [boundary + eol, child, eol]
    items.append(boundary + "--" + (eol + part.epilogue if part.epilogue else eol))
    return items


def _write_text(text: str, sink: Any) -> None:
    for start in range(0, len(text), 1 << 20):
        sink.write(text[start : start + (1 << 20)].encode("utf-8", "surrogateescape"))


def _flatten(message: Message, eol: str = "\r\n") -> bytes:
    out = io.BytesIO()
    write_message(message, out, eol)
    return out.getvalue()
