"""Table-driven tests of each extraction rule, on text and hand-built ParsedMail."""

from __future__ import annotations

import pytest

from crumail.extract import extract
from crumail.extract.dates import first_date
from crumail.extract.exemptions import exemptions
from crumail.extract.fields import read_fields
from crumail.extract.lognumbers import find_logs
from crumail.extract.markings import handling_caveats, protective_marking, redaction_markers
from crumail.extract.quoting import layers, split_quoted
from crumail.parse.text import html_to_text
from crumail.extract.xrefs import cross_references
from crumail.model import ParsedMail
from support.mail import parsed as mail


@pytest.mark.parametrize("text, logs", [
    ("Log No. 43/23 - S.40(2) - CRU Circulation (23/01/2023)", ["43/23"]),
    ("Log No.001355/22 CRU Circulation", ["1355/22"]),
    ("Log Number:1355/22", ["1355/22"]),
    ("Log Nos. 233/25 & 0241/25", ["233/25", "241/25"]),
    ("Log Nos 233/25, 241/25 and 250/25", ["233/25", "241/25", "250/25"]),
    ("CRU ref: 88/25", ["88/25"]),
    ("CRU Case No 000088/15", ["88/15"]),
    ("see case no 1440/14 for the advice", ["1440/14"]),
    ("as in 2104/2023", ["2104/23"]),
    ("Log No.00135522 CRU Circulation (16092022) - Including Advice.msg", ["1355/22"]),
    ("Questions 1, 6 and 9 of 1355/22 refer to Q1", ["1355/22"]),
    ("Our ref: ABC/FOI/2024/0877", []),
    ("our ref FOI 123/24", []),
    ("received on 23/01/2023", []),
    ("on 5/11 we met", []),
    ("in the financial year 2023/24", []),
    ("sections 40/41 of the Act", []),
    ("staffed 24/7", []),
    ("T. 01632 960123 or 07700 900123", []),
    ("FOI-123/24", []),
])
def test_log_numbers(text, logs):
    assert find_logs(text) == logs


@pytest.mark.parametrize("text, iso", [
    ("CRU Circulation (23/01/2023)", "2023-01-23"),
    ("Log No.00135522 CRU Circulation (16092022)", "2022-09-16"),
    ("CRU Circulation 07.01.2025 - Taser", "2025-01-07"),
    ("Date logged: 28-11-2023", "2023-11-28"),
    ("Circulated on 5th November 2024", "2024-11-05"),
    ("on Tuesday 5th of November, 2024", "2024-11-05"),
    ("November 5th, 2024", "2024-11-05"),
    ("2024-11-05", "2024-11-05"),
    ("31/02/2024", None),
    ("Log No. 43/23", None),
])
def test_dates(text, iso):
    assert first_date(text) == iso


@pytest.mark.parametrize("text, found", [
    ("otherwise s12 is appropriate (s40). s21 can apply", ["s12", "s21", "s40"]),
    ("Section 31(1)(a) and s.23(5)", ["s23(5)", "s31(1)"]),
    ("sections 23 and 24 apply; s 14(1) may too", ["s14(1)", "s23", "s24"]),
    ("Sections 21, 22 and 44", ["s21", "s22", "s44"]),
    ("section 29 of the DPA and Section 38 of the Data Protection Act", []),
    ("as per Section 11 of FoI; s1 and s10 and s16", []),
    ("RSO's 12 offenders", []),
    ("Case worker: S.40(2)\nE. S.31(1)", []),
    ("exempt under S.40(2) of the Act", ["s40(2)"]),
])
def test_exemptions(text, found):
    assert exemptions(text) == found


