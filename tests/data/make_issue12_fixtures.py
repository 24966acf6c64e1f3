"""Write the golden messages for issue 12 (fictitious people and forces only).

Run from the repository root: ``python tests/data/make_issue12_fixtures.py``
(the .venv's python: msgforge builds the .msg files).  The files go to
``OUT`` (``tests/data/``, where the golden test walks; they first sat in
``pending-12/`` until the reading they needed existed).

The classes, and which file exercises which, are in ISSUE12-NOTES.md.
As in the other fixture scripts, the .expected.json beside each file is
never written here: those were written by hand as the right reading per
CONTRACTS.md (plus the kinds ``force_reply``, ``clarification`` and
``chaser`` proposed in ISSUE12-NOTES.md), not from the extractor's output.
"""

from __future__ import annotations

from datetime import datetime, timezone

from make_eml_fixtures import CRU, HERE, SIGNATURE, mail
from msgforge import Message

OUT = HERE
#: The unit's mailbox before the NPCC (2010-2016, the ACPO period).
ACPO_CRU = '"ACPO CRU Mailbox" <cru@acpo.example.police.uk>'
MSG_CRU = ("cru@npcc.example.police.uk", "NPCC CRU Mailbox")

EML = {}
MSG = {}


def eml(name):
    def register(build):
        EML[name] = build
        return build
    return register


def msg(name):
    def register(build):
        MSG[name] = build
        return build
    return register


