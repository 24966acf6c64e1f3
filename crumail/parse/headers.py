"""RFC 822 headers through mail-parser: decoded subject, addresses, date.

mail-parser is asked about the headers only (a message holding just them):
its walk over the body would flatten attached messages into the
outer one's text and copy every attachment, which the parse stage does
itself, one message at a time.

A sender sets every header's length, and the decoders downstream (the
standard library's RFC 2047 and address parsers, mail-parser's) grow faster
than linearly with it, so each value is cut to ``[intake]`` caps *before*
anything decodes it (crumail.limits): ``max_header_chars`` per value,
``max_recipients`` addresses across the address headers, then
``max_subject_chars`` of the decoded subject.  Each cut is a defect.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from email.message import Message
from typing import Any

import mailparser
from mailparser.utils import decode_header_part, get_addresses

from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import Address
from crumail.parse.text import decode_text, not_a_charset, repair_c1

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSG_ID = re.compile(r"<[^<>]*>")
_SURROGATES = re.compile("[\udc80-\udcff]")
# The charset of an RFC 2231 parameter (name*=CHARSET'LANG'value, or name*0*=...).
_RFC2231_CHARSET = re.compile(r"(\*=[ \t]*\"?)([^'\"\s;]+)(?=')")
_ADDRESS_FIELDS = {"from": "from_", "to": "to", "cc": "cc", "bcc": "bcc", "reply-to": "reply_to"}
# What mail-parser is asked about (addresses are read here, once).
_MAILPARSER_HEADERS = frozenset({"subject", "message-id", "in-reply-to", "references", "date"})
# One address-list token: a quoted string, a comment, an angle address, a run
# of anything else, or the comma between addresses (RFC 5322 3.4).
_ADDRESS_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|\((?:[^()\\]|\\.)*\)?|<[^<>]*>?|[^",(<]+|,|.', re.S)


class AddressBudget:
    """What is left of ``max_recipients`` for one message's address headers."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_recipients
        self.left = limits.max_recipients
        self.dropped = 0


def read_headers(message: Message, limits: Limits = DEFAULT_LIMITS) -> tuple[dict[str, Any], list[str]]:
    """The ParsedMail header fields of ``message`` and the defects found."""
    defects: list[str] = []
    budget = AddressBudget(limits)
    items = [(name, _repair_8bit(name, cap_value(name, str(raw), limits, budget, defects), defects))
             for name, raw in message.raw_items()]
    shell = Message()  # the headers it is asked about alone: never the body, and
    for name, value in items:  # not Received (mail-parser parses each at length)
        if name.lower() in _MAILPARSER_HEADERS:
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
        values = [value for name, value in items if name.lower() == header]
        addresses = tuple(addresses_of(values, defects, header))
        fields[field] = addresses[0] if field == "from_" and addresses else addresses
    if fields["from_"] == ():
        fields["from_"] = None
    cap_subject(fields, limits, defects)
    if budget.dropped:
        defects.append(f"{budget.dropped:,} address(es) past the first {budget.limit:,} of the message "
                       f"dropped ([intake] max_recipients)")
    return fields, defects


def cap_value(name: str, value: str, limits: Limits, budget: AddressBudget, defects: list[str]) -> str:
    """One raw header value within ``max_header_chars`` and, for an address
    header, within what is left of the message's ``max_recipients``."""
    if len(value) > limits.max_header_chars:
        value = cut_text(value, limits.max_header_chars)
        defects.append(f"header {name}: cut to its first {len(value):,} characters "
                       f"([intake] max_header_chars is {limits.max_header_chars:,})")
    if name.lower() in _ADDRESS_FIELDS:
        value = _first_addresses(value, budget)
    return value


def cut_text(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, back to the last space,
    fold or comma when there is one (so an encoded word or an address is not
    cut in two)."""
    cut = value[:limit]
    boundary = max(cut.rfind(char, max(1, limit - 1000)) for char in " \t\r\n,")
    return cut[:boundary] if boundary > 0 else cut


def _first_addresses(value: str, budget: AddressBudget) -> str:
    """The raw list cut after the addresses the budget has left (one linear scan)."""
    seen, has_text = 0, False
    for token in _ADDRESS_TOKEN.finditer(value):
        text = token.group()
        if text != ",":
            has_text = has_text or bool(text.strip())
            continue
        seen += has_text
        has_text = False
        if seen == budget.left:
            budget.dropped += _count_addresses(value[token.end():])
            budget.left = 0
            return value[: token.start()]
    seen += has_text
    if seen > budget.left:
        budget.dropped += seen
        return ""
    budget.left -= seen
    return value


def _count_addresses(rest: str) -> int:
    """Entries in an address list (commas inside quotes and comments do not count)."""
    count, has_text = 0, False
    for token in _ADDRESS_TOKEN.finditer(rest):
        if token.group() == ",":
            count += has_text
            has_text = False
        else:
            has_text = has_text or bool(token.group().strip())
    return count + has_text


def cap_subject(fields: dict[str, Any], limits: Limits, defects: list[str]) -> None:
    """The decoded subject within ``max_subject_chars``."""
    subject = fields.get("subject")
    if subject and len(subject) > limits.max_subject_chars:
        fields["subject"] = subject[: limits.max_subject_chars]
        defects.append(f"subject: {len(subject):,} characters, cut to {limits.max_subject_chars:,} "
                       f"([intake] max_subject_chars)")


def cap_addresses(fields: dict[str, Any], limits: Limits, defects: list[str]) -> None:
    """Parsed address lists within ``max_recipients`` together (for Outlook's
    MAPI recipients, which come without an RFC 822 header to cut first)."""
    budget = AddressBudget(limits)
    budget.left -= 1 if fields.get("from_") else 0
    for header, field in _ADDRESS_FIELDS.items():
        value = fields.get(field)
        if field == "from_" or not value:
            continue
        keep = max(0, min(len(value), budget.left))
        budget.left -= keep
        if keep < len(value):
            fields[field] = tuple(value[:keep])
            defects.append(f"{header}: {len(value) - keep:,} address(es) past the first {budget.limit:,} "
                           f"of the message dropped ([intake] max_recipients)")


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
