"""The parse stage: bytes in, :class:`~crumail.model.ParsedMail` out.

``parse_bytes`` is pure: no I/O, no state.  Outlook .msg files are told by
their OLE signature, everything else is read as RFC 822.  It raises only
:class:`~crumail.errors.ParseError` and its subclasses, each with a reason
that names what was wrong, so that the daemon can quarantine the message
and go on.

    parse/__init__  parse_bytes: the one entry point, the error boundary
    parse/core      limits, the .msg/.eml dispatcher for nested messages
    parse/eml       RFC 822 through the stdlib feed parser and mail-parser
    parse/msg       Outlook .msg through extract-msg
    parse/headers   mail-parser's decoded headers, addresses, date
    parse/tnef      winmail.dat through tnefparse
    parse/rtf       compressed RTF: fast LZFu and an RTF/HTML reader
    parse/text      charset repair and HTML to readable text
"""

from __future__ import annotations

from crumail.errors import NestingTooDeepError, ParseError
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import ParsedMail
from crumail.parse.core import MAX_NESTING, OLE_MAGIC, parse_any

__all__ = ["MAX_NESTING", "OLE_MAGIC", "parse_bytes"]


def parse_bytes(data: bytes, filename: str | None = None, limits: Limits = DEFAULT_LIMITS) -> ParsedMail:
    """Parse one message (.eml or .msg bytes), nested messages included.

    Raises ParseError (NotMailError for an Outlook contact and the like,
    NestingTooDeepError beyond MAX_NESTING, OverLimitError past a cap of
    ``limits`` that quarantines) and nothing else.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(f"expected bytes, got {type(data).__name__}")
    try:
        return parse_any(bytes(data), filename, 0, limits)
    except ParseError:
        raise
    except RecursionError as error:
        raise NestingTooDeepError("message structure nests too deeply to parse") from error
    except MemoryError as error:
        raise ParseError("message too large to parse in memory") from error
    except Exception as error:  # a library bug must quarantine one message, not stop the daemon
        raise ParseError(f"unexpected {type(error).__name__} while parsing: {error}"[:400]) from error