def sent(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


# ---------------------------------------------------------------------------
# Questions as bullets (a bullet and a tab), advice "Q1 -" against numbers the
# unit gave them ("we have numbered the bullet points 1 to 4").
# ---------------------------------------------------------------------------

@eml("101-circulation-bullets-tab-plain.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Not to be distributed outside of the Police network without prior
authorisation from the CRU

Dear All,

The following FOI request has been logged in the CRU today. Advice is at
the end of the message.

Log Number: 412/25
Case worker: S.40(2)
Logged with: Westmarch Police
Sent from: S.40(2)

Applicants Request:
Please can you provide the following information about your force's use of
drones (unmanned aerial vehicles):

\u2022\tThe number of drones your force owns, broken down by make and model.
\u2022\tThe number of times a drone was deployed in 2024, by type of incident.
\u2022\tThe number of pilots trained to fly them.
\u2022\tAny policy or guidance on the retention of drone footage.

Thank you.

CRU Advice:
For ease of reference we have numbered the bullet points 1 to 4 below.

Before considering any exemption, forces should check whether:

\u2022\tthe information is already published (s21);
\u2022\tthe request can be answered within the cost limit (s12).

Q1 - A total figure can usually be given. A breakdown by make and model
can reveal capability, so s24(1) and s31(1)(a) should be considered.

Q2 - We see no harm in totals by incident type.

Q3 - The number of pilots is not sensitive at force level.

Q4 - Most forces publish this policy; where it is published s21 applies.

If you require any further assistance please contact the CRU.

""" + SIGNATURE
    return mail("Log No. 0412/25 - S.40(2) - CRU Circulation (07/04/2025) - Drone deployments - Including Advice",
                body, date="Tue, 08 Apr 2025 07:45:00 +0100")


#: Outlook writes a bullet as U+00B7 in the Symbol font, then non-breaking spaces.
OUTLOOK_BULLET = ("<p class=MsoListParagraph style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
                  "<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>\u00b7"
                  "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>"
                  "</span></span><![endif]>{}<o:p></o:p></p>")


def outlook_bullets(items):
    return "\n".join(OUTLOOK_BULLET.format(item) for item in items)


@eml("102-circulation-bullets-outlook-html.eml")
def _():
    bullets = outlook_bullets([
        "Does your force use live facial recognition (LFR)?",
        "If so, on how many occasions was it deployed in 2024?",
        "How many arrests resulted from those deployments?",
        "Which company supplies the software?",
        "A copy of your force&#8217;s LFR equality impact assessment.",
    ])
    html = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!-- p.MsoNormal {{margin:0cm; font-size:11.0pt;}} p.MsoListParagraph {{margin-left:36.0pt;}} --></style></head>
<body lang="EN-GB"><div class="WordSection1">
<p class="MsoNormal"><b>OFFICIAL - SENSITIVE</b><o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Dear All,<o:p></o:p></p>
<p class="MsoNormal">The following FOI request has been logged in the CRU today. Advice is at the end of the message.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Log Number: 588/25<o:p></o:p></p>
<p class="MsoNormal">Case worker: Imani Okafor<o:p></o:p></p>
<p class="MsoNormal">Logged with: Greyhaven Constabulary<o:p></o:p></p>
<p class="MsoNormal">Sent from: S.40(2)<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b><u>Applicants Request</u></b><o:p></o:p></p>
<p class="MsoNormal">I would like to request the following information:<o:p></o:p></p>
{bullets}
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b><u>CRU Advice</u></b><o:p></o:p></p>
<p class="MsoNormal">There is an agreed national position on facial recognition. We have numbered the bullet points 1 to 5 for ease of reference.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Q1 &#8211; Use of LFR is a matter of public record for the forces that have deployed it, so it can be confirmed.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Q2 and Q3 &#8211; Deployment and arrest totals are published by the deploying forces; s21 applies with a link.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Q4 &#8211; The supplier can be named unless a contract is still being negotiated, in which case s43(2) should be considered.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Q5 &#8211; Impact assessments are usually published; s21.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Please do not hesitate to contact the CRU if you need anything further.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Kind regards<o:p></o:p></p>
<p class="MsoNormal">Imani Okafor<o:p></o:p></p>
<p class="MsoNormal">National Freedom of Information Referral Officer<o:p></o:p></p>
</div></body></html>"""
    return mail("Log No. 588/25 - CRU Circulation (12/05/2025) - Facial recognition - Including Advice",
                html=html, cte="base64", date="Mon, 12 May 2025 16:20:00 +0100")


@msg("103-msg-circulation-bullets-subitems.msg")
def _():
    text = """OFFICIAL - SENSITIVE

Dear All,

Please see below advice in relation to the following:

Log Number: 731/25
Case worker: S.40(2)
Logged with: Lowmoor Police
Sent from: S.40(2)

Applicants Request:
For the period 1 April 2024 to 31 March 2025:
\u2022\tHow many people were detained in custody for more than 24 hours, broken down by:
o\tage group;
o\tethnicity.
\u2022\tHow many of those detentions were authorised beyond 36 hours by a superintendent.
\u2022\tHow many warrants of further detention were applied for.

CRU Advice:
We have numbered the bullets 1 to 3 for ease of reference.

Q1 - Custody figures are not sensitive in themselves. Where a breakdown by age
and ethnicity produces numbers below five, s40(2) should be considered.

Q2 and Q3 - Extensions and warrants are routinely published; we see no harm.
Note that the superintendent's authority comes from section 42 of the Police
and Criminal Evidence Act 1984 and warrants from section 43 of the same Act:
neither is an FOI exemption.

Kind regards
S.40(2)
"""
    return Message(subject="Log No. 731/25 - CRU Circulation (16/06/2025) - Custody detention times",
                   text_body=text, sender=MSG_CRU, to=[("foi@lowmoor.example.police.uk", "Lowmoor FOI")],
                   sent=sent(2025, 6, 16, 8, 30))


@eml("104-circulation-bullets-cp1252.eml")
def _():
    body = """Official \u2013 Sensitive

Dear colleagues,

Please see below a request logged today \u2013 advice follows.

Log Number: 1107/24    Case worker: Orla Fenwick    Logged with: Stonebridge Police    Sent from: S.40(2)

Applicant\u2019s Request:
Dear Sir or Madam,

I would like the following information for each of the last three years:

\u2022\tThe average time taken to grant a new firearm certificate.
\u2022\tThe average time taken to renew a shotgun certificate, and the longest
\ttime taken.
\u2022\tThe number of certificates revoked under section 30A of the Firearms Act
\t1968.
\u2022\tThe number of staff in your firearms licensing department.

Yours faithfully,
Sam Applicant

CRU Advice:
The applicant used bullet points; we have numbered the bullet points 1 to 4
so that the advice below can refer to them.

Q1 & Q2 \u2013 Processing times are not sensitive and are published by several forces.

Q3 \u2013 Revocations under section 30A of the Firearms Act 1968 can be given as a total. Where a number is very low consider s40(2).

Q4 \u2013 Staffing numbers for the department can be given; s31(1)(a) would only apply to a breakdown by shift.

Regards,
Orla Fenwick
"""
    return mail("Log No. 1107/24 \u2013 CRU Circulation 04.11.2024 \u2013 Firearms licensing delays", body,
                charset="windows-1252", cte="8bit", date="Mon, 04 Nov 2024 11:10:00 +0000")


# ---------------------------------------------------------------------------
# Force queries: a force asks the unit something; nothing is referred.
# ---------------------------------------------------------------------------

@eml("111-force-query-received-request-plain.eml")
def _():
    body = """Hi CRU,

We have received the following request and I'm not sure whether it needs
to come to you at all:

"Please tell me which areas of the county your force has asked to be made
temporary no-fly zones for drones in the last two years, and why."

Before we send it over formally, is there a national line on no-fly zones,
or is this one for us to deal with locally? We haven't logged it with you.

Thanks,
Harriet Osei
Information Access Officer
Hollinsford Police
01632 960584
"""
    return mail("National line? - request about drone no-fly zones", body,
                sender='"Harriet Osei" <harriet.osei@hollinsford.example.police.uk>', to=CRU,
                date="Mon, 19 May 2025 10:05:00 +0100")


#: The circulation quoted by the force query and the force reply on 1204/24.
CIRC_1204_HTML = """<p class="MsoNormal"><b>OFFICIAL - SENSITIVE</b></p>
<p class="MsoNormal"><b>POLICE EYES ONLY</b></p>
<p class="MsoNormal">Dear All,</p>
<p class="MsoNormal">The following FOI request has been logged in the CRU today.</p>
<p class="MsoNormal">Log Number: 1204/24</p>
<p class="MsoNormal">Case worker: S.40(2)</p>
<p class="MsoNormal">Logged with: Riverbend Constabulary</p>
<p class="MsoNormal">Sent from: S.40(2)</p>
<p class="MsoNormal"><b>Applicants Request:</b></p>
<p class="MsoNormal">1. How many drones does your force operate?</p>
<p class="MsoNormal">2. How many hours were they flown in 2024?</p>
<p class="MsoNormal">3. Please provide the footage of every flight over the town centre in 2024.</p>
<p class="MsoNormal"><b>CRU Advice:</b></p>
<p class="MsoNormal">Q1 and Q2 &#8211; Totals can be given; we see no harm.</p>
<p class="MsoNormal">Q3 &#8211; Footage held by a contractor may engage s43(2); images of the public engage s40(2).</p>
<p class="MsoNormal">Kind regards</p>
<p class="MsoNormal">S.40(2)</p>"""


def outlook_reply_html(own, quoted_header, quoted):
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body lang="EN-GB"><div class="WordSection1">
{own}
<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
<p class="MsoNormal"><b>From:</b> {quoted_header[0]}<br>
<b>Sent:</b> {quoted_header[1]}<br>
<b>To:</b> {quoted_header[2]}<br>
<b>Subject:</b> {quoted_header[3]}</p>
</div></div>
{quoted}
</div></body></html>"""


SUBJECT_1204 = "Log No. 1204/24 - S.40(2) - CRU Circulation (02/12/2024) - Drones - Including Advice"


@eml("112-force-query-reply-quoting-circulation-html.eml")
def _():
    own = """<p class="MsoNormal">Hello,</p>
<p class="MsoNormal">A question on the advice at Q3 below. Our drone footage is kept by a partner agency under
contract. Would s43(2) still be the right exemption if they hold it on our behalf, or is it a case of
information not held?</p>
<p class="MsoNormal">Many thanks,</p>
<p class="MsoNormal">Priya Lal<br>Disclosure Officer, Riverbend Constabulary<br>01632 960219</p>"""
    header = ("NPCC CRU Mailbox &lt;cru@npcc.example.police.uk&gt;", "02 December 2024 08:10",
              "Riverbend FOI &lt;foi@riverbend.example.police.uk&gt;", SUBJECT_1204)
    return mail("RE: " + SUBJECT_1204, html=outlook_reply_html(own, header, CIRC_1204_HTML),
                sender='"Priya Lal" <priya.lal@riverbend.example.police.uk>', to=CRU,
                date="Wed, 04 Dec 2024 14:40:00 +0000")


@msg("113-msg-force-query-old-advice.msg")
def _():
    text = """Dear CRU,

We have a request almost word for word the same as the one circulated under
CRU Case No 000215/15 (body worn video retention). Is that advice still
current, or has the national position moved on since then?

Our reference is FOI 0987/25, if that helps.

Kind regards
Callum Reid
FOI Officer, Westmarch Police
01632 960655
"""
    return Message(subject="Query - is the advice on CRU Case No 000215/15 still current?", text_body=text,
                   sender=("callum.reid@westmarch.example.police.uk", "Callum Reid"), to=[MSG_CRU],
                   sent=sent(2025, 6, 3, 13, 15))


@eml("114-force-query-deal-locally-plain.eml")
def _():
    body = """Good afternoon,

Our ref: Request 0441/25

We've had a request for the number of covert human intelligence sources
(CHIS) authorised by the force in each of the last five years, and the
amount paid to them.

Could you confirm whether this is a mandatory referral, or whether we can
answer it locally with a neither confirm nor deny under s23(5) and s24(2)?
I have not sent it in for logging yet.

Regards
Dominic Achterberg
FOI Lead, Stonebridge Police
07700 900482
"""
    return mail("Is this a mandatory referral? - covert human intelligence sources", body,
                sender='"Dominic Achterberg" <dominic.achterberg@stonebridge.example.police.uk>', to=CRU,
                date="Thu, 22 May 2025 15:30:00 +0100")


@eml("115-force-query-national-line-html.eml")
def _():
    html = """<html><body>
<p>Morning all,</p>
<p>Does the CRU hold a national position on requests for the number of officers with a second job or
business interest? We have two in at the moment (our refs 2025/0613 and 2025/0640) and I'd rather be
consistent with other forces.</p>
<p>I remember a circulation on this in 2023 &#8211; possibly Log No. 0388/23 &#8211; but I can't find it in
our folders. Could you resend it?</p>
<p>Thanks,<br>Abi Mensah<br>Information Compliance Manager, Greyhaven Constabulary</p>
</body></html>"""
    return mail("Second jobs and business interests - national position?", html=html,
                sender='"Abi Mensah" <abi.mensah@greyhaven.example.police.uk>', to=CRU,
                date="Tue, 10 Jun 2025 09:12:00 +0100")


@eml("116-force-query-same-request-original-message-plain.eml")
def _():
    body = """Hi,

We have received the below request again, word for word, from a different
applicant (our ref Request 0533/25). Can we rely on the same advice, or
would you want us to refer it again as a new request?

Cheers
Ewan Blackwood
Information Rights, Riverbend Constabulary

-----Original Message-----
From: NPCC CRU Mailbox <cru@npcc.example.police.uk>
Sent: 09 June 2025 08:05
To: FOI Leads <foi-leads@example.police.uk>
Subject: Log No. 0702/25 - CRU Circulation (09/06/2025) - Body armour - Including Advice

OFFICIAL - SENSITIVE

Log Number: 702/25
Case worker: S.40(2)
Logged with: National
Sent from: S.40(2)

Applicants Request:
1. How many officers in your force have been issued with covert body armour?
2. What is the replacement cycle for body armour?

CRU Advice:
Q1 - Totals can be given.
Q2 - Published in the national equipment standard; s21.

Kind regards
S.40(2)
"""
    return mail("RE: Log No. 0702/25 - CRU Circulation (09/06/2025) - Body armour - Including Advice", body,
                sender='"Ewan Blackwood" <ewan.blackwood@riverbend.example.police.uk>', to=CRU,
                date="Wed, 18 Jun 2025 11:50:00 +0100")


# ---------------------------------------------------------------------------
# The unit's older layout (the ACPO period, about 2010-2016).
# ---------------------------------------------------------------------------

@eml("121-acpo-national-advice-plain.eml")
def _():
    body = """PROTECT

*** ALL TO READ ***

ACPO Central Referral Unit

National advice - CRU Case No 000215/15

Date created: 12/03/2015   Caseworker: *******S40
Logged with: Wessex Police

Request:
1. How long does your force retain body worn video footage that is not
evidential?
2. How many requests for body worn video footage did you receive from
members of the public in 2014?
3. Who has access to the footage once it has been uploaded?

Advice:
Q1 - Retention periods are set out in the force's published policy, so s21
applies.

Q2 - A total can be given. The applicant, ***********S40, has made similar
requests to other forces; where the total is very small, consider s40(2)
before release.

Q3 - Roles can be described in general terms. Technical detail of the
storage system is exempt under s31(1)(a).

Any queries to the CRU on 01632 960100.

*** ALL TO READ ***

PROTECT
"""
    return mail("National advice - CRU Case No 000215/15 - Body worn video retention", body, sender=ACPO_CRU,
                to='"FOI Leads" <foi-leads@example.police.uk>', cte="7bit", date="Fri, 13 Mar 2015 10:20:00 +0000")


@eml("122-acpo-national-advice-html.eml")
def _():
    html = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head>
<body lang="EN-GB"><div class="WordSection1">
<p class="MsoNormal" align="center" style="text-align:center"><b><span style="color:red">RESTRICTED</span></b><o:p></o:p></p>
<p class="MsoNormal" align="center" style="text-align:center"><b>*** ALL TO READ ***</b><o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b>ACPO Central Referral Unit</b><o:p></o:p></p>
<p class="MsoNormal">Date created: 03/11/2014&nbsp;&nbsp;&nbsp;&nbsp; Caseworker: ******S40<o:p></o:p></p>
<p class="MsoNormal">Logged with: National<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b>Request</b><o:p></o:p></p>
<ol style="margin-top:0cm" start="1" type="1">
<li class="MsoNormal">Please list the locations of every fixed ANPR camera in your force area.</li>
<li class="MsoNormal">How many ANPR reads were recorded in 2013?</li>
<li class="MsoNormal">How long are reads kept?</li>
</ol>
<p class="MsoNormal">Yours faithfully<o:p></o:p></p>
<p class="MsoNormal">********S40<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b>Advice</b><o:p></o:p></p>
<p class="MsoNormal">This request follows CRU Case No 000932/14, where the same applicant asked for the
number of cameras only.<o:p></o:p></p>
<p class="MsoNormal">Question 1 &#8211; Camera locations should be neither confirmed nor denied; s24(2) and
s31(3) apply.<o:p></o:p></p>
<p class="MsoNormal">Question 2 &#8211; A total can be given if it is held.<o:p></o:p></p>
<p class="MsoNormal">Question 3 &#8211; The national retention standard is published; s21.<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal" align="center" style="text-align:center"><b><span style="color:red">RESTRICTED</span></b><o:p></o:p></p>
</div></body></html>"""
    return mail("National advice - CRU Case No 001187/14 - ANPR camera locations", html=html, sender=ACPO_CRU,
                to='"FOI Leads" <foi-leads@example.police.uk>', charset="us-ascii", cte="quoted-printable",
                date="Tue, 04 Nov 2014 09:30:00 +0000")


@msg("123-msg-acpo-national-advice.msg")
def _():
    text = """PROTECT

*** ALL TO READ ***

National advice - CRU Case No 000047/16

Date created: 21/01/2016\tCaseworker: ********S40(2)
Logged with: Kestrel Vale Police

Request
(a) How many drones does the force own?
(b) Where are they based?
(c) What were they used for in 2015?

Advice
(a) - The number of drones can be given.
(b) - Bases should not be given, as this would reveal coverage; s24(1) and s31(1)(a) apply.
(c) - Uses can be described in general terms.

Any queries to the CRU.

*** ALL TO READ ***
"""
    return Message(subject="National advice - CRU Case No 000047/16 - Police drones", text_body=text,
                   sender=("cru@acpo.example.police.uk", "ACPO CRU Mailbox"),
                   to=[("foi-leads@example.police.uk", "FOI Leads")], sent=sent(2016, 1, 22, 11, 0))


@eml("124-acpo-forwarded-cp1252.eml")
def _():
    body = """FYI \u2013 national advice on the licensing request we had last month.

Steph

-----Original Message-----
From: ACPO CRU Mailbox
Sent: 28 June 2011 08:55
To: FOI Leads
Subject: National advice - CRU Case No 000388/11 - Firearms licensing fees

RESTRICTED

*** ALL TO READ ***

Date created: 27/06/2011    Caseworker: *****S40
Logged with: Millbrook Constabulary

Request:
1. How much did the force receive in firearm certificate fees in 2010?
2. How much did the licensing department cost to run?

Advice:
Q1 \u2013 Fee income is published in the force\u2019s accounts; s21.
Q2 \u2013 Running costs can be given as a total.

RESTRICTED
"""
    return mail("FW: National advice - CRU Case No 000388/11 - Firearms licensing fees", body,
                sender='"Steph Caldwell" <steph.caldwell@millbrook.example.police.uk>',
                to='"FOI Team" <foi@millbrook.example.police.uk>', charset="windows-1252",
                cte="quoted-printable", date="Tue, 28 Jun 2011 10:02:00 +0100")


# ---------------------------------------------------------------------------
# Sections of other Acts beside real FOIA exemptions.
# ---------------------------------------------------------------------------

@eml("131-circulation-other-acts-firearms-plain.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following FOI request has been logged in the CRU today. Advice is at
the end of the message.

Log Number: 902/24
Case worker: S.40(2)
Logged with: Tidewater Police
Sent from: S.40(2)

Applicants Request:
1. How many firearm certificates did your force revoke under section 30A of
the Firearms Act 1968 in 2023?
2. How many shotgun certificates were revoked under section 30C of the same
Act?
3. How many of those revocations led to a criminal investigation?

CRU Advice:
Revocations under section 30A and section 30C of the Firearms Act 1968 are
recorded on the national licensing system, so totals should be retrievable;
if records must be read by hand, s12 applies.

Q1 and Q2 - Totals can be released.

Q3 - Where an investigation is ongoing, s30(1)(a) may apply; small numbers
may also engage s40(2). Forces should not confirm whether any named person's
certificate was revoked (section 40(5) of the Freedom of Information Act
2000).

If you require any further assistance please contact the CRU.

""" + SIGNATURE
    return mail("Log No. 902/24 - S.40(2) - CRU Circulation (21/10/2024) - Certificate revocations - Including Advice",
                body, date="Mon, 21 Oct 2024 15:00:00 +0100")


@eml("132-circulation-other-acts-stop-search-html.eml")
def _():
    html = """<html><body>
<p><b>OFFICIAL - SENSITIVE</b></p>
<p>Dear All,</p>
<p>The following FOI request has been logged in the CRU today.</p>
<table>
<tr><td>Log Number:</td><td>215/25</td></tr>
<tr><td>Case worker:</td><td>S.40(2)</td></tr>
<tr><td>Logged with:</td><td>Hollinsford Police</td></tr>
<tr><td>Sent from:</td><td>S.40(2)</td></tr>
</table>
<p><b>Applicants Request:</b></p>
<p>1) How many stop and searches did your force carry out under section 1 of the Police and Criminal
Evidence Act 1984 in 2024?</p>
<p>2) How many were carried out under section 23 of the Misuse of Drugs Act 1971?</p>
<p>3) How many section 60 authorisations (Criminal Justice and Public Order Act 1994) were made, and for
which areas?</p>
<p>4) How many searches were made under s.47A of the Terrorism Act 2000?</p>
<p><b>CRU Advice:</b></p>
<p>Q1 and Q2 &#8211; Published by the Home Office; s21 applies.</p>
<p>Q3 &#8211; The number of authorisations under section 60 of the Criminal Justice and Public Order Act
1994 can be given. The areas covered should not be given for authorisations in the last 12 months, as
this would reveal tactics; s31(1)(a) applies.</p>
<p>Q4 &#8211; Searches under s.47A are published nationally (s21). Searches under s.44 of the Terrorism
Act 2000 ended in 2010, so nothing is held for 2024. Where the intelligence behind an authorisation came
from security bodies, s23(5) and s24(2) should be considered together.</p>
<p>Kind regards</p>
<p>S.40(2)</p>
</body></html>"""
    return mail("Log No. 215/25 - CRU Circulation (24/02/2025) - Stop and search powers", html=html,
                date="Mon, 24 Feb 2025 08:50:00 +0000")


@msg("133-msg-circulation-other-acts-dpa.msg")
def _():
    html = """<html><body>
