"""Write tests/data/force-replies/: forces' replies to CRU circulations (issue 11).

Run from the repository root with the .venv's python (msgforge builds the
.msg files): ``python tests/data/make_force_replies.py``; ``--check`` rebuilds
into a temporary folder, compares every byte with the committed files and
checks each expected file against the register and the mail it describes.

Every reply comes from a fictitious person at a force's fictitious domain in
data/forces.example.csv; the force names are real (facts), the people, the
phones (01632 960xxx) and the mailboxes are not.  The truth in each
``.expected.json`` is written by hand in the table below (position,
exemptions, the force's own receipt date), never read back from crumail; this
script only writes it out beside the mail.  The fields are described in
force-replies/README.md.
"""

from __future__ import annotations

import csv
import filecmp
import hashlib
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime
from html import escape
from pathlib import Path
from unittest import mock

from msgforge import Message
from msgforge import _builder as msgforge_builder

HERE = Path(__file__).resolve().parent
OUT = HERE / "force-replies"
REGISTER = HERE.parents[1] / "data" / "forces.example.csv"
CRU_ADDRESS, CRU_NAME = "cru@npcc.example.police.uk", "NPCC CRU Mailbox"
CRU = f'"{CRU_NAME}" <{CRU_ADDRESS}>'
POSITIONS = {"disclose", "partial", "ncnd", "refuse", "not_held", "unclear", None}


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


# ---------------------------------------------------------------------------
# The circulations the forces answer (written to force-replies/circulations/).
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Circulation:
    key: str
    log: str
    subject: str
    sent: datetime
    message_id: str
    logged_with: str
    questions: tuple[str, ...]
    advice: tuple[str, ...] = ()
    replies_to: str | None = None     # the advice circulation threads to the first

    def paragraphs(self) -> list[str]:
        opening = ("Please see below advice in relation to the following:" if self.advice else
                   "The following FOI request has been logged in the CRU today. Advice will follow.")
        fields = [f"Log Number: {self.log}", "Case worker: S.40(2)", f"Logged with: {self.logged_with}",
                  "Sent from: S.40(2)"]
        advice = ["CRU Advice:", *self.advice] if self.advice else []
        return ["OFFICIAL - SENSITIVE\nPOLICE EYES ONLY",
                "Not to be distributed outside of the Police network without prior authorisation from the CRU",
                "Dear All,", opening, "\n".join(fields), "Applicants Request:",
                "\n".join(f"{n}. {q}" for n, q in enumerate(self.questions, 1)), *advice,
                "Kind regards", "S.40(2)\nNational Freedom of Information Referral Officer\n"
                "National Police FOI & DP Central Referral Unit\nT. 01632 960100"]

    def text(self) -> str:
        return "\n\n".join(self.paragraphs()) + "\n"

    def html(self) -> str:
        return "\n".join(f'<p class="MsoNormal">{escape(p).replace(chr(10), "<br>")}</p>'
                         for p in self.paragraphs())


DRONES_QUESTIONS = (
    "How many drones (unmanned aerial vehicles) does your force currently operate?",
    "How many times were drones deployed in each of 2023 and 2024?",
    "Please list the police stations or other sites where your drones are based.",
    "How many officers are trained as drone pilots, broken down by rank?",
)
DRONES_ADVICE = (
    "Most forces publish the size of their drone fleet and their total deployments, and Q1 and Q2 "
    "can be answered.",
    "Q3 - Forces may wish to consider s24(1) and s31(1)(a) for the locations of the bases, as "
    "disclosure would show where the capability is concentrated.",
    "Q4 - Where a rank has fewer than five pilots, forces should consider s40(2) for that figure. "
    "Forces may wish to consider s31 as well where pilots work in specialist roles.",
    "If you require any further assistance please contact the CRU.",
)
TASER_QUESTIONS = (
    "How many times was Taser drawn, aimed or discharged by your officers in 2023?",
    "How many of those uses involved a child under the age of 18?",
    "Please provide a copy of your Taser deployment policy.",
)
TASER_ADVICE = (
    "Use of force figures are published by the Home Office; s21 may apply to Q1 and Q2 for the years "
    "already published.",
    "Q3 - The policy can be disclosed; tactical content should be assessed under s31(1)(a).",
)
DRONES_SUBJECT = "Log No. 212/25 - S.40(2) - CRU Circulation (05/03/2025) - Police drones"
CIRCULATIONS = {c.key: c for c in (
    Circulation("212", "212/25", DRONES_SUBJECT, at(2025, 3, 5, 8, 30),
                "<cru.212-25.20250305083000@npcc.example.police.uk>", "Lancashire Constabulary",
                DRONES_QUESTIONS),
    Circulation("212-advice", "212/25", DRONES_SUBJECT + " - Including Advice", at(2025, 3, 7, 9, 15),
                "<cru.212-25.20250307091500@npcc.example.police.uk>", "Lancashire Constabulary",
                DRONES_QUESTIONS, DRONES_ADVICE, "<cru.212-25.20250305083000@npcc.example.police.uk>"),
    Circulation("1187", "1187/23", "Log No. 1187/23 - S.40(2) - CRU Circulation (22/12/2023) - Taser - "
                "Including Advice", at(2023, 12, 22, 10, 5),
                "<cru.1187-23.20231222100500@npcc.example.police.uk>", "Nottinghamshire Police",
                TASER_QUESTIONS, TASER_ADVICE),
)}


