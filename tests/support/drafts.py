"""Drafts as the drafting stage leaves them, for the review, send and desk tests.

:func:`make_draft` stores a draft and its "drafted" audit row;
:func:`seed_draft` stores a message first and the acknowledgement answering
it.  The bodies are the cases the outbound checks tell apart.  Fictitious
people only: drama-range numbers, ``example.*`` domains.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from crumail.model import Address, DraftText, ParsedMail
from crumail.store import audit, drafts as store
from crumail.store.db import transaction
from support.casebook import store as store_message
from support.mail import CRU, FORCE_FOI

REFERRAL_ID = "<referral-1@eastmoor.example.police.uk>"

#: The advice answering support.mail.referral, as rendered (DraftText's fields).
ADVICE: dict[str, object] = {
    "template": "advice", "log": "44/23", "from_address": CRU, "to": (FORCE_FOI,),
    "subject": "Log No. 44/23 - Advice", "in_reply_to": REFERRAL_ID, "references": (REFERRAL_ID,),
    "received_date": "2023-11-20", "due_date": "2023-12-18",
}

CLEAN_BODY = ("Dear Colleague,\n\nLog No. 44/23 has been logged. We see no harm in disclosing the "
              "force-wide totals.\n\nKind regards,\n\nNational Police FOI & DP Central Referral Unit\n")
LEAKY_BODY = ("Dear Colleague,\n\nThe applicant can be reached on 07700 900123 if you need to "
              "clarify the request.\n\nKind regards,\n\nCentral Referral Unit\n")
POLICE_ONLY_BODY = ("OFFICIAL - SENSITIVE\nPOLICE EYES ONLY\n\nNot to be distributed outside of the Police "
                    "network or other agencies without prior authorisation from the CRU\n\nDear All,\n\n"
                    "Advice on Log No. 44/23 follows.\n\nKind regards,\n\nCentral Referral Unit\n")


def make_draft(db, body: str, message: int | None = None, **text: object) -> int:
    """A stored draft of ``body`` (the :data:`ADVICE` fields, ``text`` replacing any)."""
    with transaction(db):
        draft = store.insert(db, message, DraftText(**{**ADVICE, "body": body, **text}))
        audit.record(db, draft, actor="crumail", action="drafted", from_state=None, to_state="drafted",
                     body_sha256="0" * 64)
    return draft


def seed_draft(db, *, subject: str = "Log No. 43/23 - CRU Circulation", log: str = "43/23",
               source_text: str = "How many speed cameras does the force operate?\n",
               body: str = "Dear colleague,\n\nThank you for your request.\n\nKind regards\nCRU\n",
               due: str | None = "2026-12-01", n: int = 0, html: str | None = None) -> int:
    """A stored message from an applicant and the acknowledgement answering it
    (``n`` tells messages apart); returns the draft's id."""
    raw = f"From: applicant@example.org\nSubject: {subject}\n\n{source_text}{n}".encode()
    parsed = ParsedMail(format="eml", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                        subject=subject, message_id=f"<seed-{n}-{hashlib.sha1(raw).hexdigest()[:8]}@example.org>",
                        date=datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc),
                        from_=Address("Avery Applicant", "applicant@example.org"),
                        to=(Address("CRU", "cru@example.police.uk"),), text=source_text,
                        html=html, text_source="html" if html else "plain")
    message = store_message(db, f"seed-{n}", None, parsed, data=raw)
    return make_draft(db, body, message, template="acknowledgement", log=log, from_address="cru@example.police.uk",
                      to=(FORCE_FOI,), subject=f"Re: {subject}", due_date=due, force="Eastmoor Police",
                      in_reply_to=None, references=(), received_date=None)


#: An override justification the outbound checks accept.
JUSTIFICATION = "The number is the applicant's own, given so the force can call them back; agreed with them."


def advice_values() -> dict:
    """What the advice template is rendered with: one question with one precedent."""
    return {"log_number": "44/23", "original_subject": "FOI referral", "marking_lines": [],
            "force": "Eastmoor Police", "unit": "CRU",
            "questions": [{"number": 1, "label": "1)", "text": "How many cameras?", "precedents": [
                {"log": "43/23", "question": 1, "question_text": "How many speed cameras?",
                 "advice": "We see no harm.", "date": None}]}]}
