"""RFC 822 headers through mail-parser: decoded subject, addresses, date.

mail-parser is asked about the headers only (a message holding just them):
its walk over the body would flatten attached messages into the
outer one's text and copy every attachment, which the parse stage does
itself, one message at a time.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from email.message import Message
from typing import Any

import mailparser
from mailparser.utils import decode_header_part, get_addresses

from crumail.model import Address
from crumail.parse.text import decode_text, not_a_charset, repair_c1

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSG_ID = re.compile(r"<[^<>]*>")
_SURROGATES = re.compile("[\udc80-\udcff]")
# The charset of an RFC 2231 parameter (name*=CHARSET'LANG'value, or name*0*=...).
_RFC2231_CHARSET = re.compile(r"(\*=[ \t]*\"?)([^'\"\s;]+)(?=')")
_ADDRESS_FIELDS = {"from": "from_", "to": "to", "cc": "cc", "bcc": "bcc", "reply-to": "reply_to"}


def read_headers(message: Message) -> tuple[dict[str, Any], list[str]]:
    """The ParsedMail header fields of ``message`` and the defects found."""
    defects: list[str] = []
    items = [(name, _repair_8bit(name, raw, defects)) for name, raw in message.raw_items()]
    shell = Message()  # the headers alone: mail-parser never sees the body
    for name, value in items:
        shell[name] = value
    shell.set_payload("")
    parser = mailparser.MailParser(shell)
    defects.extend(_mailparser_defects(parser.defects))
    fields: dict[str, Any] = {
        "subject": repair_c1(_unfold(_one(parser.subject))) or None,
        "message_id": _one(parser.message_id) or None,
        "in_reply_to": _one(parser.in_reply_to) or None,
        "references": tuple(_MSG_ID.findall(" ".join(_all(parser.references)))),
        "date": _date(parser.date, shell.get("date")),
        "headers": tuple(header_items(items)),
    }
    for header, field in _ADDRESS_FIELDS.items():
        addresses = tuple(addresses_of(shell.get_all(header) or [], defects, header))
        fields[field] = addresses[0] if field == "from_" and addresses else addresses
    if fields["from_"] == ():
        fields["from_"] = None
    return fields, defects


def _repair_8bit(name: str, raw: Any, defects: list[str]) -> str:
    """Raw 8-bit bytes in a header (no RFC 2047 charset) come from the
    parser as surrogate escapes: read them as UTF-8, else Windows-1252.
    NUL has no place in a header, and in a charset name it makes every
    decoder raise ValueError: it is dropped."""
    value = str(raw)
    if "\x00" in value:
        value = value.replace("\x00", "")
        defects.append(f"header {name}: NUL characters removed")
    value = _RFC2231_CHARSET.sub(lambda m: _lying_parameter(name, m, defects), value)
    if not _SURROGATES.search(value):
        return value
    data = value.encode("ascii", "surrogateescape")
    text, defect = decode_text(data, None)
    defects.append(f"header {name}: {defect}" if defect else f"header {name}: 8-bit bytes read as utf-8")
    return text


def _lying_parameter(name: str, found: re.Match, defects: list[str]) -> str:
    """An RFC 2231 parameter's charset that is no text charset (``punycode``)
    makes the stdlib raise; without one, the value is read as ASCII."""
    if not not_a_charset(found.group(2)):
        return found.group(0)
    defects.append(f"header {name}: a parameter in charset {found.group(2)!r} (not a text charset) "
                   "read as ascii")
    return found.group(1)


def header_items(items: list[tuple[str, str]]):
    """Every header in order, unfolded and RFC 2047-decoded."""
    for name, raw in items:
        value = _FOLD.sub("", raw)
        yield name, repair_c1(decode_header_part(value)) if value else ""


def addresses_of(raw_values: list, defects: list[str], header: str):
    """Addresses from raw header values; an entry that is no address (a
    redaction marker such as ``S.40(2)``) is kept as a name without address."""
    for raw in raw_values:
        diagnostics: list[dict] = []
        parsed = get_addresses(raw, defects=diagnostics, decode_names=True)
        for name, address in parsed:
            if address:
                name = repair_c1(name) if name else name
                yield Address(name=name if name and name != address else None, address=address)
        for item in diagnostics:
            text = str(item.get("raw", "")).strip()
            if text and not item.get("recovered"):
                yield Address(name=decode_header_part(text), address=None)
                defects.append(f"{header}: {text!r} is not an e-mail address")


def _date(value: dt.datetime | None, raw: Any) -> dt.datetime | None:
    """mail-parser's UTC datetime, shown in the sender's own offset."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    parsed = email.utils.parsedate_tz(str(raw)) if raw else None
    if parsed and parsed[9] is not None:
        try:
            return value.astimezone(dt.timezone(dt.timedelta(seconds=parsed[9])))
        except (ValueError, OverflowError):
            return value
    return value


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n", "", value)


def _one(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _all(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def _mailparser_defects(defects: list) -> list[str]:
    """mail-parser's defect records ({category: [text, ...]}) as plain lines."""
    lines = []
    for record in defects or []:
        if isinstance(record, dict):
            for items in record.values():
                lines.extend(str(item) for item in (items if isinstance(items, list) else [items]))
        else:
            lines.append(str(record))
    return lines