<p><b>OFFICIAL</b></p>
<p>Dear All,</p>
<p>Please see below advice in relation to the following:</p>
<p>Log Number: 66/25<br>Case worker: S.40(2)<br>Logged with: Riverbend Constabulary<br>Sent from: S.40(2)</p>
<p><b>Applicants Request:</b></p>
<p>1. How many subject access requests did your force receive in 2024?</p>
<p>2. How many requests under section 29 of the Data Protection Act 1998 (now Schedule 2 of the 2018 Act)
did you receive from other bodies?</p>
<p>3. How many of your staff hold a data protection qualification?</p>
<p><b>CRU Advice:</b></p>
<p>This request is about data protection, but it is made under the FOI Act and is answered under FOI:
s.1 of the Data Protection Act has no bearing on it, and nor does section 35 of the Data Protection Act
2018, which governs the force&#8217;s own processing.</p>
<p>Q1 &#8211; Totals can be given.</p>
<p>Q2 &#8211; Requests received under section 29 of the Data Protection Act 1998 are not recorded
separately by most forces; if they must be counted by hand, s12 applies.</p>
<p>Q3 &#8211; Numbers can be given, but not the names of staff (s40(2)). Where the figure relates to a
small team whose members have been targeted before, consider s38(1)(a).</p>
<p>Kind regards</p>
<p>S.40(2)</p>
</body></html>"""
    return Message(subject="Log No. 66/25 - CRU Circulation (15/01/2025) - Subject access requests", html_body=html,
                   sender=MSG_CRU, to=[("foi@riverbend.example.police.uk", "Riverbend FOI")],
                   sent=sent(2025, 1, 15, 10, 0))


# ---------------------------------------------------------------------------
# A force's own reference, never a unit log number.
# ---------------------------------------------------------------------------

@eml("141-referral-force-request-ref-plain.eml")
def _():
    body = """Dear CRU,

