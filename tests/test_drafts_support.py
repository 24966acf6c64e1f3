"""Helpers shared by the drafts, review and send tests (no tests here).

Fictitious people only: Ofcom drama numbers, example.* domains.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from crumail.config import from_dict
from crumail.model import DraftText
from crumail.store import audit, drafts as store
from crumail.store.db import transaction

CRU = "cru@npcc.example.police.uk"
FORCE_FOI = "foi@eastmoor.example.police.uk"
SCOTLAND_FOI = "foi@scotland.example.police.uk"
EXTERNAL = "applicant@example.com"


def referral(when: datetime, sender: str = FORCE_FOI, subject: str = "FOI referral - speed cameras",
             message_id: str = "<referral-1@eastmoor.example.police.uk>", logged_with: str = "Eastmoor Police") -> bytes:
    """A force referring a new request to the unit for logging and advice."""
    msg = EmailMessage()
    msg["From"] = f'"Eastmoor FOI" <{sender}>'
    msg["To"] = f'"NPCC CRU Mailbox" <{CRU}>'
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id
    msg.set_content(
        "Dear CRU,\n\n"
        "Please could you log the following request and provide advice.\n\n"
        f"Force: {logged_with}\n\n"
        "Applicant's request:\n\n"
        "1) How many speed cameras does the force operate?\n"
        "2) How many registered sex offenders went missing from your force area in 2022?\n\n"
        "Kind regards\n\nEastmoor FOI Team\n"
    )
    return bytes(msg)


def config(tmp_path: Path, **tables) -> object:
    raw = {"database": {"path": str(tmp_path / "crumail.db")},
           "redaction": {"internal_domains": ["police.uk"], "allow": ["01632 960100"]},
           "outbox": {"path": str(tmp_path / "outbox")},
           "send": {"retry_delays": [0.05, 0.05], "retry_after": 60}}
    for name, table in tables.items():
        raw[name] = {**raw.get(name, {}), **table}
    return from_dict(raw, tmp_path)


def make_draft(db, body: str, to: tuple[str, ...] = (FORCE_FOI,), subject: str = "Log No. 44/23 - Advice",
               marking: str | None = None, caveats: tuple[str, ...] = (), template: str = "advice",
               message: int | None = None) -> int:
    """A stored draft, as the drafting stage would leave it."""
    text = DraftText(template=template, log="44/23", from_address=CRU, to=to, subject=subject, body=body,
                     in_reply_to="<referral-1@eastmoor.example.police.uk>",
                     references=("<referral-1@eastmoor.example.police.uk>",), marking=marking,
                     caveats=caveats, received_date="2023-11-20", due_date="2023-12-18")
    with transaction(db):
        draft = store.insert(db, message, text)
        audit.record(db, draft, actor="crumail", action="drafted", from_state=None, to_state="drafted",
                     body_sha256="0" * 64)
    return draft


CLEAN_BODY = ("Dear Colleague,\n\nLog No. 44/23 has been logged. We see no harm in disclosing the "
              "force-wide totals.\n\nKind regards,\n\nNational Police FOI & DP Central Referral Unit\n")
LEAKY_BODY = ("Dear Colleague,\n\nThe applicant can be reached on 07700 900123 if you need to "
              "clarify the request.\n\nKind regards,\n\nCentral Referral Unit\n")
POLICE_ONLY_BODY = ("OFFICIAL - SENSITIVE\nPOLICE EYES ONLY\n\nNot to be distributed outside of the Police "
                    "network or other agencies without prior authorisation from the CRU\n\nDear All,\n\n"
                    "Advice on Log No. 44/23 follows.\n\nKind regards,\n\nCentral Referral Unit\n")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
