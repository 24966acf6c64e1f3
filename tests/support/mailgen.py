"""Generated mail for the IMAP tests and benchmark: fictitious people only.

Names are invented, domains are ``example.*``, phone numbers are from
Ofcom's drama range (07700 900xxx).  Each message has a unique Message-ID
and subject, so a test can tell exactly which ones were stored.
"""

from __future__ import annotations

import random
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

FORCES = ("Northshire Constabulary", "Westvale Police", "Eastmoor Police", "Southdale Constabulary")
PEOPLE = ("Alex Penhallow", "Jordan Tremayne", "Sam Okonjo-Reed", "Robin Castellan", "Casey Arbuthnot")
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def message(n: int, tag: str = "t", size: int = 0) -> bytes:
    """Message number ``n``: a small circulation-like mail (``size`` pads the body)."""
    rng = random.Random(f"{tag}-{n}")
    person, force = rng.choice(PEOPLE), rng.choice(FORCES)
    log_number = f"{100 + n}/26"
    mail = EmailMessage()
    mail["From"] = f"{person} <{person.split()[0].lower()}@example.police.uk>"
    mail["To"] = "CRU Mailbox <cru@example.police.uk>"
    mail["Subject"] = f"Log No. {log_number} - {tag} message {n} - CRU Circulation"
    mail["Date"] = format_datetime(START + timedelta(minutes=n))
    mail["Message-ID"] = f"<{tag}.{n}@example.police.uk>"
    body = (f"Good morning,\n\nPlease find the request logged with {force}.\n\n"
            f"1) How many requests were received in 2025?\n2) How many were refused under s12?\n\n"
            f"Contact: {person}, 07700 900{n % 1000:03d}\n")
    if size:
        body += ("x" * 70 + "\n") * max(0, size // 71)
    mail.set_content(body)
    return mail.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def messages(count: int, tag: str = "t", first: int = 1) -> list[bytes]:
    return [message(n, tag) for n in range(first, first + count)]


def message_ids(count: int, tag: str = "t", first: int = 1) -> set[str]:
    return {f"<{tag}.{n}@example.police.uk>" for n in range(first, first + count)}