Please could you log the request below and let us have the national
advice. Our ref 2023/0987 (Request 0987/23 on our case system).

Request:
1. How many cannabis factories were found in your force area in 2022?
2. The streets on which each was found.
3. The estimated value of the plants seized at each.

We have acknowledged the applicant; the response is due on 12 July 2023.

Kind regards
Fergus Lindqvist
FOI Officer, Riverbend Constabulary
01632 960762
"""
    return mail("Referral for advice - Request 0987/23 - cannabis factory locations", body,
                sender='"Fergus Lindqvist" <fergus.lindqvist@riverbend.example.police.uk>', to=CRU,
                date="Wed, 14 Jun 2023 11:25:00 +0100")


@eml("142-referral-foi-ref-html.eml")
def _():
    html = """<html><body>
<p>Dear CRU,</p>
<p>Please can you log the following request for advice. Our Ref: FOI/1142/25. It looks similar to your
Log No. 0388/23, but the applicant now also asks about police staff.</p>
<p><b>Request:</b></p>
<ol>
<li>How many police officers have a registered business interest?</li>
<li>How many police staff have a registered business interest?</li>
<li>How many applications for a business interest were refused in 2024?</li>
</ol>
<p>Regards,<br>Joss Whitcombe<br>Information Rights Officer, Kestrel Vale Police<br>01632 960915</p>
</body></html>"""
    return mail("FOI 1142/25 - new referral - business interests", html=html,
                sender='"Joss Whitcombe" <joss.whitcombe@kestrelvale.example.police.uk>', to=CRU,
                date="Thu, 12 Jun 2025 12:40:00 +0100")


@eml("143-circulation-force-ref-plain.eml")
def _():
    body = """OFFICIAL - SENSITIVE
