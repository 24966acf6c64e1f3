"""Fictitious test mail built with the standard library."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone


def circulation(log: str = "301/24", body_extra: str = "", subject: str | None = None,
                n: int = 0) -> bytes:
    msg = EmailMessage()
    msg["From"] = '"NPCC CRU Mailbox" <cru@npcc.example.police.uk>'
    msg["To"] = '"Eastmoor FOI" <foi@eastmoor.example.police.uk>'
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
