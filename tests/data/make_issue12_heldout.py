"""A second, held-out-style set for issue 12's classes (fictitious people only).

Run from the repository root: ``python tests/data/make_issue12_heldout.py``.
Written in other styles than make_issue12_fixtures.py: other phrasing,
fields in another order, HTML as Gmail and Thunderbird write it (``<div>``
lines, ``<ul><li>`` lists, ``<blockquote>`` quotes), other subjects.  The
expected readings are written by hand below, beside each message, and this
script writes them as the ``.expected.json`` files; they name only the
fields that the class is about (``crumail eval`` scores what a file names).

Honesty note: these were written by the engineer who had just changed the
reader, so they are not truly held out; they are scored as they came out
the first time in ISSUE12-NOTES.md.
"""

from __future__ import annotations

import json

from make_eml_fixtures import CRU, HERE, mail

ACPO = '"ACPO CRU Mailbox" <cru@acpo.example.police.uk>'
MESSAGES: dict[str, tuple] = {}


def message(name: str, expected: dict):
    def register(build):
        MESSAGES[name] = (build, expected)
        return build
    return register


def q(*texts: str, label: str = "•") -> list[dict]:
    # A <ul> item reads as "-" (as 033 in the corpus); Outlook's "·" and "•" + tab as "•".
    return [{"number": i, "label": label, "text": t} for i, t in enumerate(texts, 1)]


# -- bullets ------------------------------------------------------------------

@message("201-heldout-bullets-gmail-ul.eml", {
    "kind": "circulation", "primary_log": "1031/25", "log_numbers": ["1031/25"],
    "questions": q("The number of tasers issued to officers in 2024.",
                   "The number of times a taser was drawn but not fired.",
                   "Any guidance issued to officers on use near children.", label="-"),
    "advice": [
        {"questions": [], "heading": None,
         "text": "For ease of reference the bullets have been numbered 1 to 3."},
        {"questions": [1, 2], "heading": "Q1 & Q2", "text": "Usage statistics are published quarterly by the Home Office; s21."},
        {"questions": [3], "heading": "Q3", "text": "Guidance can be disclosed with the names of authors removed under s40(2)."},
    ],
    "exemptions": ["s21", "s40(2)"],
})
def _201():
    html = """<div dir="ltr"><div>OFFICIAL</div><div><br></div><div>Good morning all,</div>
<div>Please see below a request logged in the CRU.</div><div><br></div>
<div>Case worker: Tomasz Wrobel</div><div>Log Number: 1031/25</div><div>Logged with: Eastwold Police</div>
<div><br></div><div><b>Applicants Request</b></div>
<ul><li>The number of tasers issued to officers in 2024.</li>
<li>The number of times a taser was drawn but not fired.</li>
<li>Any guidance issued to officers on use near children.</li></ul>
<div><b>CRU Advice</b></div>
<div>For ease of reference the bullets have been numbered 1 to 3.</div><div><br></div>
<div>Q1 &amp; Q2 - Usage statistics are published quarterly by the Home Office; s21.</div><div><br></div>
<div>Q3 - Guidance can be disclosed with the names of authors removed under s40(2).</div>
<div><br></div><div>Regards</div><div>Tomasz Wrobel</div></div>"""
    return mail("Log No. 1031/25 - CRU Circulation (14/07/2025) - Taser use - Including Advice", html=html,
                date="Mon, 14 Jul 2025 08:40:00 +0100")


@message("202-heldout-bullets-tab-advice-first.eml", {
    "kind": "circulation", "primary_log": "77/26", "log_numbers": ["77/26"],
    "questions": q("How many Special Constables resigned in 2025?",
                   "What were the reasons given, by category?",
                   "How many were re-recruited as regular officers?"),
    "exemptions": ["s40(2)"],
})
def _202():
    body = """Dear colleagues

Log Number: 77/26
Logged with: Brackenford Police
Case worker: S.40(2)
Sent from: S.40(2)

Applicants Request:
Under the FOI Act please tell me:
\u2022\tHow many Special Constables resigned in 2025?
\u2022\tWhat were the reasons given, by category?
\u2022\tHow many were re-recruited as regular officers?

CRU Advice:
We have numbered the bullet points 1 to 3.
Q1 - Totals are not sensitive.
Q2 - Where a category holds fewer than five people consider s40(2).
Q3 - Totals are not sensitive.

Kind regards
S.40(2)
"""
    return mail("Log No. 77/26 - CRU Circulation (12/01/2026) - Special Constables", body,
                date="Mon, 12 Jan 2026 10:00:00 +0000")


# -- force queries -------------------------------------------------------------

@message("211-heldout-force-query-gmail.eml", {"kind": "force_query", "log_numbers": [], "primary_log": None})
def _211():
    html = """<div dir="ltr"><div>Hi team,</div><div><br></div>
<div>We've been sent a request asking for the make and model of every unmarked car on our fleet.
I don't think it has gone to you yet. Does it need to come to the CRU as a referral, or can we
just refuse it locally under s31?</div><div><br></div><div>Our reference for it is FOI 2025-00412.</div>
<div><br></div><div>Thanks</div><div>Bea Okonjo</div><div>Disclosure, Millbrook Police</div></div>"""
    return mail("Quick question - unmarked vehicles request", html=html,
                sender='"Bea Okonjo" <bea.okonjo@millbrook.example.police.uk>', to=CRU,
                date="Tue, 03 Jun 2025 11:12:00 +0100")


