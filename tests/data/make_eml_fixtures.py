"""Write the .eml half of the golden corpus (fictitious people and forces only).

Run from the repository root: ``python tests/data/make_eml_fixtures.py``.
Each message is built with the stdlib email package so that its transfer
encoding (quoted-printable, base64, 8-bit windows-1252, format=flowed) is
exactly what the fixture means to test.  This script never touches the
.expected.json beside each file: those were first drafted from the
extractor's output and then checked field by field against the text by
hand.  After a change, review the difference before accepting it.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRU = '"NPCC CRU Mailbox" <cru@npcc.example.police.uk>'
SIGNATURE = """Kind regards

S.40(2)
National Freedom of Information Referral Officer
National Police FOI & DP Central Referral Unit
T. 01632 960100
E. S.31(1)
W. www.npcc.example.police.uk
"""


def mail(subject, body=None, *, html=None, sender=CRU, to='"Force FOI" <foi@force.example.police.uk>',
         date="Mon, 06 Jan 2025 09:15:00 +0000", cte="quoted-printable", charset="utf-8",
         headers=(), flowed=False, attach=(), msgid=None):
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = msgid or f"<{hashlib.sha1(subject.encode()).hexdigest()[:16]}@example.police.uk>"
    for name, value in headers:
        msg[name] = value
    if body is not None:
        msg.set_content(body, charset=charset, cte=cte)
        if flowed:
            msg.set_param("format", "flowed")
        if html is not None:
            msg.add_alternative(html, subtype="html", charset=charset, cte=cte)
    elif html is not None:
        msg.set_content(html, subtype="html", charset=charset, cte=cte)
    for inner, filename in attach:
        msg.add_attachment(inner, filename=filename)
    if msg.is_multipart():  # a fixed boundary keeps the files byte-identical on every run
        msg.set_boundary("=_crumail_" + hashlib.sha1(subject.encode()).hexdigest()[:12])
    return msg


def write(name, msg):
    (HERE / name).write_bytes(bytes(msg))


MESSAGES = {}


def fixture(name):
    def register(build):
        MESSAGES[name] = build
        return build
    return register


@fixture("001-circulation-basic.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Not to be distributed outside of the Police network without prior
authorisation from the CRU

Dear All,

The following FOI request has been logged in the CRU today. Advice is at
the end of the message.

Log Number: 112/24
Case worker: S.40(2)
Logged with: Wessex Police
Sent from: S.40(2)

Applicants Request:
I am writing to ask for the following information about the use of
spit and bite guards by your force.

1. How many times were spit and bite guards used by officers in each of
the last three calendar years?
2. Of those uses, how many involved a person under the age of 18?
3. Please provide a copy of any policy or guidance document your force
holds on the use of spit and bite guards.

Thank you for your time.

CRU Advice:
Forces should first consider whether the request can be answered within
the cost limit; where it cannot, s12 applies to the whole request.

Q1 - Usage totals have been published by a number of forces and we see
no harm in providing annual figures.

Q2 and Q3 - Figures for children should be considered carefully where
they are very low, as disclosure could identify an individual (s40(2)).
Policy documents are usually published already, in which case s21 applies.
Any tactical content should be assessed under Section 31(1)(a).

If you require any further assistance please contact the CRU.

""" + SIGNATURE
    return mail("Log No. 112/24 - S.40(2) - CRU Circulation (23/04/2024) - Spit guards - Including Advice", body,
                date="Wed, 24 Apr 2024 08:02:00 +0100")


@fixture("002-circulation-html-outlook.eml")
def _():
    html = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt;} --></style></head>