@pytest.mark.parametrize("subject, text, marking", [
    ("", "OFFICIAL - SENSITIVE\nPOLICE EYES ONLY", "OFFICIAL-SENSITIVE"),
    ("", "Official – Sensitive\n\nDear All", "OFFICIAL-SENSITIVE"),
    ("", "OFFICIAL SENSITIVE: PERSONAL", "OFFICIAL-SENSITIVE"),
    ("", "PROTECT – PRIVATE", "PROTECT-PRIVATE"),
    ("", "Classification: Official", "OFFICIAL"),
    ("OFFICIAL: Log No. 4/23", "", "OFFICIAL"),
    ("", "OFFICIAL\n\nbody\n\n> OFFICIAL - SENSITIVE", "OFFICIAL-SENSITIVE"),
    ("", "An official request was made.\nOfficial figures show a rise in crime this year.", None),
    ("", "RESTRICTED", "RESTRICTED"),
])
def test_protective_marking(subject, text, marking):
    assert protective_marking(subject, text) == marking


@pytest.mark.parametrize("text, caveats", [
    ("OFFICIAL\nPOLICE EYES ONLY\n", ["POLICE EYES ONLY"]),
    ("Police Eyes Only\n", ["POLICE EYES ONLY"]),
    ("NOT FOR PUBLICATION\nUK EYES ONLY", ["NOT FOR PUBLICATION", "UK EYES ONLY"]),
    ("this is not for publication in the press", []),
])
def test_handling_caveats(text, caveats):
    assert handling_caveats(text) == caveats


@pytest.mark.parametrize("text, markers", [
    ("Log No. 43/23 - S.40(2) - CRU\nCase worker: S.40(2)\nE. S.31(1)", ["S.40(2)", "S.31(1)"]),
    ("Bcc: S.31(1), S.40(2)", ["S.31(1)", "S.40(2)"]),
    ("exempt under S.40(2) of the Act", []),
    ("name: [REDACTED], email ******* and [Redacted - s40]", ["[REDACTED]", "*******", "[Redacted - s40]"]),
    ("data.* and **bold**", []),
])
def test_redaction_markers(text, markers):
    assert redaction_markers(text) == markers


@pytest.mark.parametrize("text, expected", [
    ("Case worker: S.40(2)\nLogged with: Lancashire Constabulary\nSent from: S.40(2)",
     ("S.40(2)", "Lancashire Constabulary", "S.40(2)")),
    ("Log Number:1355/22 Case worker: S.40(2)   Logged with:National  Sent from: S.40(2)",
     ("S.40(2)", "National", "S.40(2)")),
    ("Case worker\tJane Doe\nLogged with\tKent Police", ("Jane Doe", "Kent Police", None)),
    ("Case worker:\nJane Smith\n", ("Jane Smith", None, None)),
    ("Case worker:\n\nSent from my iPhone", (None, None, None)),
    ("Logged with: \nSent from: n/a", (None, None, None)),
])
def test_fields(text, expected):
    fields = read_fields(text)
    assert (fields["case_worker"], fields["logged_with"], fields["sent_from"]) == expected


def test_html_table_and_lists_keep_their_structure():
    html = ("<table><tr><td><p>Case worker</p></td><td><p>S.40(2)</p></td></tr></table>"
            "<ol><li>One?</li><li>Two?</li></ol><ol type='a'><li>Alpha</li></ol><ul><li>Dot</li></ul>")
    assert html_to_text(html).splitlines() == ["Case worker\tS.40(2)", "1. One?", "2. Two?", "(a) Alpha", "- Dot"]


@pytest.mark.parametrize("text, own", [
    ("Hi\n\n-----Original Message-----\nFrom: A\nSubject: x\n\nbody", "Hi"),
    ("Hi\n\nFrom: A <a@example.org>\nSent: 1 May 2025\nTo: B\nSubject: x\n\nbody", "Hi"),
    ("Thanks\n\nOn Mon, 3 Feb 2025 at 09:30, A <a@example.org> wrote:\n> quoted", "Thanks"),
    ("Thanks\n\nOn Mon, 3 Feb 2025 at 09:30, A <a@example.org>\nwrote:\n> quoted", "Thanks"),
    ("Hello\n________________________________\nFrom: A\nSent: today\n\nold", "Hello"),
    ("No quote here.\nFrom: the applicant, who wrote twice", "No quote here.\nFrom: the applicant, who wrote twice"),
])
def test_split_quoted(text, own):
    assert split_quoted(text)[0] == own