POLICE EYES ONLY

Dear All,

The following FOI request has been logged in the CRU today.

Log Number: 1410/23
Case worker: S.40(2)
Logged with: Tidewater Police
Sent from: S.40(2)
Force reference: FOI 0987/23

Applicants Request:
I refer to my earlier request, your ref FOI 0654/23, and ask for:

1. The number of mobile phones examined by your digital forensics unit in
2022.
2. The average time taken to return a phone to its owner.

CRU Advice:
Q1 - Totals can be given.

Q2 - Average times are not sensitive; s12 may apply if each case file must
be read.

Kind regards
S.40(2)
"""
    return mail("Log No. 1410/23 - S.40(2) - CRU Circulation (18/12/2023) - Mobile phone extraction - Including Advice",
                body, date="Mon, 18 Dec 2023 16:05:00 +0000")


# ---------------------------------------------------------------------------
# A force's reply to a circulation: its position stated.
# ---------------------------------------------------------------------------

@eml("151-force-reply-position-other-acts-plain.eml")
def _():
    body = """Dear CRU,

Thank you for the advice. For your records, Lowmoor Police will respond as
follows:

Q1 - we will disclose the number of arrests made under s.24 PACE.
Q2 - the number of vehicles searched under section 32 of the Police and
Criminal Evidence Act 1984 is not held centrally; we will apply s12.
Q3 - we will neither confirm nor deny under s31(3) and s38(2).