@message("212-heldout-force-query-reuse-old-log.eml", {
    "kind": "force_query", "log_numbers": ["1450/24"], "primary_log": None})
def _212():
    body = """Morning,

Is the advice you circulated on Log No. 1450/24 still current? We have a near-identical
request in (our ref 2025/1107) and want to know before we answer it ourselves.

Cheers,
Olu Mbatha
Information Access, Tidewater Police
"""
    return mail("Advice still current?", body, sender='"Olu Mbatha" <olu.mbatha@tidewater.example.police.uk>',
                to=CRU, date="Wed, 04 Jun 2025 09:02:00 +0100")


# -- ACPO layout -------------------------------------------------------------------

@message("221-heldout-acpo-fields-swapped.eml", {
    "kind": "circulation", "primary_log": "612/13", "log_numbers": ["612/13"],
    "circulation_date": "2013-09-02", "case_worker": "*****S40", "protective_marking": "RESTRICTED",
    "redaction_markers": ["*****S40"], "exemptions": ["s24(1)", "s31(1)"],
    "questions": [{"number": 1, "label": "1.", "text": "How many firearms officers does the force have?"},
                  {"number": 2, "label": "2.", "text": "How many armed response vehicles are on patrol at night?"}],
})
def _221():
    body = """RESTRICTED
*** ALL TO READ ***

National advice - CRU Case No 000612/13

Caseworker: *****S40   Date created: 02/09/2013
Logged with: Lowmoor Police

Request:
1. How many firearms officers does the force have?
2. How many armed response vehicles are on patrol at night?

Advice:
Q1 - The total can be given.
Q2 - Patrol numbers would show capacity; s24(1) and s31(1)(a) apply.

*** ALL TO READ ***
RESTRICTED
"""
    return mail("National advice - CRU Case No 000612/13 - Armed policing", body, sender=ACPO,
                date="Mon, 02 Sep 2013 15:00:00 +0100")


@message("222-heldout-acpo-protect-html.eml", {
    "kind": "circulation", "primary_log": "88/12", "log_numbers": ["88/12"],
    "circulation_date": "2012-02-20", "case_worker": "*******S40(2)", "protective_marking": "PROTECT",
    "redaction_markers": ["*******S40(2)"], "exemptions": ["s40(2)"],
})
def _222():
    html = """<html><body><p>PROTECT</p><p>*** ALL TO READ ***</p>
<p>National advice - CRU Case No 000088/12 - Police dogs</p>
<table><tr><td>Date created:</td><td>20/02/2012</td><td>Caseworker:</td><td>*******S40(2)</td></tr>
<tr><td>Logged with:</td><td>Kestrel Vale Police</td></tr></table>
<p>Request</p><ol><li>How many police dogs does the force have?</li><li>What are the dogs' names?</li></ol>
<p>Advice</p><p>Q1 - Can be given.</p><p>Q2 - Names of dogs are not personal data; but handler names should be withheld under s40(2).</p>
<p>*** ALL TO READ ***</p><p>PROTECT</p></body></html>"""
    return mail("National advice - CRU Case No 000088/12 - Police dogs", html=html, sender=ACPO,
                date="Mon, 20 Feb 2012 12:00:00 +0000")


# -- other Acts --------------------------------------------------------------------

@message("231-heldout-other-acts-ripa-misuse.eml", {
    "kind": "circulation", "primary_log": "520/25", "exemptions": ["s23(5)", "s31(1)"]})
def _231():
    body = """OFFICIAL - SENSITIVE

Log Number: 520/25
Case worker: S.40(2)
Logged with: Westmarch Police

Applicants Request:
1. How many authorisations were granted under section 28 of the Regulation of Investigatory Powers Act 2000?
2. How many warrants were executed under section 23 of the Misuse of Drugs Act 1971?
3. How many closure orders were made under section 80 of the Anti-social Behaviour, Crime and Policing Act 2014?

CRU Advice:
Q1 - Neither confirm nor deny; s23(5) applies.
Q2 - Totals can be given unless it would prejudice operations (s31(1)(a)).
Q3 - Closure orders are made in open court and can be given.

Kind regards
S.40(2)
"""
    return mail("Log No. 520/25 - CRU Circulation (02/06/2025) - Powers used", body,
                date="Mon, 02 Jun 2025 09:00:00 +0100")


@message("232-heldout-other-acts-ss-and-schedule.eml", {
    "kind": "circulation", "primary_log": "521/25", "exemptions": ["s12", "s40(2)"]})
