"""Write the Outlook .msg half of the golden corpus with msgforge.

Run from the repository root: ``python tests/data/make_msg_fixtures.py``.
msgforge (MIT) builds .msg files without Outlook; the expected JSON beside
each was checked field by field by hand (see make_eml_fixtures.py).  People, forces and numbers are fictitious.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from msgforge import Message

HERE = Path(__file__).resolve().parent
CRU = ("cru@npcc.example.police.uk", "NPCC CRU Mailbox")
FORCE = ("foi@force.example.police.uk", "Force FOI")

CIRCULATION_HTML = """<html><body>
<p><b>OFFICIAL - SENSITIVE</b></p>
<p><b>POLICE EYES ONLY</b></p>
<p>Dear All,</p>
<p>The following FOI request has been logged in the CRU today. Advice is at the end of the message.</p>
<table>
<tr><td>Log Number:</td><td>45/25</td></tr>
<tr><td>Case worker:</td><td>S.40(2)</td></tr>
<tr><td>Logged with:</td><td>Cinderford Police</td></tr>
<tr><td>Sent from:</td><td>S.40(2)</td></tr>
</table>
<p><b>Applicants Request:</b></p>
<p>1) How many stop and search encounters took place in 2024?</p>
<p>2) How many of those encounters led to an arrest?</p>
<p>3) How many body-worn video recordings of those encounters were retained?</p>
<p><b>CRU Advice:</b></p>
<p>Stop and search data is published nationally and s21 is likely to apply to Q1 and Q2.</p>
<p>Q3 &#8211; Retention figures can be provided if held; s12 may apply if each record must be checked.</p>
<p>Kind regards</p>
<p>S.40(2)</p>
</body></html>"""


def circulation() -> Message:
    return Message(
        subject="Log No. 45/25 - CRU Circulation (13/01/2025) - Stop and search",
        html_body=CIRCULATION_HTML, sender=CRU, to=[FORCE],
        sent=datetime(2025, 1, 13, 9, 0, tzinfo=timezone.utc),
    )


def out_of_office() -> Message:
    return Message(
        subject="Automatic reply: Log No. 45/25 - CRU Circulation (13/01/2025) - Stop and search",
        text_body="I am currently out of the office on annual leave, returning on 20 January.\n"
                  "For anything urgent please call 01632 960318.\n",
        sender=("imogen.carter@force.example.police.uk", "Imogen Carter"), to=[CRU],
        sent=datetime(2025, 1, 13, 9, 5, tzinfo=timezone.utc),
    )


def referral() -> Message:
    text = ("Dear CRU,\n\nWe have received the following request and would be grateful for your advice "
            "before we respond. Our ref FOI-2025-0193.\n\nRequest:\n"
            "a) How many officers hold a second job or business interest?\n"
            "b) How many applications for a business interest were refused in 2024?\n\n"
            "Kind regards\nCallum Reid\nFOI Officer\n")
    return Message(subject="Referral for advice - business interests", text_body=text,
                   sender=("callum.reid@force.example.police.uk", "Callum Reid"), to=[CRU],
                   sent=datetime(2025, 2, 3, 14, 30, tzinfo=timezone.utc))


def forward_with_msg() -> Message:
    outer = Message(
        subject="FW: Log No. 45/25 - CRU Circulation (13/01/2025) - Stop and search",
        html_body="<p>Hi both, see the attached circulation - advice included.</p><p>Ola</p>",
        sender=("ola.nwosu@force.example.police.uk", "Ola Nwosu"), to=[FORCE],
        sent=datetime(2025, 1, 14, 8, 0, tzinfo=timezone.utc),
    )
    outer.attach_bytes("Log No.00004525 CRU Circulation (13012025).msg", circulation().as_bytes(),
                       mime_type="application/vnd.ms-outlook")
    return outer


FIXTURES = {
    "029-msg-circulation-html.msg": circulation,
    "030-msg-out-of-office.msg": out_of_office,
    "031-msg-referral-text.msg": referral,
    "036-msg-forward-attached-msg.msg": forward_with_msg,
}

if __name__ == "__main__":
    for name, build in FIXTURES.items():
        build().save(HERE / name)
        print("wrote", name)