# ---------------------------------------------------------------------------
# The replies.  `own` is what the force wrote; the quote and headers follow
# from `quote` and `thread`.  `expect` holds the hand-written truth.
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    name: str
    form: str                  # "plain", "html" (Outlook, text/html only), "msg", "msg-html"
    force: str                 # short_name in the register
    person: str
    circ: str                  # key of the circulation answered
    sent: datetime
    own: str
    expect: dict
    subject: str | None = None   # default "RE: " + the circulation's subject
    quote: str = "original"      # "original", "outlook", "wrote", "none"
    thread: str = "both"         # "both", "in-reply-to", "references", "none"
    headers: tuple[tuple[str, str], ...] = ()
    extra: dict = field(default_factory=dict)


def expect(position, exemptions=(), *, received=None, kind="force_reply", note=""):
    return {"kind": kind, "position": position, "exemptions": sorted(exemptions),
            "received_date": received, "note": note}


OOO = (("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All"))

REPLIES = (
    Reply("01-disclose-plain-original", "plain", "Cumbria", "Harriet Quenby", "212", at(2025, 3, 5, 11, 20),
          "Good morning,\n\nCumbria will be disclosing the information requested at all four questions. We "
          "publish our fleet size already and will give the deployment figures for both years.\n\nRegards",
          expect("disclose")),
    Reply("02-disclose-html-outlook", "html", "Kent", "Tobias Lindqvist", "212-advice", at(2025, 3, 7, 14, 2),
          "Hello CRU,\n\nThank you for the advice. Kent intends to disclose the information in full: no rank "
          "has fewer than five pilots and our bases are listed on our website.\n\nKind regards",
          expect("disclose"), quote="outlook"),
    Reply("03-msg-disclose", "msg", "Dorset", "Niamh Ferrante", "212", at(2025, 3, 6, 10, 45),
          "Hi all,\n\nDorset's position: we will be disclosing everything requested. We hold two drones, "
          "shared with our alliance partner.\n\nThanks",
          expect("disclose"), quote="outlook", thread="none"),
    Reply("04-partial-plain", "plain", "Essex", "Rupert Abernathy", "212-advice", at(2025, 3, 10, 9, 30),
          "Dear CRU,\n\nEssex position - partial disclosure. Q1, Q2 and Q4 disclosed, with any rank under "
          "five shown as '<5' under s40(2). Q3 withheld under s31(1)(a).\n\nMany thanks",
          expect("partial", ["s31(1)", "s40(2)"])),
    Reply("05-partial-html", "html", "West Yorkshire", "Delphine Okoro", "212-advice", at(2025, 3, 10, 15, 12),
          "Morning,\n\nWe will provide Q1, Q2 and Q4. For Q3 we are relying on s24(1) and s31(1)(a) and will "
          "not name the sites.\n\nBest wishes",
          expect("partial", ["s24(1)", "s31(1)"]), quote="outlook"),
    Reply("06-msg-html-partial", "msg-html", "Devon and Cornwall", "Cormac Ellery", "212-advice",
          at(2025, 3, 11, 11, 0),
          "Hi,\n\nWe are disclosing Q1 to Q3 and part of Q4: two ranks have fewer than five pilots and those "
          "figures are withheld under section 40(2).\n\nThanks",
          expect("partial", ["s40(2)"]), quote="outlook", thread="none"),
    Reply("07-ncnd-plain", "plain", "Met", "Priya Castellano", "212-advice", at(2025, 3, 11, 16, 40),
          "Dear colleagues,\n\nThe MPS position is to neither confirm nor deny whether drones are deployed "
          "in the manner the applicant describes. We will rely on s23(5), s24(2) and s31(3).\n\nRegards",
          expect("ncnd", ["s23(5)", "s24(2)", "s31(3)"]), quote="wrote"),
    Reply("08-ncnd-html", "html", "GMP", "Ewan Marchetti", "212-advice", at(2025, 3, 12, 10, 5),
          "Hello,\n\nGMP will neither confirm nor deny that it holds the information, by virtue of sections "
          "24(2) and 31(3).\n\nThanks",
          expect("ncnd", ["s24(2)", "s31(3)"]), quote="outlook"),
    Reply("09-msg-refuse-date-received", "msg", "PSNI", "Aoife Brannigan", "212-advice", at(2025, 3, 12, 13, 25),
          "Dear CRU,\n\nDate received: 04/03/2025\n\nPSNI will be refusing this request in full under "
          "s24(1), s31(1)(a) and s38(1)(a).\n\nKind regards",
          expect("refuse", ["s24(1)", "s31(1)", "s38(1)"], received="2025-03-04",
                 note="Northern Ireland: St Patrick's Day (17 March 2025) falls inside the 20 working days"),
          quote="outlook", thread="none"),
    Reply("10-refuse-plain-in-reply-to", "plain", "Merseyside", "Callum Ashdown", "212-advice",
          at(2025, 3, 12, 9, 50),
          "Hi CRU,\n\nMerseyside will be refusing under s31(1)(a) and s40(2); we consider the whole "
          "request would build a picture of capability.\n\nCheers",
          expect("refuse", ["s31(1)", "s40(2)"]), thread="in-reply-to"),
    Reply("11-refuse-s12-html", "html", "Northumbria", "Isla Featherstone", "212-advice", at(2025, 3, 13, 8, 55),
          "Good morning,\n\nNorthumbria will be refusing under section 12: deployments before 2024 are only "
          "in the pilots' log books and retrieving them would exceed the appropriate limit.\n\nRegards",
          expect("refuse", ["s12"]), quote="outlook"),
    Reply("12-msg-refuse-not-disclosing", "msg", "West Midlands", "Marcus Delaney", "212-advice",
          at(2025, 3, 13, 12, 10),
          "Dear CRU,\n\nWe will not be disclosing any of the information requested; it is exempt under "
          "section 24(1) and 31(1)(a).\n\nKind regards",
          expect("refuse", ["s24(1)", "s31(1)"],
                 note="'will not be disclosing' is a refusal; '24(1) and 31(1)(a)' share one 'section'"),
          quote="outlook", thread="none"),
    Reply("13-not-held-plain", "plain", "City of London", "Fenella Rourke", "212", at(2025, 3, 6, 9, 15),
          "Hello,\n\nThe City of London Police does not operate drones, so this is information not held "
          "(s1(1)(a)). Air support in the City comes from NPAS.\n\nThanks",
          expect("not_held", note="s1(1)(a) is not an exemption")),
    Reply("14-not-held-html", "html", "BTP", "Oliver Sandoval", "212", at(2025, 3, 6, 14, 30),
          "Good afternoon,\n\nBTP holds no information within the scope of this request; drone support on "
          "the railway is provided by the Home Office force for the area.\n\nRegards",
          expect("not_held"), quote="outlook"),
    Reply("15-msg-not-held", "msg", "CNC", "Greta Halvorsen", "212", at(2025, 3, 7, 8, 40),
          "Dear CRU,\n\nThe Civil Nuclear Constabulary does not hold this information. We do not operate "
          "drones of our own.\n\nKind regards",
          expect("not_held"), quote="outlook", thread="none"),
    Reply("16-unclear-not-yet-decided", "plain", "Sussex", "Ashok Varadan", "212", at(2025, 3, 6, 12, 0),
          "Hi,\n\nWe have not yet decided how to respond to Q3 and are waiting for the advice. I will update "
          "you once we have.\n\nThanks",
          expect("unclear", note="superseded by 17 from the same force")),
    Reply("17-partial-update-same-force", "plain", "Sussex", "Ashok Varadan", "212-advice",
          at(2025, 3, 12, 15, 30),
          "Hi,\n\nFurther to my email of 6 March, we have now decided: Q1, Q2 and Q4 will be disclosed and "
          "Q3 is exempt under s31(1)(a).\n\nThanks",
          expect("partial", ["s31(1)"], note="the force's second reply; it replaces the 'unclear' of 16"),
          quote="wrote"),
    Reply("18-out-of-office-plain", "plain", "Gwent", "Morwenna Pryce", "212", at(2025, 3, 5, 8, 31),
          "Thank you for your email. I am out of the office until Monday 10 March 2025 with no access to "
          "email. For FOI matters please contact foi@gwent.police.example.",
          expect(None, kind="out_of_office",
                 note="an auto-reply is not an answer: the force still needs a chaser"),
          subject="Automatic reply: " + DRONES_SUBJECT, quote="none", thread="in-reply-to", headers=OOO),
    Reply("19-out-of-office-html", "html", "Hertfordshire", "Benedict Arkwright", "212-advice",
          at(2025, 3, 7, 9, 16),
          "I will be out of the office until 17/03/2025. If your email is urgent please contact the "
          "Information Rights team.",
          expect(None, kind="out_of_office", note="17/03/2025 is not a receipt date"),
          subject="Automatic reply: " + DRONES_SUBJECT + " - Including Advice", quote="none", thread="none",
          headers=OOO),
    Reply("20-msg-out-of-office", "msg", "Wiltshire", "Saoirse Kettering", "212", at(2025, 3, 5, 8, 32),
          "I am currently on annual leave, returning on 12 March. Your email has not been forwarded.",
          expect(None, kind="out_of_office"),
          subject="Automatic reply: " + DRONES_SUBJECT, quote="none", thread="none"),
    Reply("21-quote-only", "plain", "Staffordshire", "Lowri Penhaligon", "212-advice", at(2025, 3, 10, 11, 5),
          "",
          expect("unclear", note="sent with nothing written: the s24(1), s31(1)(a), s40(2) and s31 in the "
                                 "quoted advice are the CRU's, not the force's")),
    Reply("22-partial-date-received", "plain", "Humberside", "Declan Whitcombe", "212-advice",
          at(2025, 3, 10, 14, 0),
          "Dear CRU,\n\nDate received: 04/03/2025\nOur ref: FOI/2025/0417\n\nWe will disclose Q1 to Q3. At "
          "Q4 one rank has three pilots, so that figure will be withheld under s40(2).\n\nRegards",
          expect("partial", ["s40(2)"], received="2025-03-04",
                 note="FOI/2025/0417 is the force's own reference, not a log")),
    Reply("23-thread-headers-only", "plain", "Leicestershire", "Imogen Tremayne", "212-advice",
          at(2025, 3, 11, 10, 20),
          "Hello,\n\nLeicestershire will disclose in full.\n\nThanks",
          expect("disclose", note="the log is only in In-Reply-To and References"),
          subject="RE: CRU Circulation - Police drones", quote="none"),
    Reply("24-references-only-html", "html", "South Wales", "Rhodri Vaughan-Ellis", "212-advice",
          at(2025, 3, 11, 13, 45),
          "Bore da,\n\nSouth Wales Police does not hold this information: we have no drones of our own and "
          "use NPAS and neighbouring forces when needed.\n\nDiolch",
          expect("not_held", note="References only, no In-Reply-To"),
          subject="Police drones - South Wales position", quote="none", thread="references"),
    Reply("25-log-in-body-only", "plain", "Durham", "Keturah Blackwood", "212-advice", at(2025, 3, 12, 11, 40),
          "Dear CRU,\n\nRe CRU Log 212/25: we will be disclosing Q1, Q2 and Q4 and withholding Q3 under "
          "s31(1)(a).\n\nRegards",
          expect("partial", ["s31(1)"]),
          subject="FOI - drones - Durham response", quote="none", thread="none"),
    Reply("26-log-in-quote-only", "plain", "North Yorkshire", "Percival Oduya", "212", at(2025, 3, 6, 16, 10),
          "Afternoon,\n\nNorth Yorkshire will be disclosing in full.\n\nThanks",
          expect("disclose", note="the subject was rewritten; the log is in the quote"),
          subject="RE: FOI request - drones", thread="none"),
    Reply("27-considered-advice-not-applied", "html", "Cheshire", "Yasmin Throssell", "212-advice",
          at(2025, 3, 12, 9, 5),
          "Hi CRU,\n\nWe have considered s31 but do not consider it engaged: our drone bases are already "
          "named on our website. We will therefore be disclosing all four parts.\n\nKind regards",
          expect("disclose", note="s31 was considered and rejected; the quoted advice suggests s24(1), "
                                  "s31(1)(a) and s40(2)"),
          quote="outlook"),
    Reply("28-not-relying-on-s40", "plain", "Lincolnshire", "Alaric Penrose", "212-advice",
          at(2025, 3, 12, 10, 15),
          "Hello,\n\nWe would not be relying on s40(2), as no rank has fewer than five pilots. We will, however, "
          "be applying s31(1)(a) to Q3 and disclosing the rest.\n\nRegards",
          expect("partial", ["s31(1)"], note="s40(2) is named and disclaimed"),
          quote="wrote"),
    Reply("29-msg-threaded-leading-zero", "msg", "Avon and Somerset", "Tamsin Halloran", "212-advice",
          at(2025, 3, 13, 14, 20),
          "Dear CRU,\n\nWe are withholding Q3 under s24(1) and disclosing Q1, Q2 and Q4.\n\nThanks",
          expect("partial", ["s24(1)"], note="'0212/25' in the subject; PR_IN_REPLY_TO_ID set in the .msg"),
          subject="RE: Log No. 0212/25 - CRU Circulation - Police drones", quote="outlook",
          thread="in-reply-to"),
    Reply("30-scotland-foisa-ncnd-html", "html", "Police Scotland", "Fraser MacAulay", "212-advice",
          at(2025, 3, 13, 10, 0),
          "Good morning,\n\nPolice Scotland will neither confirm nor deny whether the information is held, "
          "in terms of section 18 of the Freedom of Information (Scotland) Act 2002, in conjunction with "
          "section 35(1)(a) and (b).\n\nRegards",
          expect("ncnd", ["s18", "s35(1)"],
                 note="FOISA sections: s18 is FOISA's neither confirm nor deny, s35 its law enforcement"),
          quote="outlook"),
    Reply("31-partial-with-ncnd-part", "plain", "Surrey", "Hermione Castellane", "212-advice",
          at(2025, 3, 13, 16, 5),
          "Hi,\n\nWe will disclose Q1 and Q2. For Q3 and Q4 we will neither confirm nor deny, relying on "
          "s24(2) and s31(3).\n\nThanks",
          expect("partial", ["s24(2)", "s31(3)"],
                 note="neither confirm nor deny for part only: the whole is a partial disclosure")),
    Reply("32-mentions-other-log", "html", "Norfolk", "Barnaby Ilesworth", "212-advice", at(2025, 3, 14, 9, 35),
          "Morning,\n\nNorfolk will be disclosing in full. Unlike Log No. 1187/23, where we withheld part of "
          "the policy under s31(1)(a), nothing here is sensitive for us.\n\nRegards",
          expect("disclose", note="1187/23 and its s31(1)(a) are another log's; this reply is about 212/25"),
          quote="outlook"),
    Reply("33-received-by-us-plain", "plain", "Nottinghamshire", "Winifred Amankwah", "1187",
          at(2024, 1, 3, 10, 30),
          "Dear CRU,\n\nReceived by us 21/12/2023.\n\nWe will be disclosing Q1 and Q2, and the policy at Q3 "
          "in full.\n\nKind regards",
          expect("disclose", received="2023-12-21",
                 note="due 23/01/2024 from the force's date; the CRU's receipt (22/12/2023) would give "
                      "24/01/2024")),
    Reply("34-msg-scotland-date-received", "msg", "Police Scotland", "Eilidh Drummond", "1187",
          at(2024, 1, 4, 11, 0),
          "Dear CRU,\n\nDate received: 21/12/2023\n\nWe will disclose Q1 and Q2. The policy at Q3 will be "
          "released with redactions under section 35(1)(a) of FOISA.\n\nKind regards",
          expect("partial", ["s35(1)"], received="2023-12-21",
                 note="Scotland: 2 January 2024 is a bank holiday there, so the deadline is 24/01/2024, "
                      "not 23/01/2024"),
          quote="outlook", thread="none"),
    Reply("35-received-long-date-html", "html", "Warwickshire", "Ignatius Farrow", "1187", at(2024, 1, 5, 9, 10),
          "Hello,\n\nWe received this request on 20 December 2023 and will be disclosing all three parts.\n\n"
          "Regards",
          expect("disclose", received="2023-12-20"), quote="outlook"),
    Reply("36-out-of-office-christmas-html", "html", "Cleveland", "Rosamund Tiernan", "1187",
          at(2023, 12, 22, 10, 6),
          "I am on leave until 2 January 2024. Merry Christmas.",
          expect(None, kind="out_of_office"),
          subject="Automatic reply: Log No. 1187/23 - S.40(2) - CRU Circulation (22/12/2023) - Taser - "
                  "Including Advice", quote="none", thread="in-reply-to", headers=OOO),
    Reply("37-partial-s21", "plain", "Bedfordshire", "Cosmo Wetherall", "1187", at(2024, 1, 8, 14, 45),
          "Hi CRU,\n\nWe will be refusing Q1 and Q2 under s21, pointing to the published Home Office tables, "
          "and disclosing the policy at Q3.\n\nThanks",
          expect("partial", ["s21"]), quote="wrote"),
)


