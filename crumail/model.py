"""The values that travel between pipeline stages: frozen dataclasses only.

``RawMessage`` leaves a source, ``ParsedMail`` leaves the parser.  Neither
knows where it came from beyond the ``origin`` text kept for the operator.
``Outcome`` is what the store did with a message, told back to its source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cached_property
from typing import Literal

MailFormat = Literal["eml", "msg"]
TextSource = Literal["plain", "html", "rtf", "none"]


@dataclass(frozen=True)
class ServerAction:
    """What a source does to a message on its server once it is committed
    (IMAP: add a keyword, move it to a folder).  Recorded as pending in the
    message's own transaction, so a crash before it is done loses nothing."""

    add_keyword: str | None = None
    move_to: str | None = None


@dataclass(frozen=True)
class RawMessage:
    """Bytes exactly as a source gave them, with where they came from.

    ``key`` identifies the message within its source (a file name, or
    ``UIDVALIDITY:UID``) so that the source can be told when it is stored.
    ``refused`` says why a source would not read an entry at all (a link, a
    FIFO, a file over the size limit): ``data`` then holds a note, not mail,
    and the pipeline quarantines it unparsed.
    """

    data: bytes
    source: str
    key: str
    origin: str = ""
    filename: str | None = None
    folder: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    server_action: ServerAction | None = None
    refused: str | None = None

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class Outcome(str, Enum):
    """What became of a message: the store's answer, reported back to its source."""

    STORED = "stored"            # new message committed
    DUPLICATE = "duplicate"      # same bytes were already stored
    QUARANTINED = "quarantined"  # bytes and reason committed to quarantine


@dataclass(frozen=True)
class Address:
    name: str | None
    address: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "address": self.address}


@dataclass(frozen=True)
class Attachment:
    """One attachment's description; its bytes stay inside the raw message."""

    filename: str | None
    content_type: str
    size: int
    sha256: str
    content_id: str | None = None
    inline: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class ParsedMail:
    """A message parsed from .eml or .msg bytes, nested messages included.

    ``text`` is what a person reads: the plain part, or the HTML (or RTF)
    turned into text when there is no plain part; ``text_source`` says which.
    ``html`` keeps the original HTML for extractors that want its structure.
    """

    format: MailFormat
    sha256: str
    size: int
    subject: str | None = None
    message_id: str | None = None
    date: datetime | None = None
    from_: Address | None = None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    text: str = ""
    html: str | None = None
    text_source: TextSource = "none"
    attachments: tuple[Attachment, ...] = ()
    nested: tuple["ParsedMail", ...] = ()
    defects: tuple[str, ...] = field(default=())
    filename: str | None = None

    def header(self, name: str) -> str | None:
        """First value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def walk(self):
        """This message and every nested message, depth first."""
        stack = [self]
        while stack:
            mail = stack.pop()
            yield mail
            stack.extend(reversed(mail.nested))