<body lang="EN-GB"><div class="WordSection1">
<p class="MsoNormal"><b><span style="color:red">OFFICIAL-SENSITIVE</span></b><o:p></o:p></p>
<p class="MsoNormal"><b>POLICE EYES ONLY</b><o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Dear All,<o:p></o:p></p>
<p class="MsoNormal">The following FOI request has been logged in the CRU today.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">
<tr><td><p class="MsoNormal"><b>Log Number</b></p></td><td><p class="MsoNormal">517/24</p></td></tr>
<tr><td><p class="MsoNormal"><b>Case worker</b></p></td><td><p class="MsoNormal">Priya Ashdown</p></td></tr>
<tr><td><p class="MsoNormal"><b>Logged with</b></p></td><td><p class="MsoNormal">Northmoor Constabulary</p></td></tr>
<tr><td><p class="MsoNormal"><b>Sent from</b></p></td><td><p class="MsoNormal">S.40(2)</p></td></tr>
<tr><td><p class="MsoNormal"><b>Date of circulation</b></p></td><td><p class="MsoNormal">5th November 2024</p></td></tr>
</table>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b><u>Applicants Request</u></b><o:p></o:p></p>
<p class="MsoNormal">Please could you tell me the following in relation to automatic number plate recognition (ANPR):<o:p></o:p></p>
<ol style="margin-top:0cm" start="1" type="1">
<li class="MsoListParagraph">How many fixed ANPR cameras does your force operate?</li>
<li class="MsoListParagraph">How many mobile ANPR units does your force operate, and how many of these are fitted to marked vehicles?</li>
<li class="MsoListParagraph">What is the retention period for ANPR reads that do not match a vehicle of interest?</li>
</ol>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b><u>CRU Advice</u></b><o:p></o:p></p>
<p class="MsoNormal">ANPR requests are received regularly by the CRU and there is an agreed national position.<o:p></o:p></p>
<p class="MsoNormal">Question 1 &#8211; The number of fixed cameras should be neither confirmed nor denied at force level; s31(3) and s24(2) apply.<o:p></o:p></p>
<p class="MsoNormal">Question 2 &#8211; As above, the national position is to neither confirm nor deny.<o:p></o:p></p>
<p class="MsoNormal">Question 3 &#8211; Retention periods are published in the national ANPR standards and s21 can be cited with a link.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Kind regards<o:p></o:p></p>
<p class="MsoNormal">Priya Ashdown<o:p></o:p></p>
<p class="MsoNormal">National Freedom of Information Referral Officer<o:p></o:p></p>
</div></body></html>"""
    return mail("Log No.000517/24 CRU Circulation - ANPR cameras - Including Advice", html=html, cte="base64",
                date="Wed, 06 Nov 2024 07:41:00 +0000")


@fixture("003-circulation-one-line-fields-cp1252.eml")
def _():
    body = """Official – Sensitive

Dear colleagues,

Please see below a request logged today – advice follows.

Log Number: 0031/25    Case worker: Tomasz Brennan    Logged with: Avonmere Police    Sent from: Avonmere Police FOI Unit

Applicant’s Request:
(a) The number of Taser discharges by your officers in 2024.
(b) The number of Taser “red dot” incidents in 2024 where the device was not fired.
(c) The number of complaints received in 2024 that related to the use of Taser.

CRU Advice:
(a) – Discharge figures are published nationally by the Home Office, so s21 may apply.

(b) and (c) – We see no harm in providing totals. Where complaint numbers are very low please consider s40(2) before release.

Regards,
Tomasz Brennan
"""
    return mail("Log No. 31/25 – CRU Circulation 07.01.2025 – Taser", body, charset="windows-1252", cte="8bit",
                date="Tue, 07 Jan 2025 10:30:00 +0000")


@fixture("004-circulation-two-logs.eml")
def _():
    body = """OFFICIAL-SENSITIVE

Dear All,

Two near-identical requests from the same applicant have been logged in the
CRU and are circulated together.

Log Nos. 233/25 & 0241/25
Case worker: S.40(2)
Logged with: Kestrel Vale Police and Harbourside Police
Sent from: S.40(2)

Applicants Request:
Q1. How many drones does your force own?
Q2. How much did your force spend on drones in the financial year 2023/24?
Q3. How many drone pilots are trained in your force?
Q4. How many times was a drone deployed to search for a missing person in 2024?

Advice:
Q1 - This is routinely disclosed; no harm identified.

Q2 & Q4 - Spend and deployment totals can be provided; s12 may apply if
deployment logs need to be read one by one.

Q3 - Numbers of trained pilots are operational resourcing information. We
would suggest s31(1) is considered where the numbers are low.

Kind regards
S.40(2)
"""
    return mail("Log Nos. 233/25 & 0241/25 - CRU Circulation (28-11-2025) - Drones", body,
                date="Fri, 28 Nov 2025 12:00:00 +0000")


CIRC_88 = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following FOI request has been logged in the CRU today.

Log Number: 88/25
Case worker: S.40(2)
Logged with: National
Sent from: S.40(2)

Applicants Request:
1) Please state the number of officers dismissed for gross misconduct in
each of the years 2022, 2023 and 2024.
2) For each dismissal, the rank of the officer at the time of dismissal.

CRU Advice:
Q1 - Totals are published in misconduct outcome reports and s21 applies.

Q2 - Rank alongside year may identify individuals in smaller forces; s40(2)
should be considered.

Kind regards
S.40(2)
"""


@fixture("005-forwarded-outlook-block.eml")
def _():
    body = """Hi Sam,

FYI - please see the circulation below, which matches the request we had
last week.

Thanks
Ruth

From: NPCC CRU Mailbox <cru@npcc.example.police.uk>
Sent: 14 March 2025 08:12
To: FOI Unit <foi@force.example.police.uk>
Subject: Log No. 88/25 - CRU Circulation (14/03/2025) - Dismissals

""" + CIRC_88
    return mail("FW: Log No. 88/25 - CRU Circulation (14/03/2025) - Dismissals", body,
                sender='"Ruth Calloway" <ruth.calloway@force.example.police.uk>',
                to='"Sam Okafor" <sam.okafor@force.example.police.uk>', date="Fri, 14 Mar 2025 11:20:00 +0000")