def test_layers_read_the_quoted_subject():
    chain = layers("FW: x", "note\n\nFrom: CRU\nSent: 1 May\nSubject: Log No. 1/25 - CRU\n Circulation\n\nbody")
    assert [c.subject for c in chain] == ["FW: x", "Log No. 1/25 - CRU Circulation"]
    assert chain[1].text == "body"


@pytest.mark.parametrize("text, expected", [
    ("(Questions 1, 6 and 9 of 1355/22 refer to Q1, Q2 and Q3 of this new request)",
     [("1355/22", (1, 6, 9), (1, 2, 3))]),
    ("Q2 of this request is the same as Q4 of Log No. 233/25.", [("233/25", (4,), (2,))]),
    ("Q1 of this request is Q1 of 233/25 and Q3 of this request is Q4 of 233/25.",
     [("233/25", (1, 4), (1, 3))]),
    ("Questions 1-3 of CRU ref: 88/25 match Q4 to Q6 of the current request", [("88/25", (1, 2, 3), (4, 5, 6))]),
    ("This request is similar to 1355/22.", []),
])
def test_cross_references(text, expected):
    found = [(x.log, x.their_questions, x.our_questions) for x in cross_references(text)]
    assert found == expected


CIRCULATION = """OFFICIAL - SENSITIVE

Log Number: 12/25
Case worker: Jo Bloggs

Applicants Request:
{request}

CRU Advice:
{advice}

Kind regards
Jo
"""


@pytest.mark.parametrize("request_text, labels, texts", [
    ("1. One\n2. Two", ["1.", "2."], ["One", "Two"]),
    ("1) One\nwrapped\n2) Two", ["1)", "2)"], ["One wrapped", "Two"]),
    ("- 1) One\n- 2) Two\nNB. a note", ["1)", "2)"], ["One", "Two"]),
    ("(a) One\n(b) Two", ["(a)", "(b)"], ["One", "Two"]),
    ("Q1 One\nQ2 Two", ["Q1", "Q2"], ["One", "Two"]),
    ("Question 1: One\nQuestion 2: Two", ["Question 1", "Question 2"], ["One", "Two"]),
    ("• One\n• Two", ["•", "•"], ["One", "Two"]),
    ("Intro:\n1. One\n   a) sub a\n   b) sub b\n2. Two", ["1.", "2."], ["One a) sub a b) sub b", "Two"]),
    ("1. One\n\n2. Two\n\nThank you for your help.", ["1.", "2."], ["One", "Two"]),
    ("1. One\n2. Two\n\nI look forward to your reply.", ["1.", "2."], ["One", "Two"]),
    ("Please tell me how many dogs you have.", [""], ["Please tell me how many dogs you have."]),
    ("1. One\n2. Please provide the data in a spreadsheet.", ["1.", "2."],
     ["One", "Please provide the data in a spreadsheet."]),
])
def test_questions(request_text, labels, texts):
    result = extract(mail(CIRCULATION.format(request=request_text, advice="No harm."), "Log No. 12/25 CRU Circulation"))
    assert [q.label for q in result.questions] == labels
    assert [q.text for q in result.questions] == texts
    assert [q.number for q in result.questions] == list(range(1, len(labels) + 1))


@pytest.mark.parametrize("advice_text, groups", [
    ("General words.\n\nQ1 – one\n\nQ3 and Q9 – three", [((), None), ((1,), "Q1"), ((3, 9), "Q3 and Q9")]),
    ("Q2 & Q4 - both", [((2, 4), "Q2 & Q4")]),
    ("(b) and (c) – both", [((2, 3), "(b) and (c)")]),
    ("Question 1 – one\nQuestion 2 - two", [((1,), "Question 1"), ((2,), "Question 2")]),
    ("Q1-3 - range", [((1, 2, 3), "Q1-3")]),
    ("Q1 - one\n\nQ10 is not a request for information.", [((1,), "Q1"), ((10,), "Q10")]),
    ("Q1 - one\n\nThe above is a handrail only.", [((), None), ((1,), "Q1")]),
    ("Q1 - one, and so\nQ2 can be answered alongside it.", [((1,), "Q1")]),
    ("Only general advice here.", [((), None)]),
])
def test_advice_groups(advice_text, groups):
    result = extract(mail(CIRCULATION.format(request="1. a\n2. b\n3. c", advice=advice_text), "CRU Circulation"))
    assert [(a.questions, a.heading) for a in result.advice] == groups