# ---------------------------------------------------------------------------
# Rendering.
# ---------------------------------------------------------------------------

def load_register() -> dict[str, dict[str, str]]:
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        return {row["short_name"]: row for row in csv.DictReader(handle)}


def sender_of(reply: Reply, force: dict[str, str]) -> tuple[str, str]:
    domain = force["domains"].split(";")[0]
    local = reply.person.lower().replace(" ", ".").replace("'", "")
    return f"{local}@{domain}", reply.person


def signature(reply: Reply, force: dict[str, str]) -> str:
    phone = 200 + int(hashlib.sha1(reply.person.encode()).hexdigest(), 16) % 700
    return f"{reply.person}\nInformation Rights Officer, {force['name']}\nT. 01632 960{phone:03d}"


def own_text(reply: Reply, force: dict[str, str]) -> str:
    if reply.expect["kind"] == "out_of_office":
        return reply.own + "\n"
    return (reply.own + "\n\n" if reply.own else "\n") + signature(reply, force) + "\n"


def quoted_header(circ: Circulation) -> list[tuple[str, str]]:
    return [("From", f"{CRU_NAME} <{CRU_ADDRESS}>"), ("Sent", circ.sent.strftime("%d %B %Y %H:%M")),
            ("To", CRU_NAME), ("Subject", circ.subject)]


