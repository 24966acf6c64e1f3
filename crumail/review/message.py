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

from typing import Iterable

from crumail import clock
from crumail.model import Draft, DraftFile


def new_message_id(draft: Draft) -> str:
    # Short enough that "Message-ID: <...>" is never folded onto a second line.
    domain = draft.from_address.rpartition("@")[2].strip("> ") or "crumail.invalid"
    return f"<crumail.draft{draft.id}.{secrets.token_hex(8)}@{domain}>"


def date_header(moment: datetime | None = None) -> str:
    return format_datetime(moment or clock.now())


def build_message(draft: Draft, message_id: str | None = None, date: str | None = None,
                  files: Iterable[DraftFile] = ()) -> bytes:
    """The RFC 5322 message for ``draft`` (Message-ID and Date fixed at approval),
    with the files attached to it in the order they were attached."""
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
    for file in files:
        maintype, _, subtype = file.content_type.partition("/")
        msg.add_attachment(file.data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                           filename=file.filename)
    if msg.is_multipart():
        # fixed, not random, so the bytes hashed at approval are the bytes built at send;
        # "=_" never appears in base64 or quoted-printable text
        msg.set_boundary("=_crumail_" + hashlib.sha256(message_id.encode()).hexdigest()[:32])
    return msg.as_bytes()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
