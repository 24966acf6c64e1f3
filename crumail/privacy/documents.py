"""The readable parts of one stored message, for the person index: its
headers, its body, each attachment's name and text (plain text, CSV, the
text of a .docx) and every nested message's parts, at any depth, each named
by its ``part`` and ``path`` (the chain of attachment names from the top,
joined with "/", as CONTRACTS.md joins nested names).

Pure: bytes in, parts out.  Hostile input is capped: depth, the text kept
per part, the .docx member read (never more than its cap, whatever its
header claims), the number of parts.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import zipfile
from dataclasses import dataclass
from email.message import Message
from typing import Iterator

from crumail.checks.personal import EMAIL_CHECK, PHONE_CHECK
from crumail.checks import CheckContext
from crumail.parse.text import html_to_text

MAX_DEPTH = 8
MAX_PART_CHARS = 1_000_000
MAX_DOCX_XML_BYTES = 8_000_000
MAX_PARTS = 400
TEXT_NAMES = (".txt", ".csv", ".text", ".md", ".tsv", ".htm", ".html")
MAILTO = re.compile(r"""mailto:([^"'>?\s]+)""", re.I)
DOCX_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:(?:p|br|tab)\b")
NO_CONTEXT = CheckContext()


@dataclass(frozen=True)
class Part:
    part: str            # subject, from, to, body, attachment, attachment_name
    path: str | None     # None: the top-level message
    text: str

    @property
    def keys(self) -> str:
        """The phones (national digits) and emails (lower case) in the text,
        found by the outbound checks' own detectors."""
        return " ".join(sorted(contact_keys(self.text)))


def contact_keys(text: str) -> set[str]:
    found = {f"p{phone_digits(f.text)}" for f in PHONE_CHECK.run(text, NO_CONTEXT)}
    found |= {f.text.lower() for f in EMAIL_CHECK.run(text, NO_CONTEXT)}
    return found


def phone_digits(written: str) -> str:
    """A phone number as UK national digits (``+44 (0)7700 900461`` -> 07700900461)."""
    digits = re.sub(r"\D", "", written.replace("(0)", ""))
    if digits.startswith("00"):
        digits = digits[2:]
    return "0" + digits[2:] if digits.startswith("44") else digits


def eml_parts(raw: bytes) -> list[Part]:
    """Every readable part of an .eml, nested messages included."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found: list[Part] = []
    for part in _walk(message, None, 0):
        found.append(part)
        if len(found) >= MAX_PARTS:
            break
    return found


def _walk(message: Message, path: str | None, depth: int) -> Iterator[Part]:
    yield from _headers(message, path)
    stack: list[Message] = [message]
    bodies: list[str] = []
    while stack:
        node = stack.pop()
        filename = _filename(node)
        nested = node is not message and (node.get_content_type() == "message/rfc822"
                                          or (filename or "").lower().endswith(".eml"))
        if node.is_multipart() and not nested:
            stack.extend(reversed(node.get_payload()))
            continue
        if nested:
            name = filename or "attached message.eml"
            yield Part("attachment_name", _join(path, name), name)
            if depth < MAX_DEPTH:
                inner = _inner_message(node)
                if inner is not None:
                    yield from _walk(inner, _join(path, name), depth + 1)
            continue
        if filename:
            yield Part("attachment_name", _join(path, filename), filename)
            text = _attachment_text(node, filename)
            if text:
                yield Part("attachment", _join(path, filename), text[:MAX_PART_CHARS])
        elif node.get_content_maintype() == "text":
            bodies.append(_body_text(node))
    if bodies:
        yield Part("body", path, "\n".join(bodies)[:MAX_PART_CHARS])


def _headers(message: Message, path: str | None) -> Iterator[Part]:
    for part, names in (("subject", ("subject",)), ("from", ("from", "sender", "reply-to")),
                        ("to", ("to", "cc"))):
        values = [_header(message, name) for name in names]
        text = "\n".join(v for v in values if v)
        if text:
            yield Part(part, path, text[:MAX_PART_CHARS])


def _header(message: Message, name: str) -> str:
    try:
        return " ".join(str(v) for v in message.get_all(name) or ())
    except Exception:  # a header the policy cannot read: its raw form
        return " ".join(str(v) for v in message._headers if v[0].lower() == name)  # noqa: SLF001


def _filename(node: Message) -> str | None:
    try:
        return node.get_filename()
    except Exception:
        return None


def _inner_message(node: Message) -> Message | None:
    payload = node.get_payload()
    if isinstance(payload, list) and payload:
        return payload[0]
    data = node.get_payload(decode=True)
    return email.message_from_bytes(data, policy=email.policy.default) if data else None


def _decoded(node: Message) -> str:
    data = node.get_payload(decode=True) or b""
    charset = node.get_content_charset() or "utf-8"
    try:
        return data[:MAX_PART_CHARS * 4].decode(charset, errors="replace")
    except LookupError:
        return data[:MAX_PART_CHARS * 4].decode("utf-8", errors="replace")


def _body_text(node: Message) -> str:
    text = _decoded(node)
    if node.get_content_subtype() == "html":
        return html_to_text(text) + "\n" + " ".join(MAILTO.findall(text))
    return text


def _attachment_text(node: Message, filename: str) -> str:
    lower = filename.lower()
    if lower.endswith(".docx"):
        return docx_text(node.get_payload(decode=True) or b"")
    if node.get_content_maintype() == "text" or lower.endswith(TEXT_NAMES):
        return _body_text(node)
    return ""


def docx_text(data: bytes) -> str:
    """The words of a .docx's main document, paragraphs on their own lines;
    "" for anything that is not one (or is over the cap)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            with archive.open("word/document.xml") as member:
                xml = member.read(MAX_DOCX_XML_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return ""
    if len(xml) > MAX_DOCX_XML_BYTES:
        return ""
    pieces = [m.group(1) if m.group(1) is not None else b"\n" for m in DOCX_TEXT.finditer(xml)]
    return _unescape(b"".join(pieces).decode("utf-8", errors="replace"))


def _unescape(text: str) -> str:
    from html import unescape
    return unescape(text)


def _join(path: str | None, name: str) -> str:
    return name if path is None else f"{path}/{name}"


def stored_parts(row: dict, nested: list[dict]) -> list[Part]:
    """What the store holds of a message it cannot read again as .eml (an
    Outlook .msg): its headers, text and nested messages' text."""
    parts = [Part("subject", None, row.get("subject") or ""),
             Part("from", None, f"{row.get('from_name') or ''} {row.get('from_address') or ''}"),
             Part("to", None, f"{row.get('to_json') or ''} {row.get('cc_json') or ''}"),
             Part("body", None, row.get("text") or "")]
    for child in nested:
        path = child.get("filename") or child["path"]
        parts += [Part("subject", path, child.get("subject") or ""),
                  Part("from", path, f"{child.get('from_name') or ''} {child.get('from_address') or ''}"),
                  Part("body", path, child.get("text") or "")]
    return [p for p in parts if p.text.strip()]


def message_parts(row: dict, nested: list[dict]) -> list[Part]:
    """The parts of a stored message row (with ``raw`` and ``format``)."""
    if row.get("format") == "eml" and row.get("raw"):
        try:
            return eml_parts(row["raw"])
        except Exception:  # a message the stdlib cannot walk: what the store kept of it
            pass
    return stored_parts(row, nested)


__all__ = ["Part", "contact_keys", "docx_text", "eml_parts", "message_parts",
           "phone_digits", "stored_parts"]