def quoted_text(reply: Reply, circ: Circulation) -> str:
    if reply.quote == "none":
        return ""
    if reply.quote == "wrote":
        lines = "\n".join(("> " + line).rstrip() for line in circ.text().splitlines())
        return f"\nOn {format_datetime(circ.sent)}, {CRU_NAME} <{CRU_ADDRESS}> wrote:\n{lines}\n"
    head = "\n".join(f"{k}: {v}" for k, v in quoted_header(circ))
    rule = "-----Original Message-----" if reply.quote == "original" else "_" * 32
    return f"\n{rule}\n{head}\n\n{circ.text()}"


def own_html(text: str) -> str:
    return "\n".join(f'<p class="MsoNormal">{escape(p).replace(chr(10), "<br>")}</p>'
                     for p in text.strip().split("\n\n"))


def html_body(reply: Reply, circ: Circulation, own: str) -> str:
    quote = ""
    if reply.quote != "none":
        head = "<br>\n".join(f"<b>{k}:</b> {escape(v)}" for k, v in quoted_header(circ))
        quote = ('<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n'
                 f'<p class="MsoNormal">{head}</p>\n</div></div>\n{circ.html()}\n')
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n'
            f'<body lang="EN-GB"><div class="WordSection1">\n{own_html(own)}\n{quote}</div></body></html>\n')