@fixture("006-forwarded-original-message-legacy.eml")
def _():
    body = """Forwarded for your records.

-----Original Message-----
From: CRU Mailbox
Sent: 16 September 2014 09:04
To: FOI Leads
Subject: CRU Circulation - case no 1440/14

PROTECT – PRIVATE

Please find below details of a request received by forces.

CRU Case No: 001440/14
Case Officer: Gareth Yelland
Logged with: All forces

Request:
(1) How many stun weapons were seized in 2013?
(2) How many stun weapons disguised as torches or phones were seized in 2013?

Advice:
Question 1 - Totals held on property systems can be given.
Question 2 - This level of detail is unlikely to be held in a retrievable
form and s12 is likely to apply.

Regards
Gareth Yelland
"""
    return mail("FW: CRU Circulation - case no 1440/14", body, charset="windows-1252", cte="quoted-printable",
                sender='"Ian Pardoe" <ian.pardoe@force.example.police.uk>', date="Tue, 16 Sep 2014 10:00:00 +0100")


@fixture("007-reply-force-query.eml")
def _():
    body = """Hello CRU,

Regarding Q2 of this one - we hold rank at the time of dismissal but not in a
searchable field. Would you expect forces to read each file, or is s12
reasonable here?

Many thanks
Dev Raithatha
FOI Officer, Harbourside Police
01632 960412

On Fri, 14 Mar 2025 at 08:12, NPCC CRU Mailbox <cru@npcc.example.police.uk> wrote:
> OFFICIAL - SENSITIVE
>
> Log Number: 88/25
> Case worker: S.40(2)
> Logged with: National
>
> Applicants Request:
> 1) Please state the number of officers dismissed for gross misconduct.
> 2) For each dismissal, the rank of the officer.
"""
    return mail("RE: Log No. 88/25 - CRU Circulation (14/03/2025) - Dismissals", body,
                sender='"Dev Raithatha" <dev.raithatha@harbourside.example.police.uk>',
                to=CRU, date="Mon, 17 Mar 2025 14:05:00 +0000")


@fixture("008-out-of-office-headers.eml")
def _():
    body = """Thank you for your email. I am out of the office until Monday 13 January
with limited access to email. For urgent FOI matters please contact
foi@force.example.police.uk or call 01632 960555.
"""
    return mail("Automatic reply: Log No. 31/25 - CRU Circulation 07.01.2025 - Taser", body,
                sender='"Helen Marsh" <helen.marsh@force.example.police.uk>', to=CRU,
                headers=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")],
                date="Tue, 07 Jan 2025 10:31:00 +0000")


@fixture("009-acknowledgement-auto-generated.eml")
def _():
    body = """This is an automatic acknowledgement.

Thank you for contacting the Information Rights Unit. Your message has been
received and will be dealt with as soon as possible. Please do not reply to
this email.
"""
    return mail("Receipt: Log Nos. 233/25 & 0241/25 - CRU Circulation", body,
                sender='"Information Rights" <iru@force.example.police.uk>', to=CRU,
                headers=[("Auto-Submitted", "auto-generated")], date="Fri, 28 Nov 2025 12:01:00 +0000")


@fixture("010-out-of-office-text-only.eml")
def _():
    body = """Hi,

I'm on annual leave until 2 June and will pick this up on my return. In
my absence please contact the FOI team on 01632 960777.

Jo
"""
    return mail("Re: Log No. 12/25 CRU Circulation", body, sender='"Jo Tamblyn" <jo.tamblyn@force.example.police.uk>',
                to=CRU, date="Thu, 22 May 2025 09:00:00 +0100")


@fixture("011-referral.eml")
def _():
    body = """Good morning,

We have received the following request which we are referring to the CRU
for advice, as it touches on national security. Our ref: ABC/FOI/2024/0877.

Request:
1) How many requests for communications data did your force make in 2023?
2) How many of those requests were refused by the authorising body?
3) Which units within your force made the most requests?

The applicant has asked for the response by email.

Kind regards
Lena Szabo
Freedom of Information Officer
Brackenford Police
T. 01632 960233
"""
    return mail("FOI referral - communications data - ABC/FOI/2024/0877", body,
                sender='"Lena Szabo" <lena.szabo@brackenford.example.police.uk>', to=CRU,
                date="Thu, 12 Dec 2024 10:10:00 +0000")


