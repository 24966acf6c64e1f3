"""Build a fictitious mail corpus with one planted applicant, for `person find` (issue 13).

    python tests/data/person/make_person_corpus.py OUT [--scale N] [--seed S]
    python tests/data/person/make_person_corpus.py --verify OUT

writes N messages (default 500) as OUT/mNNNNN.eml and OUT/expected.json:
every place where the applicant Rosalind Okafor-Hale appears (her name in
four forms, her email, her phone in four forms, her postal address), and
every place a look-alike appears that must NOT match.  Message i follows
plan entry i % 500, so the first 500 are the same at any scale and a 10k
corpus holds the same cases twenty times (with different logs, dates and
Message-IDs, so no two files are alike).  Standard library only;
deterministic for a given seed.  `--verify` re-reads the written bytes
(MIME decoding, nested messages, .docx text) and checks that they give
exactly the places in expected.json.  Everything here is fictitious:
phones 07700 900xxx / 01632 960xxx, example.* domains, the ZZ postcode area.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime
from pathlib import Path

PLAN_SIZE = 500
APPLICANT = {"name": "Rosalind Okafor-Hale", "email": "rosalind.okafor-hale@example.net",
             "phone": "07700 900461", "address": "27 Quillon Terrace, Ashbridge, ZZ9 4QT"}
# What must match, most specific first (a match is masked before the next
# pattern and before the look-alikes run).  Whitespace may be a line break.
PLANTED = [("email", r"rosalind\.okafor-hale@example\.net"), ("phone", r"\+44 \(0\)7700 900461"),
           ("phone", r"\+44 7700 900461"), ("phone", r"07700 ?900461"), ("name", r"Rosalind\s+Okafor-Hale"),
           ("name", r"Okafor-Hale,\s*Rosalind"), ("name", r"R\.\s+Okafor-Hale"), ("name", r"Ms\s+Okafor-Hale"),
           ("address", r"27 Quillon Terrace,?\s+Ashbridge,?\s+ZZ9 4QT")]
LOOKALIKES = [("email", r"rosalind\.okafor@example\.com"), ("phone", r"07700 900146"), ("phone", r"07700 900416"),
              ("name", r"Rosalind\s+Okafor\b"), ("name", r"Rosalind\s+Hale\b"), ("name", r"\bR\.\s+Hale\b"),
              ("name", r"\bMs\s+Hale\b"), ("address", r"27 Quillon Road, Ashbridge, ZZ9 4QF")]
CRU = '"NPCC CRU Mailbox" <cru@npcc.example.police.uk>'
DOCX_SUBTYPE = "vnd.openxmlformats-officedocument.wordprocessingml.document"
FORCES = [("Lancashire Constabulary", "lancashire"), ("Kent Police", "kent"), ("Dorset Police", "dorset"),
          ("Essex Police", "essex"), ("Gwent Police", "gwent"), ("Merseyside Police", "merseyside"),
          ("Sussex Police", "sussex"), ("Durham Constabulary", "durham"), ("Police Scotland", "scotland"),
          ("Cumbria Constabulary", "cumbria")]
FIRST = ["Amelia", "Bartholomew", "Cecily", "Desmond", "Elspeth", "Florian", "Gwendolyn", "Horatio", "Imelda",
         "Jasper", "Kezia", "Leopold", "Marisol", "Nathaniel", "Ottilie", "Peregrine", "Quentin", "Seraphina",
         "Thaddeus", "Ursula", "Valentina", "Wilfred", "Xanthe", "Yannick", "Zenobia"]
LAST = ["Ashcombe", "Brightwater", "Carrow", "Dunmore", "Eversleigh", "Fairweather", "Gallimore", "Hawthorne",
        "Ingleby", "Jessop", "Kilbride", "Lockwood", "Merriman", "Northcott", "Oakenfold", "Pemberton",
        "Quarrie", "Redfern", "Stainforth", "Trelawny", "Underhill", "Vexley", "Wolstenholme", "Yarrow"]
STREETS = ["Linden Avenue", "Cobble Lane", "Mariner Close", "Orchard Rise", "Tannery Row", "Willow Walk"]
TOPICS = ["drones", "Taser", "stop and search", "body-worn video", "vehicle pursuits", "overtime", "cyber crime",
          "spit and bite guards", "police dogs", "facial recognition"]
QUESTIONS = ["How many {t} incidents were recorded in each of the last three years?",
             "How much did your force spend on {t} in 2024?",
             "Please provide any policy your force holds on {t}.",
             "How many complaints about {t} were received in 2024?"]


@dataclass
class Mail:
    subject: str
    sender: str
    to: str
    body: str
    html: bool = False
    cte: str = "quoted-printable"
    attachments: list[tuple[str, object]] = field(default_factory=list)   # (name, str | bytes | Mail)


@dataclass
class Ctx:
    """What one message may vary: its number, log, force, a filler person."""
    i: int
    rng: random.Random

    def __post_init__(self) -> None:
        self.force, self.slug = self.rng.choice(FORCES)
        self.log = f"{self.i % 1900 + 20}/{23 + self.i % 3}"
        self.topic = self.rng.choice(TOPICS)
        self.officer = self.person()

    def person(self) -> dict[str, str]:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        return {"name": f"{first} {last}", "email": f"{first}.{last}@example.org".lower(),
                "phone": f"07700 900{self.rng.randrange(500, 1000):03d}",
                "address": f"{self.rng.randrange(1, 90)} {self.rng.choice(STREETS)}, Ashbridge, ZZ9 "
                           f"{self.rng.randrange(1, 9)}{self.rng.choice('ABDEFGH')}{self.rng.choice('JLNPQRS')}"}

    def force_from(self) -> str:
        return f'"{self.officer["name"]}" <{self.officer["email"].split("@")[0]}@{self.slug}.police.example>'

    def request(self) -> str:
        picked = self.rng.sample(QUESTIONS, 3)
        return "\n".join(f"{n}. {q.format(t=self.topic)}" for n, q in enumerate(picked, 1))

    def sign(self) -> str:
        return (f"Kind regards\n\n{self.officer['name']}\nDisclosure Officer, {self.force}\n"
                f"T. 01632 960{self.i % 900 + 100:03d}")


# ---------------------------------------------------------------------------
# Message kinds.  `about` is the sentence naming the applicant (or a filler
# one); each kind wraps it in its own text.
# ---------------------------------------------------------------------------

def referral(c: Ctx, about: str, **kw) -> Mail:
    body = (f"Dear CRU,\n\nWe have received the following request and would be grateful for your advice.\n"
            f"{about}\n\nRequest:\n{c.request()}\n\n{c.sign()}\n")
    return Mail(kw.pop("subject", f"Referral for advice - {c.topic}"), c.force_from(), CRU, body, **kw)


def circulation(c: Ctx, about: str, **kw) -> Mail:
    body = (f"OFFICIAL - SENSITIVE\n\nDear All,\n\nThe following FOI request has been logged in the CRU today.\n\n"
            f"Log Number: {c.log}\nCase worker: S.40(2)\nLogged with: {c.force}\n\n{about}\n\n"
            f"Applicants Request:\n{c.request()}\n\nKind regards\n\nS.40(2)\nNational Police FOI & DP "
            f"Central Referral Unit\n")
    subject = kw.pop("subject", f"Log No. {c.log} - S.40(2) - CRU Circulation - {c.topic}")
    return Mail(subject, CRU, CRU, body, **kw)


def force_reply(c: Ctx, about: str, **kw) -> Mail:
    body = (f"Hi CRU,\n\nOur response on {c.topic} went out today; we disclosed the totals and applied "
            f"s31(1)(a) to the rest. {about}\n\n{c.sign()}\n")
    return Mail(kw.pop("subject", f"RE: Log No. {c.log} - CRU Circulation - {c.topic}"), c.force_from(), CRU,
                body, **kw)


def query(c: Ctx, about: str, **kw) -> Mail:
    body = (f"Hello,\n\nA quick question on a request about {c.topic} before we refer it. {about}\n"
            f"Is there a national line on this?\n\n{c.sign()}\n")
    return Mail(kw.pop("subject", f"Query - {c.topic}"), c.force_from(), CRU, body, **kw)


KINDS = [referral, circulation, force_reply, query]


def filler_about(c: Ctx) -> str:
    p = c.person()
    return c.rng.choice([f"The applicant is {p['name']} ({p['email']}).", f"The requester gave {p['phone']}.",
                         "The applicant's details are withheld (S.40(2)).", "",
                         f"We replied to {p['name']} at {p['address']}."])


def letter(who: str, lines: list[str]) -> str:
    return "Dear Sir or Madam,\n\n" + "\n".join(lines) + f"\n\nYours faithfully,\n{who}\n"


def docx(paragraphs: list[str]) -> bytes:
    """A minimal .docx: the three parts Word and python-docx need, fixed dates."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    lines = [line for paragraph in paragraphs for line in paragraph.split("\n")]
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{html.escape(line, quote=False)}</w:t></w:r></w:p>'
                   for line in lines)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}'
                             "</w:body></w:document>"}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as package:
        for name, text in parts.items():
            package.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "\n".join(html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)))
                     for p in re.findall(r"<w:p>(.*?)</w:p>", xml))


