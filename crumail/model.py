"""The values that travel between pipeline stages: frozen dataclasses, and the few
constants and enums that go with them.

``RawMessage`` leaves a source, ``ParsedMail`` leaves the parser.  Neither
knows where it came from beyond the ``origin`` text kept for the operator.
``Outcome`` is what the store did with a message, told back to its source.

``DraftText`` is what drafting renders (pure: no id, no state); ``Draft`` is
a stored draft as review, the send stage and the desk see it, and
``AuditEntry`` one row of its audit trail.  They live here, below the store
that keeps them, so the store never imports a stage.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cached_property
from typing import Any, Literal

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


# The name crumail itself signs the audit trail with (drafting, sending);
# no desk account may take it.
SYSTEM_ACTOR = "crumail"

STATES: tuple[str, ...] = ("drafted", "edited", "approved", "sending", "sent", "rejected",
                           "failed", "unconfirmed")


def body_sha256(body: str) -> str:
    """The hash the audit trail records for a body: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DraftText:
    """A rendered draft, before it is stored."""

    template: str
    log: str | None
    from_address: str
    to: tuple[str, ...]
    subject: str
    body: str
    cc: tuple[str, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    marking: str | None = None
    caveats: tuple[str, ...] = ()
    force: str | None = None
    nation: str | None = None
    received_date: str | None = None
    due_date: str | None = None


@dataclass(frozen=True)
class DraftFile:
    """A file an operator attached to a draft: it leaves with the draft's mail."""

    id: int
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Draft:
    """A stored draft: its text (as composed, or as edited since), where it is
    in review, and how it was sent.  The text's fields read straight off the
    draft too (``draft.body``, ``draft.to``): see the loop below the class."""

    id: int
    message: int | None
    state: str
    text: DraftText
    message_id: str | None = None
    date_header: str | None = None
    approved_sha256: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    overrides: tuple[dict[str, Any], ...] = ()
    transport: str | None = None
    attempts: int = 0
    next_attempt: str | None = None
    last_error: str | None = None
    sending_token: str | None = None
    sent_at: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.to + self.cc

    @property
    def body_sha256(self) -> str:
        return body_sha256(self.body)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Draft":
        text = DraftText(
            template=row["template"], log=row["log"], from_address=row["from_address"],
            to=tuple(json.loads(row["to_json"])), cc=tuple(json.loads(row["cc_json"])),
            subject=row["subject"], body=row["body"], in_reply_to=row["in_reply_to"],
            references=tuple(json.loads(row["references_json"])), marking=row["marking"],
            caveats=tuple(json.loads(row["caveats_json"])), force=row["force"],
            nation=row["nation"], received_date=row["received_date"], due_date=row["due_date"],
        )
        return cls(
            id=row["id"], message=row["message"], state=row["state"], text=text,
            message_id=row["message_id"], date_header=row["date_header"],
            approved_sha256=row["approved_sha256"], approved_by=row["approved_by"],
            approved_at=row["approved_at"], overrides=tuple(json.loads(row["overrides_json"])),
            transport=row["transport"], attempts=row["attempts"],
            next_attempt=row["next_attempt"], last_error=row["last_error"],
            sending_token=row["sending_token"], sent_at=row["sent_at"],
            created_at=row["created_at"], updated_at=row["updated_at"],
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "message": self.message, "template": self.template, "log": self.log,
            "state": self.state, "from": self.from_address, "to": list(self.to),
            "cc": list(self.cc), "subject": self.subject, "body": self.body,
            "body_sha256": self.body_sha256, "in_reply_to": self.in_reply_to,
            "references": list(self.references), "marking": self.marking,
            "caveats": list(self.caveats), "force": self.force, "nation": self.nation,
            "received_date": self.received_date, "due_date": self.due_date,
            "message_id": self.message_id, "approved_by": self.approved_by,
            "approved_at": self.approved_at, "overrides": list(self.overrides),
            "transport": self.transport, "attempts": self.attempts,
            "next_attempt": self.next_attempt, "last_error": self.last_error,
            "sent_at": self.sent_at, "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _read_from_text(name: str) -> property:
    return property(lambda draft: getattr(draft.text, name), doc=f"The draft text's {name}.")


# A stored draft is read by its text's fields everywhere (review, send, the
# desk's templates): each is a read-only property onto ``Draft.text``, so the
# fields are written once, in DraftText.
for _name in DraftText.__dataclass_fields__:
    setattr(Draft, _name, _read_from_text(_name))
del _name


@dataclass(frozen=True)
class AuditEntry:
    id: int
    draft: int
    at: str
    actor: str
    action: str
    from_state: str | None
    to_state: str
    comment: str | None
    body_sha256: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "draft": self.draft, "at": self.at, "actor": self.actor,
            "action": self.action, "from_state": self.from_state, "to_state": self.to_state,
            "comment": self.comment, "body_sha256": self.body_sha256, "detail": self.detail,
        }


@dataclass(frozen=True)
class Force:
    """One force of the register (crumail.store.forces): who a message comes
    from, where circulations go, and which nation's law and bank holidays
    count for its deadlines.  ``nation`` is a canonical code of
    crumail.settings.tables.NATIONS; the register's CSV form
    (crumail.register.csvfile) checks every value before one is stored."""

    name: str
    short_name: str
    nation: str
    region: str = ""
    kind: str = "territorial"
    foi_mailboxes: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    active: bool = True
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``crumail forces list --json``, the audit's before/after)."""
        return {"id": self.id, "name": self.name, "short_name": self.short_name, "nation": self.nation,
                "region": self.region, "kind": self.kind, "foi_mailboxes": list(self.foi_mailboxes),
                "domains": list(self.domains), "active": self.active}

    def same_as(self, other: "Force") -> bool:
        """The same register entry, ids aside."""
        return {**self.as_dict(), "id": None} == {**other.as_dict(), "id": None}