@fixture("012-force-query.eml")
def _():
    body = """Hi all,

Quick query: has anyone seen a request asking for the make and model of
the body-worn video cameras used by each force? We have one in (our ref
FOI 123/24) and wondered if there is a national line before we respond on
23/01/2025.

Thanks,
Mark Ellery
Disclosure Officer
07700 900123
"""
    return mail("Body worn video - make and model", body, sender='"Mark Ellery" <mark.ellery@force.example.police.uk>',
                to=CRU, date="Mon, 13 Jan 2025 15:45:00 +0000")


@fixture("013-sparse-circulation.eml")
def _():
    body = """Log Number: 9/25

Applicants Request:
Please tell me how many police dogs your force retired in 2024 and what
happened to them after retirement.
"""
    return mail("Log No. 9/25 CRU Circulation", body, date="Fri, 10 Jan 2025 09:00:00 +0000")


@fixture("014-circulation-advice-under-questions.eml")
def _():
    body = """OFFICIAL

Dear All,

Please see below advice in relation to the following:

Log Number: 402/24
Case worker: Amira Kettle
Logged with: Fenwick Police
Sent from: Fenwick Police

Applicants Request / CRU Advice

1. How many officers are currently suspended from duty?
Advice: Numbers of suspended officers are routinely published; no harm.

2. For each suspended officer, the date the suspension began.
Advice: Individual dates alongside small numbers may identify officers;
s40(2) should be considered.

3. How much has been paid in salary to suspended officers in the last year?
Advice: If a total is held this can be given; s12 if records must be
compiled by hand.

If you require any further assistance please contact the CRU.

Kind regards
Amira Kettle
"""
    return mail("Log No. 402/24 - CRU Circulation (02/09/2024) - Suspended officers", body,
                date="Mon, 02 Sep 2024 11:00:00 +0100")


@fixture("015-circulation-q-labels-xref.eml")
def _():
    body = """OFFICIAL - SENSITIVE

Dear All,

This request has been logged in the CRU today.

Log Number: 77/25
Case worker: S.40(2)
Logged with: Greyloch Police
Sent from: S.40(2)

Applicants Request:
Q1 How many drones does your force own?
Q2 Please provide, for each drone:
   a) the make and model;
   b) the date of purchase.
Q3 How many drone flights took place in 2024?

CRU Advice:
This request follows on from CRU ref: 233/25. Q1 of this request is the
same as Q1 of 233/25 and Q3 of this request corresponds to Q4 of 233/25.

Q1 - As advised under 233/25, no harm.

Q2 - Make and model of individual drones could reveal capability, so
s31(1) and s24(1) may be engaged. We suggest a total only.

Q3 - Flight totals can be given.

Kind regards
S.40(2)
"""
    return mail("Log No. 77/25 - CRU Circulation (03/02/2025) - Drones (follow-up)", body,
                date="Mon, 03 Feb 2025 09:30:00 +0000")


@fixture("016-circulation-flowed.eml")
def _():
    body = ("OFFICIAL - SENSITIVE \n\nDear All, \n\nThe request below has been logged in the CRU. \n\n"
            "Log No:0412/24 \nCase worker: Olu Pemberton \nLogged with: Marshfield Police \n"
            "Sent from: Marshfield Police \n\nApplicants Request: \n"
            "1) How many reports of stalking did your force receive in 2023, broken down \n"
            "by month? \n"
            "2) How many of those reports resulted in a charge? \n\n"
            "CRU Advice: \n"
            "Q1 - We see no harm in providing monthly totals. \n\n"
            "Q2 - Outcome figures are held on crime systems and can be given. \n\n"
            "Kind regards \nOlu Pemberton \n")
    return mail("Log No. 412/24 - CRU Circulation (19/08/2024) - Stalking", body, flowed=True,
                date="Mon, 19 Aug 2024 10:00:00 +0100")


@fixture("017-circulation-base64-long-year.eml")
def _():
    body = """OFFICIAL

Dear All,

Please be aware of the following request, which has been logged in the CRU.

Log Number: 2104/2023
Case worker: Nadia Fairbairn
Logged with: Coldharbour Police
Sent from: Coldharbour Police

Applicants Request:
- How many vehicles were stolen in your force area in 2022?
- How many of those vehicles were recovered?
- How many were keyless entry vehicles?

CRU Advice:
There are no national sensitivities with this request. Forces should answer
from their own crime recording systems.

Kind regards
Nadia Fairbairn
"""
    return mail("CRU Circulation 2104/2023 - vehicle theft", body, cte="base64",
                date="Thu, 28 Dec 2023 09:00:00 +0000")


CIRC_55 = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following request has been logged in the CRU.

Log Number: 55/25
Case worker: S.40(2)
Logged with: Ravensmoor Police
Sent from: S.40(2)

Applicants Request:
1. How many covert human intelligence sources did your force authorise in 2024?
2. How much was paid to those sources in total?

CRU Advice:
Q1 and Q2 - The national position is to neither confirm nor deny whether
information is held, citing s23(5), s24(2), s30(3), s31(3) and s38(2).