Our response is due on 8 January 2025.

Regards
Ruth Adebayo
FOI Officer, Lowmoor Police
01632 960347

-----Original Message-----
From: NPCC CRU Mailbox [mailto:cru@npcc.example.police.uk]
Sent: 09 December 2024 08:30
To: foi@lowmoor.example.police.uk
Subject: Log No. 1305/24 - CRU Circulation (09/12/2024) - Arrests after failing to stop

OFFICIAL - SENSITIVE

Log Number: 1305/24
Case worker: S.40(2)
Logged with: Lowmoor Police
Sent from: S.40(2)

Applicants Request:
1. How many people were arrested for failing to stop for police in 2024?
2. How many vehicles were searched after such an arrest?
3. How many pursuits resulted in serious injury?

CRU Advice:
Q1 and Q2 - Totals can be given if held.
Q3 - The national position is to neither confirm nor deny; s31(3) and s38(2).

Kind regards
S.40(2)
"""
    return mail("RE: Log No. 1305/24 - CRU Circulation (09/12/2024) - Arrests after failing to stop", body,
                sender='"Ruth Adebayo" <ruth.adebayo@lowmoor.example.police.uk>', to=CRU,
                date="Thu, 12 Dec 2024 10:45:00 +0000")


@eml("152-force-reply-position-on-wrote-plain.eml")
def _():
    body = """Good morning,

Eastwold's position on this one: Q1 and Q2 we will disclose in full. For Q3
we will rely on s43(2), as the footage is held by our contractor. We expect
to respond on 30 December.

Thanks
Marcus Oyelaran
Disclosure Team, Eastwold Police

On Mon, 2 Dec 2024 at 08:10, NPCC CRU Mailbox <cru@npcc.example.police.uk> wrote:
> OFFICIAL - SENSITIVE
> POLICE EYES ONLY
>
> Log Number: 1204/24
> Case worker: S.40(2)
> Logged with: Riverbend Constabulary
>
> Applicants Request:
> 1. How many drones does your force operate?
> 2. How many hours were they flown in 2024?
> 3. Please provide the footage of every flight over the town centre in 2024.
"""
    return mail("Re: " + SUBJECT_1204, body,
                sender='"Marcus Oyelaran" <marcus.oyelaran@eastwold.example.police.uk>', to=CRU,
                date="Fri, 06 Dec 2024 09:05:00 +0000")


@eml("153-force-reply-acpo-era-html.eml")
def _():
    own = """<p class="MsoNormal">Dear CRU,</p>
