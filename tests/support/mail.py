"""Fictitious mail for the tests: one builder per kind of message.

* :func:`circulation`: the unit's circulation of a new log to the forces;
* :func:`referral`: a force sending the unit a request to log and advise on
  (the drafting stage answers it with an acknowledgement and advice);
* :func:`eml`: RFC 822 bytes written by hand, headers exactly as given (for
  the parser's own tests, where ``EmailMessage`` would mend what is tested);
* :func:`parsed`: a ``ParsedMail`` built directly, for the extraction rules.

Bulk numbered mail is in :mod:`support.mailgen`, broken input in
:mod:`support.badmail`, hostile input (with its own hand-written baseline
referral, which ``EmailMessage`` would refuse to carry) in
:mod:`support.hostile`.  Fictitious people only: drama-range numbers,
``example.*`` domains.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from crumail.model import ParsedMail

CRU = "cru@npcc.example.police.uk"
FORCE_FOI = "foi@eastmoor.example.police.uk"
SCOTLAND_FOI = "foi@scotland.example.police.uk"
EXTERNAL = "applicant@example.com"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def circulation(log: str = "301/24", body_extra: str = "", subject: str | None = None,
                n: int = 0) -> bytes:
    """A circulation of ``log`` with two questions; ``n`` varies the Date's seconds."""
    msg = EmailMessage()
    msg["From"] = f'"NPCC CRU Mailbox" <{CRU}>'
    msg["To"] = f'"Eastmoor FOI" <{FORCE_FOI}>'
    msg["Subject"] = subject or f"Log No. {log} - CRU Circulation (02/05/2024) - Including Advice"
    msg["Date"] = format_datetime(datetime(2024, 5, 3, 9, 30, n % 60, tzinfo=timezone.utc))
    msg["Message-ID"] = make_msgid(domain="npcc.example.police.uk")
    msg.set_content(
        "OFFICIAL - SENSITIVE\n\nDear All,\n\n"
        f"Log Number: {log}\nCase worker: Dana Whitlock\nLogged with: Eastmoor Police\n\n"
        "Applicants Request:\n1) How many speed cameras does the force operate?\n"
        f"2) How much revenue did they raise in 2023?\n\n{body_extra}\nKind regards\n"
    )
    return bytes(msg)


def referral(when: datetime, sender: str = FORCE_FOI, subject: str = "FOI referral - speed cameras",
             message_id: str = "<referral-1@eastmoor.example.police.uk>",
             logged_with: str = "Eastmoor Police") -> bytes:
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


def eml(headers: str, body: bytes | str = b"hello\n") -> bytes:
    """``headers`` (one a line) and ``body`` as CRLF mail bytes, nothing mended."""
    if isinstance(body, str):
        body = body.encode()
    return headers.strip().replace("\n", "\r\n").encode() + b"\r\n\r\n" + body


def parsed(text: str = "", subject: str | None = "", html: str | None = None, headers=(), nested=(),
           **fields: object) -> ParsedMail:
    """A ``ParsedMail`` as the parser would leave it; ``fields`` set any other field."""
    fields.setdefault("text_source", "plain" if text else ("html" if html else "none"))
    return ParsedMail(format="eml", sha256="0" * 64, size=len(text), subject=subject, text=text,
                      html=html, headers=tuple(headers), nested=tuple(nested), **fields)