Kind regards
S.40(2)
"""


@fixture("018-forward-attached-rfc822.eml")
def _():
    inner = mail("Log No. 55/25 - CRU Circulation (20/01/2025) - CHIS", CIRC_55,
                 date="Mon, 20 Jan 2025 08:00:00 +0000", msgid="<cru-55-25@npcc.example.police.uk>")
    body = """Passing this on for awareness - the circulation is attached.

Ali
"""
    return mail("FW: Log No. 55/25 - CRU Circulation (20/01/2025) - CHIS", body,
                sender='"Ali Brennock" <ali.brennock@force.example.police.uk>',
                to='"FOI Team" <foi@force.example.police.uk>', date="Tue, 21 Jan 2025 09:00:00 +0000",
                attach=[(inner, "Log No.00005525 CRU Circulation (20012025).eml")])


@fixture("019-reply-thanks-on-wrote.eml")
def _():
    body = """Thanks, noted.

On Mon, 3 Feb 2025 at 09:30, NPCC CRU Mailbox <cru@npcc.example.police.uk>
wrote:
> OFFICIAL - SENSITIVE
>
> Log Number: 77/25
> Case worker: S.40(2)
>
> Applicants Request:
> Q1 How many drones does your force own?
"""
    return mail("Re: Log No. 77/25 - CRU Circulation (03/02/2025) - Drones (follow-up)", body,
                sender='"Kit Marlowe" <kit.marlowe@force.example.police.uk>', to=CRU,
                date="Mon, 03 Feb 2025 10:02:00 +0000")


@fixture("020-legacy-protect-packed.eml")
def _():
    body = """PROTECT - PRIVATE

Colleagues,

Please find below a circulation for information.

Log No.00102213
Case Officer: Bernadette Quill
Logged with: Saltmarsh Constabulary
Date logged: 16/09/2013

Request
(1) What is the total number of firearms certificates revoked in 2012?
(2) What were the reasons for revocation?

Advice
Question 1 - Revocation totals are published in Home Office statistics
(s21).

Question 2 - Reasons can be given in general categories only.

Regards
Bernadette Quill
"""
    return mail("Log No.00102213 CRU Circulation (16092013)", body, cte="7bit",
                date="Mon, 16 Sep 2013 13:00:00 +0100")


@fixture("021-redactions-exemptions.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

Log Number: 350/24
Case worker: S.40(2)
Logged with: [REDACTED]
Sent from: S.40(2)

Applicants Request:
1. Please provide the names of all officers in the Professional Standards
Department.
2. Please provide the email address of the head of department, *********.

CRU Advice:
Q1 - Names of officers below the rank of superintendent are exempt under
section 40(2). Names of officers involved in sensitive roles may also
engage sections 23 and 24.

Q2 - The applicant appears to be targeting an individual; s14(1) may be
relevant if there is a pattern of such requests. Where security bodies are
involved s.23(5) should be cited. Section 38 of the Data Protection Act
2018 does not apply to FOI.

Kind regards
S.40(2)
"""
    return mail("Log No. 350/24 - S.40(2) - CRU Circulation (11/11/2024) - PSD names", body,
                date="Mon, 11 Nov 2024 09:00:00 +0000")


@fixture("022-circulation-html-lettered-list.eml")
def _():
    plain = None
    html = """<html><body>
<p>OFFICIAL - SENSITIVE</p>
<p>Dear All,</p>
<p>The request below has been logged in the CRU today.</p>
<table>
<tr><td>Log Number:</td><td>148/25</td><td>Case worker:</td><td>S.40(2)</td></tr>
<tr><td>Logged with:</td><td>Thornbury Police</td><td>Sent from:</td><td>S.40(2)</td></tr>
</table>
<p><b>Applicants Request:</b></p>
<p>I would like to know:</p>
<ol type="a">
<li>the number of hate crimes recorded in 2024 by strand; and</li>
<li>the number of those crimes that resulted in a charge or summons.</li>
</ol>
<p><b>CRU Advice:</b></p>
<p>(a) &#8211; Published by the Home Office; s21 applies with a link.</p>
<p>(b) &#8211; Outcome data can be given at force level.</p>
<p>Kind regards</p>
<p>S.40(2)</p>
</body></html>"""
    return mail("Log No. 148/25 - CRU Circulation (09/04/2025) - Hate crime", plain, html=html,
                date="Wed, 09 Apr 2025 09:00:00 +0100")


