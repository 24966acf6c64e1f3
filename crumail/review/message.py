"""The exact bytes of an outbound mail, built the same way at approval and at send.

Deterministic: the same draft, Message-ID and Date always give the same
bytes, so the hash taken at approval proves at send time that nothing
changed in between.
"""

from __future__ import annotations

import hashlib
import secrets
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from datetime import datetime

from crumail import clock
from crumail.model import Draft


def new_message_id(draft: Draft) -> str:
    # Short enough that "Message-ID: <...>" is never folded onto a second line.
    domain = draft.from_address.rpartition("@")[2].strip("> ") or "crumail.invalid"
    return f"<crumail.draft{draft.id}.{secrets.token_hex(8)}@{domain}>"


def date_header(moment: datetime | None = None) -> str:
    return format_datetime(moment or clock.now())


def build_message(draft: Draft, message_id: str | None = None, date: str | None = None) -> bytes:
    """The RFC 5322 message for ``draft`` (Message-ID and Date fixed at approval)."""
    message_id = message_id or draft.message_id
    date = date or draft.date_header
    if not message_id or not date:
        raise ValueError(f"draft {draft.id} has no Message-ID or Date yet: it is not approved")
    msg = EmailMessage(policy=SMTP)
    msg["From"] = draft.from_address
    msg["To"] = ", ".join(draft.to)
    if draft.cc:
        msg["Cc"] = ", ".join(draft.cc)
    msg["Subject"] = draft.subject
    msg["Date"] = date
    msg["Message-ID"] = message_id
    if draft.in_reply_to:
        msg["In-Reply-To"] = draft.in_reply_to
    if draft.references:
        msg["References"] = " ".join(draft.references)
    msg["X-Crumail-Draft"] = str(draft.id)
    msg.set_content(draft.body, charset="utf-8")
    return msg.as_bytes()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
