"""The values the draft, review and send stages pass around.

``DraftText`` is what rendering produces (pure: no id, no state);
``Draft`` is a stored draft as the review desk and the send stage see it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

# The name crumail itself signs the audit trail with (drafting, sending);
# no desk account may take it.
SYSTEM_ACTOR = "crumail"

State = Literal["drafted", "edited", "approved", "sending", "sent", "rejected", "failed", "unconfirmed"]
STATES: tuple[str, ...] = ("drafted", "edited", "approved", "sending", "sent", "rejected",
                           "failed", "unconfirmed")


def body_sha256(body: str) -> str:
    """The hash the audit trail records for a body: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Precedent:
    """An earlier log's question (and the advice given) close to a new question."""

    log: str
    question: int | None
    question_text: str
    advice: str | None = None
    date: str | None = None


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
class Draft:
    """A stored draft: its text, where it is in review, and how it was sent."""

    id: int
    message: int | None
    template: str
    log: str | None
    state: str
    from_address: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    marking: str | None = None
    caveats: tuple[str, ...] = ()
    force: str | None = None
    nation: str | None = None
    received_date: str | None = None
    due_date: str | None = None
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
        return cls(
            id=row["id"], message=row["message"], template=row["template"], log=row["log"],
            state=row["state"], from_address=row["from_address"],
            to=tuple(json.loads(row["to_json"])), cc=tuple(json.loads(row["cc_json"])),
            subject=row["subject"], body=row["body"], in_reply_to=row["in_reply_to"],
            references=tuple(json.loads(row["references_json"])), marking=row["marking"],
            caveats=tuple(json.loads(row["caveats_json"])), force=row["force"],
            nation=row["nation"], received_date=row["received_date"], due_date=row["due_date"],
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