@fixture("023-circulation-date-logged-subitems.eml")
def _():
    body = """OFFICIAL - SENSITIVE

Dear All,

Log Number: 611/23
Date logged: 28-11-2023
Case worker: Felix Amory
Logged with: Eastwold Police
Sent from: Felix Amory

Applicants Request:
Under the Freedom of Information Act I request the following:

1. The number of custody deaths in each of the last five years, showing:
   (i) the age of the person;
   (ii) the cause of death recorded at inquest.
2. The number of independent custody visitor reports that raised concerns
about cell conditions.

NB. I am happy to receive this information in any format.

Thank you,
A. Requester

CRU Advice:
Q1 - Deaths in custody are published by the IOPC. Where age and cause
of death together may identify a person, s40(2) and s38(1) should be
considered.

Q2 - Visitor reports are held by the Police and Crime Commissioner, not the
force; advise the applicant accordingly.

The above is a handrail only.

Kind regards
Felix Amory
"""
    return mail("Log No. 611/23 - CRU Circulation - Deaths in custody", body, date="Tue, 28 Nov 2023 15:00:00 +0000")


@fixture("024-acknowledgement-cru-logged.eml")
def _():
    body = """Thank you for your email to the NPCC Central Referral Unit.

This is an automated response to confirm that your referral has been
received and logged as CRU ref: 102/25. An officer will be in touch.
"""
    return mail("Automatic reply: FOI referral - knife arches", body, sender=CRU,
                to='"Lena Szabo" <lena.szabo@brackenford.example.police.uk>',
                headers=[("Auto-Submitted", "auto-replied")], date="Mon, 17 Feb 2025 10:00:00 +0000")


@fixture("025-other-bulletin.eml")
def _():
    body = """Dear colleagues,

The CRU practitioner bulletin for spring is now available on the
Knowledge Hub. The unit is staffed 24/7 during the national conference on
12/05/2025 and 13/05/2025; call 01632 960100 if you need us.

Regards
The CRU team
"""
    return mail("CRU practitioner bulletin - spring edition", body, date="Thu, 01 May 2025 08:00:00 +0100")


@fixture("026-circulation-no-advice-dash-bullets.eml")
def _():
    body = """OFFICIAL - SENSITIVE

Dear All,

The following request has been logged in the CRU and is circulated for
awareness only. There is no CRU advice at this stage.

Log Number: 63/25
Case worker: S.40(2)
Logged with: Wychwood Police
Sent from: S.40(2)

Applicants Request:
Description of information sought:
- 1) How many fixed penalty notices for littering were issued in 2024?
- 2) How many of those notices were paid within 14 days?
Please supply the data as a spreadsheet.

Kind regards
S.40(2)
"""
    return mail("Log No. 63/25 - CRU Circulation (21/02/2025) - Littering", body, date="Fri, 21 Feb 2025 09:00:00 +0000")


@fixture("027-forward-chain.eml")
def _():
    body = """Adding the DPO for visibility.

________________________________
From: Carys Penhallow <carys.penhallow@force.example.police.uk>
Sent: 24 January 2025 10:02
To: Disclosure Team <disclosure@force.example.police.uk>
Subject: FW: Log No. 64/25 - CRU Circulation (22/01/2025) - Facial recognition

Team - one for us, please note the advice.

________________________________
From: NPCC CRU Mailbox <cru@npcc.example.police.uk>
Sent: 22 January 2025 16:40
To: FOI Leads
Subject: Log No. 64/25 - CRU Circulation (22/01/2025) - Facial recognition

OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

Log Number: 64/25
Case worker: S.40(2)
Logged with: Southcombe Police
Sent from: S.40(2)

Applicants Request:
1. Does your force use live facial recognition?
2. If so, on how many days was it deployed in 2024?

CRU Advice:
Q1 and Q2 - Deployments are published on force websites; s21 applies.

Kind regards
S.40(2)
"""
    return mail("FW: FW: Log No. 64/25 - CRU Circulation (22/01/2025) - Facial recognition", body,
                sender='"Owen Treloar" <owen.treloar@force.example.police.uk>',
                to='"Data Protection Officer" <dpo@force.example.police.uk>', date="Fri, 24 Jan 2025 11:00:00 +0000")


@fixture("028-circulation-range-caveats.eml")
def _():
    body = """Official Sensitive
NOT FOR PUBLICATION

Dear All,

The request below has been logged in the CRU today.

Log Number: 515/24
Case worker: S.40(2)
Logged with: Lowmoor Police
Sent from: S.40(2)

Applicants Request:
1. How many firearms officers does your force employ?
2. How many armed response vehicles does your force have?
3. How many times were armed officers deployed in 2023?
4. Please provide your firearms training manual.

CRU Advice:
Q1-3 - The national position is to provide force-wide totals only; s24(1)
and s31(1) apply to any lower breakdown.

Q4 - The training manual is withheld in full under s31(1)(a) and s24(1).

Kind regards
S.40(2)
"""
    return mail("Log No. 515/24 - CRU Circulation (18/10/2024) - Firearms", body, date="Fri, 18 Oct 2024 09:00:00 +0100")


