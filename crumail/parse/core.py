"""What every parser module shares: the limits and the one dispatcher.

Nested messages come back here with ``depth + 1``; the explicit counter,
not Python's stack, is what bounds how deep a message may nest.
"""

from __future__ import annotations

from crumail.errors import NestingTooDeepError, OverLimitError, ParseError
from crumail.limits import Limits
from crumail.model import ParsedMail

#: Attached messages may nest this deep (the outer message is depth 0).
MAX_NESTING = 50

#: The signature of an OLE2 compound file: every Outlook .msg starts with it.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Errors about the whole message: never swallowed where a nested part fails.
WHOLE_MESSAGE_ERRORS = (NestingTooDeepError, OverLimitError)

#: Attachment names whose content is itself a message worth parsing.
MESSAGE_SUFFIXES = (".msg", ".eml")

#: Content types under which mail clients attach .msg/.eml files.
GENERIC_TYPES = frozenset({
    "application/octet-stream", "application/vnd.ms-outlook", "application/x-msg",
    "application/msoutlook", "application/x-outlook-msg", "application/x-ole-storage",
    "message/rfc822", "text/plain", "",
})


def cut_body(text: str, limits: Limits, what: str, defects: list[str]) -> str:
    """Body text within ``max_body_chars``: every stage after the parser (the
    extractor, the checks, the desk) reads it line by line in Python."""
    if len(text) <= limits.max_body_chars:
        return text
    defects.append(f"{what}: {len(text):,} characters, only the first {limits.max_body_chars:,} read "
                   f"([intake] max_body_chars)")
    return text[: limits.max_body_chars]


def cut_rtf(data: bytes, limits: Limits, what: str, defects: list[str]) -> bytes:
    """RTF within ``max_rtf_bytes`` before it is read (a token at a time)."""
    if len(data) <= limits.max_rtf_bytes:
        return data
    defects.append(f"{what}: {len(data):,} bytes of RTF, only the first {limits.max_rtf_bytes:,} read "
                   f"([intake] max_rtf_bytes)")
    return data[: limits.max_rtf_bytes]


def check_depth(depth: int) -> None:
    if depth > MAX_NESTING:
        raise NestingTooDeepError(
            f"attached messages nest deeper than {MAX_NESTING} levels"
        )


def parse_any(data: bytes, filename: str | None, depth: int, limits: Limits) -> ParsedMail:
    """Parse .msg (by its OLE signature) or RFC 822 bytes at nesting ``depth``."""
    check_depth(depth)
    if not data or not data.strip():
        raise ParseError("empty message")
    if data.startswith(OLE_MAGIC):
        from crumail.parse import msg

        return msg.parse_msg(data, filename, depth, limits)
    from crumail.parse import eml

    if not (filename and filename.lower().endswith(".msg")):
        return eml.parse_eml(data, filename, depth, limits)
    try:  # a .msg name on RFC 822 bytes is common: clients save mail so
        return eml.parse_eml(data, filename, depth, limits)
    except WHOLE_MESSAGE_ERRORS:
        raise
    except ParseError as error:
        raise ParseError(f"{filename!r} is not an Outlook .msg file (no OLE signature), "
                         f"nor RFC 822 mail ({error})") from error


def is_message_attachment(filename: str | None, content_type: str) -> bool:
    """An attached file that is probably a message (.msg/.eml, generic type)."""
    return bool(filename) and filename.lower().rstrip().endswith(MESSAGE_SUFFIXES) \
        and content_type.lower() in GENERIC_TYPES