def applicant_mail(c: Ctx, who: str = "Rosalind Okafor-Hale", subject: str = "Freedom of Information request",
                   **kw) -> Mail:
    body = letter(who, [f"Under the Freedom of Information Act please tell me about {c.topic}.", c.request()])
    return Mail(subject, f'"{who}" <{APPLICANT["email"]}>', f"foi@{c.slug}.police.example", body, **kw)


# ---------------------------------------------------------------------------
# The planted cases (P) and look-alikes (D): one builder each.
# ---------------------------------------------------------------------------

A = APPLICANT
ADDRESS_LINES = "27 Quillon Terrace\nAshbridge\nZZ9 4QT"
CASES = {
    "P01-body-all": lambda c: referral(c, f"The applicant is Rosalind Okafor-Hale ({A['email']}, 07700 900461)."),
    "P02-subject-only": lambda c: referral(c, "", subject=f"FOI referral - Ms Okafor-Hale - {c.topic}"),
    "P03-circulation-unredacted": lambda c: circulation(c, "Applicant: OKAFOR-HALE, Rosalind"),
    "P04-reply-initial": lambda c: force_reply(c, "We have now responded to R. Okafor-Hale."),
    "P05-html-only-body": lambda c: Mail(
        f"Query - {c.topic}", c.force_from(), CRU,
        f"<html><body><p>Has anyone else had a request from <b>Ms Okafor-Hale</b>?</p><p>She gives her number "
        f"as +44 7700 900461.</p><p>{html.escape(c.sign())}</p></body></html>", html=True),
    "P06-txt-attachment": lambda c: referral(c, "Her letter is attached.", attachments=[(
        "request.txt", letter("Rosalind Okafor-Hale", [c.request(), f"\n{ADDRESS_LINES}\n07700900461"]))]),
    "P07-csv-attachment": lambda c: query(c, "Our log of repeat requesters is attached.", attachments=[(
        "requesters.csv", "ref,received,applicant,email,phone,address\n"
        f"FOI/2025/{c.i % 900 + 100},03/02/2025,\"Okafor-Hale,Rosalind\",{A['email']},07700 900461,"
        f"\"{A['address']}\"\n" + filler_csv_rows(c))]),
    "P08-docx-attachment": lambda c: referral(c, "The request letter is attached.", attachments=[(
        "request letter.docx", docx(["Dear Sir or Madam,", c.request(), "Yours faithfully,",
                                     "Rosalind Okafor-Hale", A["address"], "+44 (0)7700 900461"]))]),
    "P09-attachment-name": lambda c: referral(c, "See the attached.", attachments=[(
        "Rosalind Okafor-Hale - FOI request.txt", letter("the applicant", [c.request()]))]),
    "P10-nested-eml": lambda c: referral(c, "The applicant's email is attached.", attachments=[(
        "original request.eml", applicant_mail(c))]),
    "P11-nested-eml-with-txt": lambda c: referral(c, "Forwarded with her letter.", attachments=[(
        "fwd.eml", Mail("FW: request", c.force_from(), f"foi@{c.slug}.police.example", "See attached.\n",
                        attachments=[("letter.txt", letter("R. Okafor-Hale", [c.request()]))]))]),
    "P12-nested-eml-with-docx": lambda c: query(c, "Her original is attached.", attachments=[(
        "her email.eml", applicant_mail(c, who="the applicant", attachments=[(
            "questions.docx", docx([c.request(), "Ms Okafor-Hale", "07700 900461"]))]))]),
    "P13-two-levels": lambda c: force_reply(c, "The chain is attached.", attachments=[(
        "forwarded.eml", Mail("FW: FOI", c.force_from(), CRU, "Below.\n",
                              attachments=[("original.eml", applicant_mail(c))]))]),
    "P14-encoded-subject": lambda c: force_reply(c, "", subject=f"Re: FOI \u2013 Ms Okafor-Hale\u2019s request "
                                                              f"about {c.topic}"),
    "P15-base64-body": lambda c: force_reply(c, "R. Okafor-Hale has asked for an internal review.", cte="base64"),
    "P16-long-qp-line": lambda c: query(c, "We note that the applicant in this case, who is Rosalind Okafor-Hale, "
                                          "has written to several forces in the same week with the same words."),
    "P17-wrapped-name": lambda c: referral(c, "This is the third request this year from\nRosalind\nOkafor-Hale."),
    "P18-email-upper-case": lambda c: query(c, "Replies go to Rosalind.Okafor-Hale@Example.NET only."),
    "P19-phone-only": lambda c: force_reply(c, "The applicant rang from 07700 900461 to chase."),
    "P20-nested-to-header": lambda c: force_reply(c, "Our response is attached.", attachments=[(
        "our response.eml", Mail(f"Your FOI request - {c.topic}", f"foi@{c.slug}.police.example", A["email"],
                                 letter(c.force, ["Please find our response below.", c.request()])))]),
    "P21-html-mailto": lambda c: Mail(
        f"Referral - {c.topic}", c.force_from(), CRU,
        f'<html><body><p>Applicant: <a href="mailto:{A["email"]}">Rosalind Okafor-Hale</a></p>'
        f"<pre>{html.escape(c.request())}</pre></body></html>", html=True),
    "P22-quoted-referral": lambda c: force_reply(c, "\n\n-----Original Message-----\n> The applicant, Ms "
                                                    "Okafor-Hale, asks for the figures by district."),
    "P23-circulation-signed": lambda c: circulation(c, "Yours faithfully, R. Okafor-Hale"),
    "P24-list-with-lookalike": lambda c: query(c, "Repeat requesters this month: Rosalind Okafor (no relation), "
                                                  "OKAFOR-HALE, Rosalind, and two others."),
    "P25-subject-and-body": lambda c: circulation(c, "Applicant: R. Okafor-Hale",
                                                  subject=f"Log No. {c.log} - request from R. Okafor-Hale"),
    "P26-address-only": lambda c: force_reply(c, f"Our letter to {A['address']} came back undelivered."),
    "P27-address-block": lambda c: referral(c, f"Postal address given:\n{ADDRESS_LINES.replace(chr(10), ', ')}"),
    "P28-from-header": lambda c: applicant_mail(c, subject=f"FOI - {c.topic}"),
    "D01-other-applicant": lambda c: referral(c, "The applicant is Rosalind Okafor (rosalind.okafor@example.com, "
                                                 "07700 900146)."),
    "D02-officer-r-hale": lambda c: force_reply(c, "Any questions to PC R. Hale, who holds the records."),
    "D03-rosalind-hale": lambda c: circulation(c, "Applicant: Rosalind Hale, 07700 900416"),
    "D04-nested-okafor": lambda c: referral(c, "Attached.", attachments=[(
        "original.eml", Mail("FOI", '"Rosalind Okafor" <rosalind.okafor@example.com>', f"foi@{c.slug}.police"
                             ".example", letter("Rosalind Okafor", [c.request()])))]),
    "D05-csv-okafor": lambda c: query(c, "Log attached.", attachments=[(
        "log.csv", f"ref,applicant,phone\nFOI/2025/0{c.i % 90 + 10},Rosalind Okafor,07700 900146\n"
                   + filler_csv_rows(c))]),
    "D06-subject-okafor": lambda c: referral(c, "", subject=f"FOI request - Rosalind Okafor - {c.topic}"),
    "D07-ms-hale-html": lambda c: Mail(f"Query - {c.topic}", c.force_from(), CRU,
                                       "<html><body><p>Ms Hale in our team will reply; R. Hale is away.</p>"
                                       "</body></html>", html=True),
    "D08-near-address": lambda c: force_reply(c, "Our letter to 27 Quillon Road, Ashbridge, ZZ9 4QF came back."),
}
NAME_FORMS = ["Rosalind Okafor-Hale", "OKAFOR-HALE, Rosalind", "R. Okafor-Hale", "Ms Okafor-Hale"]
PHONE_FORMS = ["07700 900461", "+44 7700 900461", "07700900461", "+44 (0)7700 900461"]
# Every kind with every name form, phones rotating: twelve plain mentions.
VARIANTS = [(KINDS[j % 4], NAME_FORMS[(j + j // 4) % 4], PHONE_FORMS[j // 4 + j % 2]) for j in range(12)]


def filler_csv_rows(c: Ctx) -> str:
    rows = [c.person() for _ in range(3)]
    return "".join(f"FOI/2025/0{c.rng.randrange(100, 999)},{p['name']},{p['phone']}\n" for p in rows)


def plan() -> list[str]:
    """Which case each of the 500 plan slots holds: cases spread evenly, the rest filler."""
    names = list(CASES) + [f"V{n:02d}" for n in range(len(VARIANTS))]
    slots = ["filler"] * PLAN_SIZE
    for k, name in enumerate(names):
        slots[7 + k * (PLAN_SIZE - 10) // len(names)] = name
    return slots


def build(slot: str, c: Ctx) -> Mail:
    if slot in CASES:
        return CASES[slot](c)
    if slot.startswith("V"):
        kind, name, phone = VARIANTS[int(slot[1:])]
        return kind(c, f"The applicant, {name}, can be reached on {phone}.")
    kind = c.rng.choice(KINDS)
    extra = c.rng.random()
    attachments = ([("request.txt", letter(c.person()["name"], [c.request()]))] if extra < 0.08 else
                   [("log.csv", "ref,applicant,phone\n" + filler_csv_rows(c))] if extra < 0.14 else
                   [("letter.docx", docx([c.request(), c.person()["name"]]))] if extra < 0.18 else
                   [("original.eml", Mail("FOI", f'"{c.person()["name"]}" <{c.person()["email"]}>',
                                          f"foi@{c.slug}.police.example", letter("A. Requester", [c.request()])))]
                   if extra < 0.22 else [])
    return kind(c, filler_about(c), attachments=attachments)


# ---------------------------------------------------------------------------
# Writing .eml files.
# ---------------------------------------------------------------------------

def to_message(mail: Mail, ident: str, when: datetime) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    for header, value in (("From", mail.sender), ("To", mail.to), ("Subject", mail.subject),
                          ("Date", format_datetime(when)), ("Message-ID", f"<{ident}@example.police.uk>")):
        msg[header] = value
    msg.set_content(mail.body, subtype="html" if mail.html else "plain", charset="utf-8", cte=mail.cte)
    for n, (name, content) in enumerate(mail.attachments):
        if isinstance(content, Mail):
            msg.add_attachment(to_message(content, f"{ident}.{n}", when - timedelta(days=2)), filename=name)
        elif isinstance(content, bytes):
            msg.add_attachment(content, maintype="application", subtype=DOCX_SUBTYPE, filename=name)
        else:
            msg.add_attachment(content, subtype="csv" if name.endswith(".csv") else "plain", filename=name,
                               cte="quoted-printable")
    if msg.is_multipart():
        msg.set_boundary(f"=_person_{ident}")
    return msg


# ---------------------------------------------------------------------------
# Finding the places: from the Mail specs when writing, from the decoded
# bytes when verifying.  Both go through `scan`.
# ---------------------------------------------------------------------------

def visible(markup: str) -> str:
    """The text a reader sees, plus mailto targets: an address only in a link is still held."""
    markup = re.sub(r'<a\b[^>]*href="mailto:([^"?]+)[^"]*"[^>]*>', r" \1 ", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def scan(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kind, matched text) for the applicant, then for look-alikes in what is left."""
    found = {}
    for group, patterns in (("planted", PLANTED), ("lookalike", LOOKALIKES)):
        found[group] = []
        for kind, pattern in patterns:
            for match in re.finditer(pattern, text, re.IGNORECASE):
                found[group].append((kind, " ".join(match.group().split())))
            text = re.sub(pattern, lambda m: "#" * len(m.group()), text, flags=re.IGNORECASE)
    return found["planted"], found["lookalike"]


def spec_parts(mail: Mail, path: str | None = None):
    yield from (("from", path, mail.sender), ("to", path, mail.to), ("subject", path, mail.subject),
                ("body", path, visible(mail.body) if mail.html else mail.body))
    for name, content in mail.attachments:
        inner = f"{path}/{name}" if path else name
        yield "attachment_name", inner, name
        if isinstance(content, Mail):
            yield from spec_parts(content, inner)
        else:
            yield "attachment", inner, docx_text(content) if isinstance(content, bytes) else content


def byte_parts(msg: EmailMessage, path: str | None = None):
    body = msg.get_body(("plain", "html"))
    text = body.get_content() if body else ""
    yield from (("from", path, str(msg["From"] or "")), ("to", path, str(msg["To"] or "")),
                ("subject", path, str(msg["Subject"] or "")),
                ("body", path, visible(text) if body and body.get_content_subtype() == "html" else text))
    for part in msg.iter_attachments():
        name = part.get_filename()
        inner = f"{path}/{name}" if path else name
        yield "attachment_name", inner, name
        if part.get_content_type() == "message/rfc822":
            yield from byte_parts(part.get_content(), inner)
        else:
            content = part.get_content()
            yield "attachment", inner, docx_text(content) if name.endswith(".docx") else content


def places_of(file: str, parts) -> tuple[list[dict], list[dict]]:
    planted, lookalikes = [], []
    for part, path, text in parts:
        hits, misses = scan(text)
        for target, found in ((planted, hits), (lookalikes, misses)):
            for (kind, matched), count in Counter(found).items():
                target.append({"file": file, "part": part, "path": path, "kind": kind, "text": matched,
                               "count": count})
    return planted, lookalikes


def generate(out: Path, total: int, seed: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    slots, planted, lookalikes, cases = plan(), [], [], {}
    start = datetime(2023, 1, 2, 8, 0, tzinfo=timezone.utc)
    for i in range(total):
        file, slot = f"m{i:05d}.eml", slots[i % PLAN_SIZE]
        c = Ctx(i, random.Random(seed * 1_000_003 + i))
        mail = build(slot, c)
        (out / file).write_bytes(bytes(to_message(mail, f"m{i:05d}.{seed}", start + timedelta(hours=3 * i))))
        hits, misses = places_of(file, spec_parts(mail))
        planted += hits
        lookalikes += misses
        if slot != "filler":
            cases[file] = slot
    return summary(APPLICANT, total, seed, planted, lookalikes, cases)


def summary(query, total, seed, planted, lookalikes, cases) -> dict:
    files = sorted({p["file"] for p in planted})
    return {"applicant": query, "messages": total, "seed": seed,
            "counts": {"places": len(planted), "files": len(files),
                       "by_kind": dict(sorted(Counter(p["kind"] for p in planted).items())),
                       "by_part": dict(sorted(Counter(p["part"] for p in planted).items())),
                       "lookalike_places": len(lookalikes),
                       "lookalike_only_files": len({p["file"] for p in lookalikes} - set(files))},
            "files": files, "places": planted, "lookalikes": lookalikes, "cases": cases}


def verify(out: Path) -> int:
    expected = json.loads((out / "expected.json").read_text(encoding="utf-8"))
    planted, lookalikes = [], []
    for i in range(expected["messages"]):
        file = f"m{i:05d}.eml"
        msg = message_from_bytes((out / file).read_bytes(), policy=default)
        hits, misses = places_of(file, byte_parts(msg))
        planted += hits
        lookalikes += misses
    problems = [f"{name}: {len(a)} read back, {len(b)} expected" for name, a, b in
                (("places", planted, expected["places"]), ("lookalikes", lookalikes, expected["lookalikes"]))
                if a != b]
    print(f"{expected['messages']} messages, {len(planted)} places, {len(lookalikes)} look-alikes: "
          + ("; ".join(problems) or "the bytes give exactly expected.json"))
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=PLAN_SIZE, help="number of messages (default 500)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--verify", action="store_true", help="re-read OUT and compare with its expected.json")
    args = parser.parse_args(argv)
    if args.verify:
        return verify(args.out)
    result = generate(args.out, args.scale, args.seed)
    (args.out / "expected.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    print(f"wrote {args.scale} messages to {args.out}: {result['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