@fixture("032-circulation-question-labels.eml")
def _():
    body = """OFFICIAL - SENSITIVE

Dear All,

Log Number: 19/25
Case worker: S.40(2)
Logged with: Brookmere Police
Sent from: S.40(2)

Applicants Request:
Question 1: How many police officers were assaulted on duty in 2024?
Question 2: How many of those assaults involved a weapon?
Question 3: How many resulted in the officer taking sick leave?

CRU Advice:
Questions 1 and 2 - These figures are published annually; s21 applies.

Question 3 - Sickness absence linked to assaults may not be recorded in a
retrievable way, and s12 may apply.

Kind regards
S.40(2)
"""
    return mail("Log No. 19/25 - CRU Circulation (14/01/2025) - Assaults on officers", body, date="Tue, 14 Jan 2025 09:00:00 +0000")


@fixture("033-referral-html-bullets.eml")
def _():
    html = """<html><body>
<p>Dear CRU,</p>
<p>Please can you log the following request and advise whether it is a
mandatory referral. We have not yet responded.</p>
<p><b>Request:</b></p>
<ul>
<li>Copies of any contracts with private companies for the supply of
mobile fingerprint scanners.</li>
<li>The number of mobile fingerprint scanners held by the force.</li>
</ul>
<p>Thanks,<br>Rhiannon Doyle<br>FOI Officer, Glasswater Police</p>
</body></html>"""
    return mail("New request for logging - mobile fingerprint scanners", html=html,
                sender='"Rhiannon Doyle" <rhiannon.doyle@glasswater.example.police.uk>', to=CRU,
                date="Wed, 05 Mar 2025 12:00:00 +0000")


@fixture("034-circulation-cp1252-qp-legacy-marking.eml")
def _():
    body = """RESTRICTED

Dear All,

Please see below a request logged by the CRU.

Log Number: 780/12
Case worker: Declan Moss
Logged with: Millbrook Constabulary
Sent from: Millbrook Constabulary

Applicant’s Request:
1. How many ‘stop and search’ encounters were recorded in 2011?
2. How many resulted in an arrest?

CRU Advice:
Q1 – Published data; s21.
Q2 – As Q1.

Regards
Declan Moss
"""
    return mail("Log No. 780/12 – CRU Circulation (30/10/2012) – Stop and search", body,
                charset="windows-1252", cte="quoted-printable", date="Tue, 30 Oct 2012 09:00:00 +0000")


