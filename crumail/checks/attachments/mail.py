"""Attached mail (.eml, Outlook .msg) checked as mail, and other OLE compound files told apart.

A mail's subject and the body a person reads are its pieces; every
attachment, an attached message included, is a file of its own.  An OLE
compound file is an Outlook message, a password-protected Office file
(its ``EncryptionInfo`` stream: unreadable, and said so, rather than
"corrupt") or a legacy binary Office file, which no reader here opens.
"""

from __future__ import annotations

import io
from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.model import Inspection, Nested
from crumail.errors import UnreadableAttachmentError


def inspect_eml(data: bytes, caps: Caps, kind: str = "eml") -> Inspection:
    message = message_from_bytes(data, policy=policy.default)
    found = Inspection(kind)
    found.piece("subject", str(message.get("Subject", "") or ""))
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        found.piece("body", _text(body))  # type: ignore[arg-type]
    for number, part in enumerate(message.walk()):
        if part is body or part.is_multipart() and part.get_content_type() != "message/rfc822":
            continue
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            payload = inner.as_bytes() if isinstance(inner, Message) else b""
            found.nested.append(Nested(part.get_filename() or f"attached message {number}.eml", payload))
            continue
        if _inside_rfc822(message, part):
            continue
        if part.get_filename() or part.get_content_maintype() != "text":
            raw = part.get_payload(decode=True)
            found.nested.append(Nested(part.get_filename() or f"part {number}", raw if isinstance(raw, bytes) else b""))
    return found


def _inside_rfc822(message: EmailMessage, target: Message) -> bool:
    """True for a part of an attached message: that message is inspected whole."""
    for part in message.walk():
        if part.get_content_type() == "message/rfc822" and part is not target:
            if any(inner is target for inner in part.walk()):
                return True
    return False


def _text(part: EmailMessage) -> str:
    from crumail.parse.text import decode_text, html_to_text

    payload = part.get_payload(decode=True)
    text = decode_text(payload if isinstance(payload, bytes) else b"", part.get_content_charset())[0]
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def inspect_cfb(data: bytes, caps: Caps, kind: str = "cfb") -> Inspection:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableAttachmentError(f"a damaged OLE compound file: {exc}") from None
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise UnreadableAttachmentError("password protected: it cannot be checked")
        streams = ["/".join(entry) for entry in ole.listdir()]
    if any(name.startswith("__substg1.0_") for name in streams):
        return _msg(data, caps)
    raise UnreadableAttachmentError("a legacy binary Office file (.doc, .xls, .ppt): it cannot be checked; "
                                    "save it as .docx or .xlsx")


def _msg(data: bytes, caps: Caps) -> Inspection:
    from crumail.errors import ParseError
    from crumail.parse import parse_bytes

    try:
        parsed = parse_bytes(data, "attachment.msg")
    except ParseError as exc:
        raise UnreadableAttachmentError(f"an Outlook item that cannot be read: {exc}") from None
    found = Inspection("msg")
    found.piece("subject", parsed.subject or "")
    found.piece("body", parsed.text)
    return found