def subject_of(reply: Reply, circ: Circulation) -> str:
    return reply.subject or "RE: " + circ.subject


def reply_id(reply: Reply, address: str) -> str:
    digest = hashlib.sha1(reply.name.encode()).hexdigest()[:12]
    return f"<{digest}.{reply.sent:%Y%m%d%H%M}@{address.split('@')[1]}>"


def thread_headers(reply: Reply, circ: Circulation) -> list[tuple[str, str]]:
    chain = " ".join(filter(None, (circ.replies_to, circ.message_id)))
    return {"both": [("In-Reply-To", circ.message_id), ("References", chain)],
            "in-reply-to": [("In-Reply-To", circ.message_id)],
            "references": [("References", chain)], "none": []}[reply.thread]


def build_eml(reply: Reply, circ: Circulation, force: dict[str, str]) -> bytes:
    address, name = sender_of(reply, force)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f'"{name}" <{address}>'
    msg["To"] = CRU
    msg["Subject"] = subject_of(reply, circ)
    msg["Date"] = format_datetime(reply.sent)
    msg["Message-ID"] = reply_id(reply, address)
    for header, value in [*thread_headers(reply, circ), *reply.headers]:
        msg[header] = value
    own = own_text(reply, force)
    if reply.form == "html":
        msg.set_content(html_body(reply, circ, own), subtype="html", charset="utf-8", cte="quoted-printable")
    else:
        msg.set_content(own + quoted_text(reply, circ), charset="utf-8", cte="quoted-printable")
    return bytes(msg)