@fixture("035-circulation-applicant-numbering-advice-general-only.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following FOI request has been logged in the CRU today. Advice is at
the end of the message.

Log Number: 1501/24
Case worker: S.40(2)
Logged with: Wessex Police
Sent from: S.40(2)

Applicants Request:
Would you please answer the following refined request?
1 - How many domestic abuse protection notices were issued in 2024?
2 - How many were breached?

CRU Advice:
We note that this is a refined version of Log No. 1320/24. Questions 2 and 3
of 1320/24 refer to Q1 and Q2 of this new request, and the advice given
then still applies.

Kind regards
S.40(2)
"""
    return mail("Log No. 1501/24 - S.40(2) - CRU Circulation (16/12/2024) - DAPN - Including Advice", body,
                date="Tue, 17 Dec 2024 07:30:00 +0000")


@fixture("037-circulation-outlook-pseudo-list-cp1252.eml")
def _():
    html = """<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252"></head>
<body lang=EN-GB><div class=WordSection1>
<p class=MsoNormal><b>OFFICIAL &#8211; SENSITIVE</b><o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Dear All,<o:p></o:p></p>
<p class=MsoNormal>Please see below advice in relation to the following:<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Log Number:0093/25<o:p></o:p></p>
<p class=MsoNormal>Case worker: S.40(2)<o:p></o:p></p>
<p class=MsoNormal>Logged with: Tidewater Police<o:p></o:p></p>
<p class=MsoNormal>Sent from: S.40(2)<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Applicant’s Request<o:p></o:p></b></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>How many
officers in your force are trained to use naloxone?<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>2.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>How many times
was naloxone administered by officers in 2024?<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>CRU Advice<o:p></o:p></b></p>
<p class=MsoNormal><b>Q1<o:p></o:p></b></p>
<p class=MsoNormal>Training figures are not sensitive and can be released.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Q2<o:p></o:p></b></p>
<p class=MsoNormal>Usage figures may be held by the ambulance service rather than the force.<o:p></o:p></p>
<p class=MsoNormal>Where the force holds them, totals can be given; s12 may apply otherwise.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Please do not hesitate to contact the CRU with any questions.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Kind regards<o:p></o:p></p>
</div></body></html>"""
    return mail("Log No. 93/25 - CRU Circulation (30.01.2025) - Naloxone", html=html, charset="windows-1252",
                cte="base64", date="Thu, 30 Jan 2025 16:00:00 +0000")


@fixture("038-circulation-multi-paragraph-advice-no-log-in-subject.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following FOI request has been logged in the CRU today.

Log Number: 0720/24
Case worker: S.40(2)
Logged with: Northmoor Constabulary
Sent from: S.40(2)

Applicants Request:
1. How many registered sex offenders are currently recorded as missing?
2. How many of those have been missing for more than a year?

CRU Advice:
As always, the first consideration is whether the request can be answered
within the cost limit (s12).

Q1 and Q2 - Figures of this kind have been released before. We suggest a
caveat is included to the effect of:

'This figure is only valid for the date of the request, as the information
is dynamic and will change as enquiries progress.'

Nothing that could help identify or locate a wanted individual should be
released (s31(1)).

Please do not hesitate to contact us if you require further assistance.

Kind regards
S.40(2)
"""
    return mail("CRU Circulation (04/10/2024) - Missing RSOs - Including Advice", body,
                date="Fri, 04 Oct 2024 09:00:00 +0100")


@fixture("039-reply-quoted-circulation-no-prefix.eml")
def _():
    body = """Sharing with the team - see the CRU advice below.

> OFFICIAL - SENSITIVE
>
> Log Number: 148/25
> Case worker: S.40(2)
> Logged with: Thornbury Police
> Sent from: S.40(2)
>
> Applicants Request:
> (a) the number of hate crimes recorded in 2024 by strand; and
> (b) the number of those crimes that resulted in a charge or summons.
>
> CRU Advice:
> (a) and (b) - Published by the Home Office; s21 applies.
>
> Kind regards
"""
    return mail("Hate crime circulation for the team", body,
                sender='"Bryony Watts" <bryony.watts@force.example.police.uk>',
                to='"FOI Team" <foi@force.example.police.uk>', date="Thu, 10 Apr 2025 09:00:00 +0100")


@fixture("040-circulation-xref-reversed-closing.eml")
def _():
    body = """OFFICIAL-SENSITIVE

Dear All,

Log Number: 301/25
Case worker: S.40(2)
Logged with: Harbourside Police
Sent from: S.40(2)

Applicants Request:
Q1) How many officers were dismissed in 2024?
Q2) How many officers resigned while under investigation in 2024?
Q3) How many former officers were placed on the barred list in 2024?

CRU Advice:
Q1 of this request is the same as Q1 of Log No. 88/25 and Q3 of this request
mirrors Q2 of 88/25, so the advice under that log applies.

Q1 - Published; s21.
Q2 - Totals only; small numbers may engage s40(2).
Q3 - The barred list is published by the College of Policing; s21.

I hope this helps.

Kind regards
S.40(2)
"""
    return mail("Log No. 301/25 - CRU Circulation (17/03/2025) - Dismissals and resignations", body,
                date="Mon, 17 Mar 2025 09:00:00 +0000")


@fixture("041-referral-unnumbered-request.eml")
def _():
    body = """Dear CRU,

Please could you log this request, which we think is a mandatory referral.

The request reads:

Please tell me whether your force has ever used a facial recognition
system supplied by a private company, and if so, the name of the company.

Kind regards
Nia Cadwallader
Information Compliance, Tidewater Police
01632 960871
"""
    return mail("Mandatory referral - facial recognition supplier", body,
                sender='"Nia Cadwallader" <nia.cadwallader@tidewater.example.police.uk>', to=CRU,
                date="Wed, 12 Mar 2025 13:00:00 +0000")


@fixture("042-circulation-letter-request-pipe-fields.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following FOI request has been logged in the CRU today. There is no
advice at this time.

Log Number: 1022/24  |  Case worker: S.40(2)  |  Logged with: Eastwold Police  |  Sent from: S.40(2)

Applicants Request:

Dear Eastwold Police,

Under the Freedom of Information Act, please provide:

1. The number of officers granted a firearms authority in each year since
2019.

2. The number of authorities withdrawn in the same period, broken down by
reason:
a. medical
b. misconduct
c. other

3. Any policy relating to the withdrawal of authorities.

Yours faithfully,

Jane Applicant

If you require any further assistance please contact the CRU,

Kind regards

S.40(2)
"""
    return mail("Log No. 1022/24 - S.40(2) - CRU Circulation (14/08/2024) - Firearms authority", body,
                date="Wed, 14 Aug 2024 08:00:00 +0100")


@fixture("043-read-receipt.eml")
def _():
    body = """Your message

  To: NPCC CRU Mailbox
  Subject: Query re Log No. 1022/24

was read on 15/08/2024 10:12.
"""
    return mail("Read: Query re Log No. 1022/24", body, sender=CRU,
                to='"Pat Greer" <pat.greer@force.example.police.uk>', date="Thu, 15 Aug 2024 10:12:00 +0100")


if __name__ == "__main__":
    for name, build in MESSAGES.items():
        write(name, build())
        print("wrote", name)