def _232():
    body = """OFFICIAL

Log Number: 521/25
Case worker: S.40(2)
Logged with: Greyhaven Constabulary

Applicants Request:
1. How many people were stopped under section 43 of the Terrorism Act 2000 in 2024?
2. How many Schedule 7 examinations (Terrorism Act 2000) were carried out at ports?

CRU Advice:
Q1 - Totals are published by the Home Office; if the force must read every record, s12 applies.
Q2 - Port figures can be given; examining officers' names are exempt under s40(2).

Kind regards
S.40(2)
"""
    return mail("Log No. 521/25 - CRU Circulation (02/06/2025) - Terrorism Act stops", body,
                date="Mon, 02 Jun 2025 10:00:00 +0100")


# -- a force's own reference -------------------------------------------------------

@message("241-heldout-referral-ref-in-subject.eml", {"kind": "referral", "log_numbers": [], "primary_log": None})
def _241():
    body = """Hello CRU,

Please log the request below for national advice (Request 1207/25 on our system).

Request:
1. How many body worn cameras were lost or stolen in 2024?
2. What was the replacement cost?

Thanks,
Ines Carvalho
FOI Officer, Eastwold Police
"""
    return mail("Referral - Request 1207/25 - body worn cameras lost", body,
                sender='"Ines Carvalho" <ines.carvalho@eastwold.example.police.uk>', to=CRU,
                date="Thu, 05 Jun 2025 14:00:00 +0100")


# -- force replies ------------------------------------------------------------------

@message("251-heldout-force-reply-thunderbird.eml", {"kind": "force_reply", "log_numbers": ["1031/25"],
                                                     "advice": []})
def _251():
    html = """<html><body><p>Hi all,</p>
<p>Eastwold Police will be releasing Q1 and Q2 in full and withholding the authors' names at Q3 under s40(2).</p>
<p>Thanks,<br>Ines</p>
<div class="moz-cite-prefix">On 14/07/2025 08:40, NPCC CRU Mailbox wrote:<br></div>
<blockquote type="cite"><p>Log Number: 1031/25</p><p>Applicants Request</p></blockquote></body></html>"""
    return mail("Re: Log No. 1031/25 - CRU Circulation (14/07/2025) - Taser use - Including Advice", html=html,
                sender='"Ines Carvalho" <ines.carvalho@eastwold.example.police.uk>', to=CRU,
                date="Tue, 15 Jul 2025 10:00:00 +0100")


@message("252-heldout-force-reply-not-held.eml", {"kind": "force_reply"})
def _252():
    body = """Dear CRU

Brackenford does not hold this information: our Special Constabulary records
moved to the regional system in 2024.

Regards
Hal Pemberton
"""
    return mail("RE: Log No. 77/26 - CRU Circulation (12/01/2026) - Special Constables", body,
                sender='"Hal Pemberton" <hal.pemberton@brackenford.example.police.uk>', to=CRU,
                date="Tue, 13 Jan 2026 10:00:00 +0000")


# -- clarification -------------------------------------------------------------------

@message("261-heldout-clarification-force-tells.eml", {"kind": "clarification"})
def _261():
    body = """Hi CRU,

Quick update on 520/25 - the applicant has been asked to clarify which year they
want figures for, so the request is on hold until they come back to us.

Thanks
Priya
"""
    return mail("RE: Log No. 520/25 - CRU Circulation (02/06/2025) - Powers used", body,
                sender='"Priya Lal" <priya.lal@westmarch.example.police.uk>', to=CRU,
                date="Wed, 04 Jun 2025 10:00:00 +0100")


@message("262-heldout-clarification-cru-asks.eml", {"kind": "clarification"})
def _262():
    body = """Dear Ines,

Thank you for your referral. Before we log it, could you ask the applicant whether
"lost" includes cameras later recovered? The request will be on hold until then.

Kind regards
S.40(2)
"""
    return mail("Referral - body worn cameras - clarification required", body, sender=CRU,
                to='"Ines Carvalho" <ines.carvalho@eastwold.example.police.uk>',
                date="Fri, 06 Jun 2025 09:00:00 +0100")


# -- chasers ---------------------------------------------------------------------------

@message("271-heldout-chaser-reminder.eml", {"kind": "chaser"})
def _271():
    body = """Hello,

A reminder that we are still awaiting advice on the referral we sent on 5 June
(body worn cameras). The applicant is due a reply on 3 July.

Ines
"""
    return mail("Reminder: referral - body worn cameras lost", body,
                sender='"Ines Carvalho" <ines.carvalho@eastwold.example.police.uk>', to=CRU,
                date="Mon, 23 Jun 2025 09:00:00 +0100")


@message("272-heldout-chaser-cru-overdue.eml", {"kind": "chaser", "log_numbers": ["1031/25"]})
def _272():
    body = """Dear colleague,

Your force's response position on Log No. 1031/25 is now overdue. Please send it
to this mailbox by Friday.

Kind regards
S.40(2)
"""
    return mail("Log No. 1031/25 - response position overdue", body, sender=CRU,
                date="Mon, 28 Jul 2025 09:00:00 +0100")


if __name__ == "__main__":
    for name, (build, expected) in MESSAGES.items():
        (HERE / name).write_bytes(bytes(build()))
        stem = name.rsplit(".", 1)[0]
        (HERE / f"{stem}.expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
        print("wrote", name)