def build_msg(reply: Reply, circ: Circulation, force: dict[str, str]) -> bytes:
    address, name = sender_of(reply, force)
    own = own_text(reply, force)
    body = ({"html_body": html_body(reply, circ, own)} if reply.form == "msg-html"
            else {"text_body": own + quoted_text(reply, circ)})
    message = Message(subject=subject_of(reply, circ), sender=(address, name), to=[(CRU_ADDRESS, CRU_NAME)],
                      sent=reply.sent, **body)
    ids = {0x1035: reply_id(reply, address)}
    if reply.thread in ("both", "in-reply-to"):
        ids[0x1042] = circ.message_id
    return msg_with_ids(message, ids)


def msg_with_ids(message: Message, ids: dict[int, str]) -> bytes:
    """msgforge writes no PR_INTERNET_MESSAGE_ID (0x1035) or PR_IN_REPLY_TO_ID
    (0x1042), which Outlook keeps in a saved reply; add them beside the subject."""
    original = msgforge_builder._Props.add_unicode

    def add_unicode(props, ole, parent, prop_id, value):
        original(props, ole, parent, prop_id, value)
        if prop_id == 0x0037 and parent is ole.root:
            for extra_id, extra in ids.items():
                original(props, ole, parent, extra_id, extra)

    with mock.patch.object(msgforge_builder._Props, "add_unicode", add_unicode):
        return message.as_bytes()