<p class="MsoNormal">Wessex Police will be disclosing the retention period with a link to our published
policy (s21), and the total number of requests for footage. We are not providing names of system
administrators (s40(2)).</p>
<p class="MsoNormal">Regards,</p>
<p class="MsoNormal">Martha Quayle<br>Information Access Officer, Wessex Police</p>"""
    quoted = """<p class="MsoNormal"><b>PROTECT</b></p>
<p class="MsoNormal"><b>*** ALL TO READ ***</b></p>
<p class="MsoNormal">National advice - CRU Case No 000215/15</p>
<p class="MsoNormal">Date created: 12/03/2015&nbsp;&nbsp; Caseworker: *******S40</p>
<p class="MsoNormal">Logged with: Wessex Police</p>"""
    header = ("ACPO CRU Mailbox", "13 March 2015 10:20", "FOI Leads",
              "National advice - CRU Case No 000215/15 - Body worn video retention")
    return mail("RE: National advice - CRU Case No 000215/15 - Body worn video retention",
                html=outlook_reply_html(own, header, quoted),
                sender='"Martha Quayle" <martha.quayle@wessex.example.police.uk>', to=ACPO_CRU,
                date="Mon, 23 Mar 2015 14:00:00 +0000")


@msg("154-msg-force-reply-own-ref.msg")
def _():
    text = """Hi CRU,

Our response to FOI 0877/24 (your Log No. 512/24) went out today. We
applied s31(1)(a) to Q2 and disclosed everything else. For our records it is
filed under our ref 2024/0877.

Thanks
Gwen Tallis
FOI Officer, Hollinsford Police
"""
    return Message(subject="RE: Log No. 512/24 - CRU Circulation (20/05/2024) - Pursuits", text_body=text,
                   sender=("gwen.tallis@hollinsford.example.police.uk", "Gwen Tallis"), to=[MSG_CRU],
                   sent=sent(2024, 6, 11, 15, 20))


# ---------------------------------------------------------------------------
# Requests for clarification: a request is on hold until someone clarifies it.
# ---------------------------------------------------------------------------

@eml("161-clarification-cru-asks-force-plain.eml")
def _():
    body = """OFFICIAL

Dear Bethan,

Thank you for referring this request, which we have logged as Log No. 318/25.
Before we can circulate advice, we need to understand what the applicant is
asking for.

The request asks for "all incidents at schools". Please could you go back to
the applicant and ask whether they mean crimes recorded at a school address,
calls for service from schools, or both? Until they answer, the request can
be treated as on hold under section 1(3) of the Act.

Your ref: FOI 0987/25

Kind regards
S.40(2)
National Freedom of Information Referral Officer
"""
    return mail("Log No. 318/25 - clarification needed - incidents at schools", body,
                to='"Bethan Rowe" <bethan.rowe@westmarch.example.police.uk>',
                date="Wed, 05 Mar 2025 11:00:00 +0000")


@eml("162-clarification-on-hold-html.eml")
def _():
    own = """<p class="MsoNormal">Hello,</p>
<p class="MsoNormal">Just to let you know that we have asked the applicant to clarify what they mean by
&#8220;knife arch deployments&#8221; (the number of arches owned, or the number of times they were set
up), so the request is on hold until they reply. We will let you know what they say and whether it
changes anything in your advice.</p>
<p class="MsoNormal">Regards,</p>
<p class="MsoNormal">Lowri Pritchard<br>Disclosure Unit, Westmarch Police</p>"""
    quoted = """<p class="MsoNormal"><b>OFFICIAL - SENSITIVE</b></p>
<p class="MsoNormal">Log Number: 1188/24</p>
<p class="MsoNormal">Case worker: S.40(2)</p>
<p class="MsoNormal">Logged with: Westmarch Police</p>
<p class="MsoNormal"><b>Applicants Request:</b></p>
<p class="MsoNormal">1. How many knife arch deployments did your force make in 2024?</p>
<p class="MsoNormal"><b>CRU Advice:</b></p>
<p class="MsoNormal">Q1 &#8211; A total can be given.</p>"""
    subject = "Log No. 1188/24 - CRU Circulation (25/11/2024) - Knife arches"
    header = ("NPCC CRU Mailbox &lt;cru@npcc.example.police.uk&gt;", "25 November 2024 09:00",
              "Westmarch FOI", subject)
    return mail("RE: " + subject + " - clarification sought", html=outlook_reply_html(own, header, quoted),
                sender='"Lowri Pritchard" <lowri.pritchard@westmarch.example.police.uk>', to=CRU,
                date="Thu, 28 Nov 2024 12:30:00 +0000")


@msg("163-msg-clarification-referral-incomplete.msg")
def _():
    text = """Dear Mr Kowalczyk,

Thank you for your referral (your ref FOI 0456/25). The request you sent
appears to stop part way through question 3, and the attachment mentioned in
your email did not come through.

Please could you send us the full wording of the request, and tell us the
date it was received, so that we can log it and give you advice?

Kind regards
S.40(2)
NPCC Central Referral Unit
"""
    return Message(subject="Your referral FOI 0456/25 - clarification needed before logging", text_body=text,
                   sender=MSG_CRU, to=[("piotr.kowalczyk@greyhaven.example.police.uk", "Piotr Kowalczyk")],
                   sent=sent(2025, 4, 9, 14, 5))


