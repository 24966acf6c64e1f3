"""Raw bytes to a row ready to store: parse, extract, and the size cap first.

``prepare`` never raises for a bad message: whatever no stage can read
becomes a ``Rejected`` (quarantined with its stage and reason) and the run
goes on.  It is pure apart from logging, and runs in the parser processes
(crumail/intake/workers.py) as well as in the daemon itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from crumail.checks import names_in
from crumail.errors import OverLimitError, ParseError
from crumail.extract import Extraction, extract
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import ParsedMail, RawMessage
from crumail.parse import parse_bytes
from crumail.store import batch, quarantine

log = logging.getLogger("crumail.pipeline")


@dataclass(frozen=True)
class Ingested:
    """One message ready to be stored: its bytes, parse and extraction
    (what ``crumail.store.messages`` calls a ``Storable``)."""

    raw: RawMessage
    parsed: ParsedMail
    extraction: Extraction | None = None

    @cached_property
    def names(self) -> frozenset[str]:
        """The people the message names, for the store's gazetteer (found when
        it is stored, in the process that stores it)."""
        return frozenset(names_in(self.parsed))


Prepared = Ingested | batch.Rejected


def prepare(raw: RawMessage, limits: Limits = DEFAULT_LIMITS) -> Prepared:
    """Parse and extract one message; never raises for a bad message."""
    if raw.refused:
        return batch.Rejected(raw, quarantine.REFUSED_STAGE, raw.refused)
    if len(raw.data) > limits.max_message_bytes:
        return batch.Rejected(raw, "size", f"message is {len(raw.data):,} bytes, over the "
                              f"{limits.max_message_bytes:,}-byte limit ([intake] max_message_bytes)")
    try:
        parsed = parse_bytes(raw.data, raw.filename, limits)
    except OverLimitError as exc:
        return batch.Rejected(raw, "size", str(exc))
    except ParseError as exc:
        return batch.Rejected(raw, "parse", str(exc))
    except Exception as exc:  # a parser bug must not stop the daemon
        log.exception("parser failed unexpectedly on %s", raw.origin)
        return batch.Rejected(raw, "parse", f"internal parser error: {type(exc).__name__}: {exc}")
    try:
        extraction = extract(parsed, limits=limits)
    except Exception as exc:
        log.exception("extraction failed unexpectedly on %s", raw.origin)
        return batch.Rejected(raw, "extract", f"internal extraction error: {type(exc).__name__}: {exc}")
    return Ingested(raw, parsed, extraction)