def log_places(reply: Reply, circ: Circulation) -> list[str]:
    """Where the mail carries the log, from how it is built (--check reads it back from the bytes)."""
    pattern = log_pattern(circ.log)
    places = [place for place, text in (("subject", subject_of(reply, circ)), ("body", reply.own))
              if pattern.search(text)]
    places += ["quoted"] if reply.quote != "none" else []
    # a .msg keeps In-Reply-To (PR_IN_REPLY_TO_ID) but these carry no References
    eml = reply.form in ("plain", "html")
    threaded = reply.thread in ("both", "in-reply-to") or (reply.thread == "references" and eml)
    return places + (["thread"] if threaded else [])


def log_pattern(log: str) -> re.Pattern[str]:
    number, year = log.split("/")
    return re.compile(rf"(?<![\d/])0*{number}/(20)?{year}(?!\d)")


# Bank holidays inside the corpus's windows (20 Dec 2023 - 31 Jan 2024, 1 Mar - 30 Apr 2025) only.
HOLIDAYS = {"england-wales": {"2023-12-25", "2023-12-26", "2024-01-01", "2025-04-18", "2025-04-21"},
            "scotland": {"2023-12-25", "2023-12-26", "2024-01-01", "2024-01-02", "2025-04-18"},
            "northern-ireland": {"2023-12-25", "2023-12-26", "2024-01-01", "2025-03-17", "2025-04-18",
                                 "2025-04-21"}}
# Counted by hand on a calendar, to check `due_date` (FOIA s10(1), FOISA s10(1)).
HAND_DUE = {"09-msg-refuse-date-received": "2025-04-02", "22-partial-date-received": "2025-04-01",
            "33-received-by-us-plain": "2024-01-23", "34-msg-scotland-date-received": "2024-01-24",
            "35-received-long-date-html": "2024-01-22", "37-partial-s21": "2024-01-24",
            "01-disclose-plain-original": "2025-04-02"}


def due_date(start: str, nation: str) -> str:
    """The twentieth working day after `start`, skipping the nation's bank holidays."""
    day, counted = datetime.strptime(start, "%Y-%m-%d"), 0
    while counted < 20:
        day += timedelta(days=1)
        counted += day.weekday() < 5 and f"{day:%Y-%m-%d}" not in HOLIDAYS[nation]
    return f"{day:%Y-%m-%d}"


def first_circulation(log: str) -> Circulation:
    return min((c for c in CIRCULATIONS.values() if c.log == log), key=lambda c: c.sent)


def expected_of(reply: Reply, circ: Circulation, force: dict[str, str]) -> dict:
    truth = dict(reply.expect)
    note = truth.pop("note")
    start = truth["received_date"] or f"{first_circulation(circ.log).sent:%Y-%m-%d}"
    return {"kind": truth.pop("kind"), "log": circ.log, "force": force["name"], **truth,
            "due_date": due_date(start, force["nation"]),
            "act": "FOISA" if force["nation"] == "scotland" else "FOIA",
            "log_found_in": log_places(reply, circ), "replies_to": circ.message_id, "note": note}


def circulation_eml(circ: Circulation) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = CRU
    msg["To"] = CRU
    msg["Subject"] = circ.subject
    msg["Date"] = format_datetime(circ.sent)
    msg["Message-ID"] = circ.message_id
    if circ.replies_to:
        msg["In-Reply-To"] = circ.replies_to
        msg["References"] = circ.replies_to
    msg.set_content(circ.text(), charset="utf-8", cte="quoted-printable")
    return bytes(msg)