def test_advice_under_each_question():
    request = "1. One?\nAdvice: no harm.\n2. Two?\nCRU Advice - s12 applies."
    text = CIRCULATION.format(request=request, advice="").replace("CRU Advice:\n", "")
    result = extract(mail(text, "Log No. 12/25 CRU Circulation"))
    assert [q.text for q in result.questions] == ["One?", "Two?"]
    assert [(a.questions, a.text) for a in result.advice] == [((1,), "no harm."), ((2,), "s12 applies.")]


@pytest.mark.parametrize("subject, text, headers, kind", [
    ("Log No. 1/25 CRU Circulation", "Log Number: 1/25", (), "circulation"),
    ("Log No. 1/25", "Case worker: A\nLogged with: B", (), "circulation"),
    ("FW: Log No. 1/25 CRU Circulation", "fyi", (), "forwarded_circulation"),
    ("Log No. 1/25 CRU Circulation", "Away until Monday", (("Auto-Submitted", "auto-replied"),), "out_of_office"),
    ("Log No. 1/25 CRU Circulation", "", (("Auto-Submitted", "auto-generated"),), "acknowledgement"),
    ("Automatic reply: Log No. 1/25", "I am out of the office until Monday.", (), "out_of_office"),
    ("Re: hello", "This is an automatic acknowledgement. Your message has been received.",
     (("X-Auto-Response-Suppress", "All"),), "acknowledgement"),
    ("Re: Log No. 1/25", "I'm on annual leave until June.", (), "out_of_office"),
    ("FOI referral - drones", "Please see the request below.", (), "referral"),
    ("Drones", "We have received the following request and would like advice.", (), "referral"),
    ("RE: Log No. 1/25 CRU Circulation", "Could you clarify Q2?", (), "force_query"),
    ("Newsletter", "The bulletin is out.", (), "other"),
    ("Lunch", "Are you free for lunch on Friday?", (), "other"),
    ("Note", "", (("Auto-Submitted", "no"),), "other"),
    ("Read: Log No. 1/25 CRU Circulation", "Your message was read on 2 May 2025.", (), "acknowledgement"),
    ("Log No. 1/25", "", (("Content-Type", "multipart/report; report-type=disposition-notification"),),
     "acknowledgement"),
])
def test_kinds(subject, text, headers, kind):
    assert extract(mail(text, subject, headers=headers)).kind == kind


def test_primary_and_related_logs():
    inner = mail("Log Number: 1355/22\nCase worker: X", "Log No.001355/22 CRU Circulation (16/09/2022)")
    outer = mail("Log Number: 43/23\nCase worker: Y\nsee CRU ref: 1355/22", "Log No. 43/23 - CRU Circulation",
                 nested=[inner])
    result = extract(outer)
    assert (result.log_numbers, result.primary_log, result.related_logs) == (("43/23", "1355/22"), "43/23", ("1355/22",))
    assert result.nested[0].primary_log == "1355/22"


def test_not_a_circulation_has_no_primary_log():
    result = extract(mail("Thanks, noted.", "Re: Log No. 77/25 - CRU Circulation"))
    assert (result.kind, result.primary_log, result.related_logs) == ("other", None, ("77/25",))


def test_quoted_mail_is_not_the_senders_own_text():
    text = "Could you advise on Q2 please?\n\n-----Original Message-----\nFrom: CRU\nSubject: x\n\ns12 applies"
    result = extract(mail(text, "RE: Log No. 3/25"))
    assert (result.kind, result.exemptions) == ("force_query", ())


def test_absent_fields_are_none_never_empty():
    result = extract(mail("Case worker:\nLogged with: \n", "Log No. 3/25 CRU Circulation"))
    assert (result.case_worker, result.logged_with, result.sent_from, result.circulation_date) == (None,) * 4


