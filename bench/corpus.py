"""A generated corpus of fictitious referral-unit mail, for benchmarks.

Every fifth message carries an Outlook .msg attachment built with msgforge
(the earlier circulation it refers to), as the unit's real mail does.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from msgforge import Message

FORCES = ["Northshire Police", "Westvale Police", "Eastmoor Constabulary", "Harbourmouth Police",
          "Fenland Valley Police", "Kestrel Downs Constabulary"]
TOPICS = ["speed cameras", "drone deployments", "body-worn video", "stop and search",
          "missing persons", "cyber crime reports", "firearms licensing", "police dogs",
          "vehicle pursuits", "facial recognition", "overtime spending", "custody deaths"]
ASKS = ["How many {t} were recorded in each of the last three years?",
        "What was the total cost of {t} in 2023?",
        "Please provide any policy or guidance on {t}.",
        "How many officers are trained in {t}?",
        "Please break down the figures for {t} by district."]
ADVICE = ["Forces have released figures on {t} before and we see no harm in doing so.",
          "Consider s12 if retrieving the {t} data needs a manual search.",
          "Where the {t} policy is published, s21 applies: give the link.",
          "Low numbers of {t} may identify individuals; consider s40(2)."]


def circulation_text(rng: random.Random, log: str, topic: str) -> str:
    asks = rng.sample(ASKS, 3)
    questions = "\n".join(f"{i}) {a.format(t=topic)}" for i, a in enumerate(asks, 1))
    advice = "\n\n".join(f"Q{i} - {rng.choice(ADVICE).format(t=topic)}" for i in range(1, 4))
    return (f"OFFICIAL - SENSITIVE\nPOLICE EYES ONLY\n\nDear All,\n\nLog Number: {log}\n"
            f"Case worker: S.40(2)\nLogged with: {rng.choice(FORCES)}\nSent from: S.40(2)\n\n"
            f"Applicants Request:\n{questions}\n\nCRU Advice:\n{advice}\n\nKind regards\n\nS.40(2)\n")


def earlier_msg(rng: random.Random, log: str, topic: str) -> bytes:
    message = Message(subject=f"Log No. {log} CRU Circulation - Including Advice",
                      text_body=circulation_text(rng, log, topic),
                      to=[("foi@force.example.police.uk", "Force FOI")],
                      sender=("cru@npcc.example.police.uk", "NPCC CRU Mailbox"))
    return message.as_bytes()


def one(rng: random.Random, n: int, start: datetime) -> bytes:
    log, topic = f"{n + 1}/24", rng.choice(TOPICS)
    mail = EmailMessage()
    mail["From"] = '"NPCC CRU Mailbox" <cru@npcc.example.police.uk>'
    mail["To"] = '"Force FOI" <foi@force.example.police.uk>'
    mail["Subject"] = f"Log No. {log} - {topic} - CRU Circulation - Including Advice"
    mail["Date"] = format_datetime(start + timedelta(minutes=17 * n))
    mail["Message-ID"] = f"<bench.{n}.{rng.getrandbits(40):x}@npcc.example.police.uk>"
    mail.set_content(circulation_text(rng, log, topic))
    if n % 5 == 0:
        earlier = f"{rng.randint(100, 999)}/23"
        mail.add_attachment(earlier_msg(rng, earlier, topic), maintype="application",
                            subtype="vnd.ms-outlook", filename=f"Log No. {earlier} Circulation.msg")
    return bytes(mail)


def build(folder: Path, count: int, seed: int = 43) -> list[Path]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 2, 8, 0, tzinfo=timezone.utc)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n:05d}.eml"
        path.write_bytes(one(rng, n, start))
        paths.append(path)
    return paths