def write_all(out: Path) -> None:
    register = load_register()
    (out / "circulations").mkdir(parents=True, exist_ok=True)
    for circ in CIRCULATIONS.values():
        (out / "circulations" / f"circulation-{circ.key}.eml").write_bytes(circulation_eml(circ))
    for reply in REPLIES:
        circ, force = CIRCULATIONS[reply.circ], register[reply.force]
        suffix = ".msg" if reply.form.startswith("msg") else ".eml"
        data = (build_msg if suffix == ".msg" else build_eml)(reply, circ, force)
        (out / (reply.name + suffix)).write_bytes(data)
        text = json.dumps(expected_of(reply, circ, force), indent=2, ensure_ascii=False) + "\n"
        (out / (reply.name + ".expected.json")).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# --check: the committed folder is what this script writes, and each truth is
# consistent with the register and with the text it describes.
# ---------------------------------------------------------------------------

EXEMPTION = re.compile(r"s\d{2}(\(\d\))?")


def read_back(path: Path) -> tuple[str, str, str]:
    """Subject, decoded body and thread headers of a written reply, read with
    the standard library (.eml) or extract-msg (.msg), not with crumail."""
    if path.suffix == ".msg":
        import extract_msg
        with extract_msg.openMsg(str(path)) as item:
            return item.subject or "", item.body or "", item.inReplyTo or ""
    msg = message_from_bytes(path.read_bytes(), policy=default)
    body = msg.get_body(("plain", "html")).get_content()
    return str(msg["Subject"]), body, f"{msg['In-Reply-To'] or ''} {msg['References'] or ''}"


def date_forms(iso: str) -> list[str]:
    day = datetime.strptime(iso, "%Y-%m-%d")
    return [day.strftime("%d/%m/%Y"), f"{day.day} {day:%B %Y}"]


def problems_of(reply: Reply, out: Path, register: dict[str, dict[str, str]]) -> list[str]:
    circ, force, truth = CIRCULATIONS[reply.circ], register.get(reply.force), reply.expect
    if force is None:
        return [f"{reply.name}: {reply.force} is not in the register"]
    places, pattern = log_places(reply, circ), log_pattern(circ.log)
    subject, body, thread = read_back(next(out.glob(reply.name + ".*[gl]")))
    seen = {"subject": bool(pattern.search(subject)), "text": bool(pattern.search(body)),
            "thread": circ.message_id in thread}
    said = {"subject": "subject" in places, "text": "body" in places or "quoted" in places,
            "thread": "thread" in places}
    bad = [f"log in the {part}: {seen[part]}, expected {said[part]}" for part in seen if seen[part] != said[part]]
    bad += ["own text missing"] if reply.own.split("\n")[0] not in body else []
    bad += [f"position {truth['position']!r}"] if truth["position"] not in POSITIONS else []
    bad += [f"exemption {e!r}" for e in truth["exemptions"] if not EXEMPTION.fullmatch(e)]
    bad += ["an out-of-office has a position"] if truth["kind"] == "out_of_office" and truth["position"] else []
    if truth["received_date"] and not any(form in reply.own for form in date_forms(truth["received_date"])):
        bad.append(f"received {truth['received_date']} not written in the reply")
    return [f"{reply.name}: {b}" for b in bad]


def check() -> int:
    register = load_register()
    problems = [p for reply in REPLIES for p in problems_of(reply, OUT, register)]
    for reply in REPLIES:
        due = expected_of(reply, CIRCULATIONS[reply.circ], register[reply.force])["due_date"]
        if reply.name in HAND_DUE and HAND_DUE[reply.name] != due:
            problems.append(f"{reply.name}: due {due}, counted by hand {HAND_DUE[reply.name]}")
    with tempfile.TemporaryDirectory() as tmp:
        write_all(Path(tmp))
        compared = filecmp.dircmp(tmp, OUT, ignore=["README.md"])
        problems += [f"differs from a fresh build: {n}" for n in compared.diff_files + compared.left_only
                     + compared.right_only]
        sub = compared.subdirs.get("circulations")
        problems += ([f"differs: circulations/{n}" for n in sub.diff_files + sub.left_only + sub.right_only]
                     if sub else ["circulations/ missing"])
    for problem in problems:
        print(problem)
    print(f"{len(REPLIES)} replies, {len(CIRCULATIONS)} circulations, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(check())
    write_all(OUT)
    print(f"wrote {len(REPLIES)} replies and {len(CIRCULATIONS)} circulations to {OUT}")