def test_html_only_body_is_read_from_the_html():
    html = ("<p>OFFICIAL</p><table><tr><td>Log Number</td><td>7/25</td></tr><tr><td>Case worker</td>"
            "<td>Ann</td></tr></table><p>Applicants Request:</p><ol><li>One?</li><li>Two?</li></ol>")
    result = extract(mail("", "Log No. 7/25 CRU Circulation (01/02/2025)", html=html))
    assert (result.case_worker, [q.text for q in result.questions]) == ("Ann", ["One?", "Two?"])


@pytest.mark.parametrize("text, markers", [
    ("Case worker: S40(2)", ["S40(2)"]),
    ("the names were redacted before release", []),
    ("contact [name removed] at [Email Redacted]", ["[name removed]", "[Email Redacted]"]),
])
def test_more_redaction_markers(text, markers):
    assert redaction_markers(text) == markers


@pytest.mark.parametrize("text, found", [
    ("s.31 (1) and s40 (2)", ["s31(1)", "s40(2)"]),
    ("s.30/31 apply", ["s30", "s31"]),
    ("s40(5)(b)(i)", ["s40(5)"]),
])
def test_more_exemptions(text, found):
    assert exemptions(text) == found


OUTLOOK_LIST_HTML = """<html><body>
<p class=MsoNormal>Log Number: 5/25<o:p></o:p></p>
<p class=MsoNormal>Applicants Request:<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>How many dogs?<o:p></o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>2.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>How many cats?<o:p></o:p></p>
<p class=MsoNormal><b>CRU Advice<o:p></o:p></b></p>
<p class=MsoNormal><b>Q1</b><o:p></o:p></p>
<p class=MsoNormal>No harm.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><b>Q2</b><o:p></o:p></p>
<p class=MsoNormal>Also no harm.<o:p></o:p></p>
</body></html>"""


def test_outlook_pseudo_lists_and_headings_on_their_own_line():
    result = extract(mail("", "Log No. 5/25 CRU Circulation", html=OUTLOOK_LIST_HTML))
    assert [(q.label, q.text) for q in result.questions] == [("1.", "How many dogs?"), ("2.", "How many cats?")]
    assert [(a.questions, a.text) for a in result.advice] == [((1,), "No harm."), ((2,), "Also no harm.")]


@pytest.mark.parametrize("subject, text, kind", [
    ("Drone request", "Dear CRU,\n\nRequest:\n1. How many drones?\n\nThanks", "referral"),
    ("Log No. 43/23 - Further Advice", "Please see further advice below.", "circulation"),
])
def test_more_kinds(subject, text, kind):
    assert extract(mail(text, subject)).kind == kind


def test_greeting_is_not_an_unnumbered_question():
    text = "Log Number: 4/25\n\nApplicants Request:\nDear Sir,\n\nPlease tell me how many dogs you own.\n\nYours faithfully,\nA"
    result = extract(mail(text, "Log No. 4/25 CRU Circulation"))
    assert [q.text for q in result.questions] == ["Please tell me how many dogs you own."]


@pytest.mark.parametrize("text, logs", [
    ("a 50/50 split", []),
    ("**From:** CRU\n**Sent:** today\n**Subject:** Log No. 8/25 - CRU Circulation\n\nLog Number: 8/25", ["8/25"]),
])
def test_more_log_numbers(text, logs):
    assert find_logs(text) == logs


def test_a_body_that_opens_with_its_own_printed_headers_is_its_own_text():
    text = "From: CRU\nSent: 23 January 2023\nSubject: Log No. 43/23 - CRU Circulation (23/01/2023)\n\nLog Number: 43/23\nCase worker: A\nLogged with: B"
    result = extract(mail(text, "FW: Log No. 43/23"))
    assert (result.kind, result.case_worker, result.circulation_date) == ("forwarded_circulation", "A", "2023-01-23")


def test_a_polite_question_without_a_question_mark_is_a_force_query():
    assert extract(mail("We would be grateful for any advice on this one.", "Drones")).kind == "force_query"