# ---------------------------------------------------------------------------
# Chasers: a reply is overdue, in either direction.
# ---------------------------------------------------------------------------

@eml("171-chaser-force-awaiting-advice-plain.eml")
def _():
    body = """Hi CRU,

Just chasing the referral below, sent on 4 March. We have not yet had a log
number or any advice, and our statutory deadline is 1 April. Could you let
us know when we might expect to hear from you?

Many thanks
Naomi Ferris
FOI Officer, Greyhaven Constabulary

-----Original Message-----
From: Naomi Ferris
Sent: 04 March 2025 11:02
To: NPCC CRU Mailbox
Subject: Referral - Request 0311/25 - cost of interpreters

Dear CRU,

Please could you log the following request:

1. How much did your force spend on interpreters in 2024?
2. Which languages were most requested?

Thanks
Naomi
"""
    return mail("Chaser: Referral - Request 0311/25 - cost of interpreters", body,
                sender='"Naomi Ferris" <naomi.ferris@greyhaven.example.police.uk>', to=CRU,
                date="Mon, 17 Mar 2025 09:40:00 +0000")


@eml("172-chaser-cru-position-outstanding-html.eml")
def _():
    html = """<html><body>
<p><b>OFFICIAL - SENSITIVE</b></p>
<p>Dear colleague,</p>
<p>Our records show that we circulated advice on Log No. 1188/24 on 25 November, but we have not yet
received your force&#8217;s response position.</p>
<p>Please could you let us know by Friday 20 December how you intend to respond, or tell us if you have
already done so?</p>
<p>Kind regards</p>
<p>S.40(2)<br>NPCC Central Referral Unit</p>
</body></html>"""
    return mail("Log No. 1188/24 - response position outstanding", html=html,
                to='"Westmarch FOI" <foi@westmarch.example.police.uk>', date="Fri, 13 Dec 2024 10:00:00 +0000")


@msg("173-msg-chaser-second-request.msg")
def _():
    html = """<html><body>
<p>Hi all,</p>
<p>Following up my email of 2 June &#8211; we still need the CRU&#8217;s advice on Log No. 0655/25 before
our response goes out on 16 June. Is there anything else you need from us?</p>
<p>Thanks,<br>Tariq Bellamy<br>FOI Officer, Tidewater Police<br>07700 900731</p>
</body></html>"""
    return Message(subject="2nd request - advice needed - Log No. 0655/25", html_body=html,
                   sender=("tariq.bellamy@tidewater.example.police.uk", "Tariq Bellamy"), to=[MSG_CRU],
                   sent=sent(2025, 6, 10, 8, 45))


# ---------------------------------------------------------------------------
# Old referrals: stored and read, never drafted, no log allocated.
# ---------------------------------------------------------------------------

@eml("181-old-referral-2015-plain.eml")
def _():
    body = """PROTECT

Dear CRU,

Please can you log this request, which we think is a mandatory referral.

Request:
1) How many ANPR cameras does the force operate?
2) Where is each camera sited?
3) How many vehicles of interest were stopped as a result of an ANPR
alert in 2014?

Our ref: Request 0123/15.

Regards
Yvonne Marchetti
FOI Officer, Wessex Police
01632 960448
"""
    return mail("FOI referral - Request 0123/15 - ANPR camera locations", body,
                sender='"Yvonne Marchetti" <yvonne.marchetti@wessex.example.police.uk>', to=ACPO_CRU,
                date="Tue, 10 Feb 2015 15:10:00 +0000")


@eml("182-old-referral-2014-html.eml")
def _():
    html = """<html><body>
<p>NOT PROTECTIVELY MARKED</p>
<p>Dear CRU,</p>
<p>We have received the following request, which we are referring to the CRU as it concerns covert
tactics:</p>
<ol>
<li>How many directed surveillance authorisations were granted in 2013?</li>
<li>How many of those were for offences under the Misuse of Drugs Act 1971?</li>
</ol>
<p>Kind regards,<br>Anwen Lloyd-Price<br>FOI Team, Kestrel Vale Police</p>
</body></html>"""
    return mail("Mandatory referral for logging - covert surveillance authorisations", html=html,
                sender='"Anwen Lloyd-Price" <anwen.lloyd-price@kestrelvale.example.police.uk>', to=ACPO_CRU,
                date="Tue, 08 Jul 2014 13:45:00 +0100")


@msg("183-msg-old-referral-2016.msg")
def _():
    text = """PROTECT

Dear CRU,

Please could you log the following new request and let us have your advice.

(a) Has the force trialled automatic facial recognition?
(b) If so, where and when did the trial take place?

Thanks
Rory Haldane
Information Management, Lowmoor Police
"""
    return Message(subject="New referral - automatic facial recognition trial", text_body=text,
                   sender=("rory.haldane@lowmoor.example.police.uk", "Rory Haldane"),
                   to=[("cru@acpo.example.police.uk", "ACPO CRU Mailbox")], sent=sent(2016, 9, 5, 10, 30))


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for name, build in EML.items():
        (OUT / name).write_bytes(bytes(build()))
        print("wrote", name)
    for name, build in MSG.items():
        build().save(OUT / name)
        print("wrote", name)