def test_background_paragraphs_are_not_unnumbered_questions():
    text = ("Log Number: 4/25\n\nApplicants Request:\nI am researching police use of drones.\n\n"
            "Please provide the number of drones owned by your force.\n\nHow much was spent on them in 2023?\n")
    result = extract(mail(text, "Log No. 4/25 CRU Circulation"))
    assert [q.text for q in result.questions] == ["Please provide the number of drones owned by your force.",
                                                 "How much was spent on them in 2023?"]


def test_a_pasted_applicant_email_stays_inside_the_circulation():
    text = ("Log Number: 6/25\nCase worker: A\nLogged with: B\n\nFrom: An Applicant\nSent: 2 January 2025\n"
            "To: FOI\nSubject: request\n\nApplicants Request:\n1. How many horses?\n\nCRU Advice:\nQ1 - s21 applies.\n\nRegards")
    result = extract(mail(text, "Log No. 6/25 CRU Circulation"))
    assert (result.kind, [q.text for q in result.questions], result.exemptions) == ("circulation", ["How many horses?"], ("s21",))


def test_a_request_written_after_its_heading_on_one_line():
    text = "Log Number: 4/25\nApplicants Request: How many drones does your force own?\n\nCRU Advice: No harm.\n"
    result = extract(mail(text, "Log No. 4/25 CRU Circulation"))
    assert [q.text for q in result.questions] == ["How many drones does your force own?"]
    assert [(a.questions, a.text) for a in result.advice] == [((), "No harm.")]


def test_questions_in_a_table_with_a_number_column():
    html = ("<p>Applicants Request:</p><table><tr><td>1</td><td>How many dogs?</td></tr>"
            "<tr><td>2</td><td>How many cats?</td></tr></table><p>CRU Advice:</p><p>None.</p>")
    result = extract(mail("", "Log No. 4/25 CRU Circulation", html=html))
    assert [(q.label, q.text) for q in result.questions] == [("1", "How many dogs?"), ("2", "How many cats?")]


def test_a_prose_request_that_opens_with_i_would_like():
    text = ("Log Number: 77/24\nCase worker: Sam Lee\n\nApplicants Request:\nI would like to know how much your force\n"
            "spent on legal advice in 2023.\n\nCRU Advice:\nSpend totals are published.\n")
    result = extract(mail(text, "Log No 77/24 - CRU Circulation"))
    assert [q.text for q in result.questions] == ["I would like to know how much your force spent on legal advice in 2023."]


@pytest.mark.parametrize("request_text, texts", [
    ("- Information sought:\n- 1) One\n- 2) Two", ["One", "Two"]),
    ("• One\n  (a) sub\n• Two", ["One (a) sub", "Two"]),
    ("(a) One\n(b) Two\n  - detail", ["One", "Two - detail"]),
])
def test_numbers_then_bullets_then_letters(request_text, texts):
    result = extract(mail(CIRCULATION.format(request=request_text, advice="No harm."), "Log No. 12/25 CRU Circulation"))
    assert [q.text for q in result.questions] == texts


@pytest.mark.parametrize("advice_text, groups", [
    ("Qs 1 and 2 - both", [((1, 2), "Qs 1 and 2")]),
    ("a) and b) – both\n\nc) - third", [((1, 2), "a) and b)"), ((3,), "c)")]),
    ("Q 3 – spaced", [((3,), "Q 3")]),
])
def test_more_advice_headings(advice_text, groups):
    result = extract(mail(CIRCULATION.format(request="1. a\n2. b\n3. c", advice=advice_text), "CRU Circulation"))
    assert [(a.questions, a.heading) for a in result.advice] == groups


def test_a_stub_plain_part_gives_way_to_the_html():
    html = "<p>Log Number: 3/25</p><p>Case worker: Ann</p><p>Logged with: Kent Police</p>" + "<p>More text.</p>" * 30
    parsed = ParsedMail(format="eml", sha256="0" * 64, size=1, subject="Log No. 3/25 CRU Circulation",
                        text="This message is best viewed in HTML.", html=html, text_source="plain")
    assert extract(parsed).case_worker == "Ann"
