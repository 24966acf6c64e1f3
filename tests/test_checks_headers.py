"""The Subject and display names are checked like the body; text is read as text (issue 10)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crumail.checks import CheckContext, check_bytes, check_eml, looks_like_eml
from crumail.cli import main

POLICE = CheckContext.build(internal_domains=["police.uk"])

ACK = (
    "From: CRU <cru@example.police.uk>\r\n"
    "To: foi@force.example.police.uk\r\n"
    "Subject: Acknowledgement - Re: FOI request from Jane Smith, 07700 900123, 12 Acacia Avenue, PR1 4AB\r\n"
    "Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
    "Message-ID: <ack-1@example.police.uk>\r\n"
    "\r\n"
    "Thank you: your request has been logged.\r\n"
)


def test_an_acknowledgement_whose_subject_repeats_name_mobile_and_address_is_blocked():
    _body, report = check_eml(ACK.encode(), context=POLICE)
    subject = ACK.split("Subject: ", 1)[1].split("\r\n", 1)[0]
    found = {(f.part, f.check, f.text) for f in report.findings}
    assert {("subject", "name", "Jane Smith"), ("subject", "phone", "07700 900123"),
            ("subject", "street_address", "12 Acacia Avenue"), ("subject", "postcode", "PR1 4AB")} <= found
    assert report.blocked
    for f in report.findings:
        assert subject[f.start : f.end] == f.text  # offsets are into the subject


@pytest.mark.parametrize("header, part, value, check, text", [
    ("To", "to", '"FOI re 07700 900417" <foi@example.org>', "phone", "07700 900417"),
    ("Cc", "cc", '"Desk (PR1 4AB)" <desk@example.org>', "postcode", "PR1 4AB"),
    ("Reply-To", "reply-to", '"[insert name]" <r@example.org>', "drafting_marker", "[insert name]"),
    ("From", "from", '"CRU - John Doe, 12 Mill Lane" <cru@example.police.uk>', "street_address", "12 Mill Lane"),
    ("To", "to", '"Applicant Jane Smith re Tom Okafor" <a@example.org>', "name", "Tom Okafor"),
])
def test_display_names_are_checked_with_their_part(header, part, value, check, text):
    mail = (f"From: cru@example.police.uk\r\nTo: x@example.police.uk\r\n{header}: {value}\r\n"
            "Subject: Advice\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n\r\nThe advice.\r\n")
    if header in ("From", "To"):
        mail = mail.replace(f"{header}: ", "X-Old: ", 1)
    _body, report = check_eml(mail.encode(), context=POLICE)
    assert (part, check, text) in {(f.part, f.check, f.text) for f in report.findings}


def test_a_display_name_that_is_just_the_recipients_name_is_not_a_finding():
    mail = ("From: CRU <cru@example.police.uk>\r\nTo: \"Jane Smith\" <jane@example.org>\r\n"
            "Subject: Your request\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n\r\nThank you.\r\n")
    _body, report = check_eml(mail.encode(), context=POLICE)
    assert not [f for f in report.findings if f.part in ("to", "from")]


@pytest.mark.parametrize("text", [
    "Name: Jane Smith\nPhone: 07700 900417\n\nShe asked about her request.\n",
    "Name: Jane Smith\nPhone: 07700 900417\nAddress: 12 Acacia Avenue\n\nBody.\n",
    "To: the FOI team\nRe: Jane Smith\n\nPlease see below.\n",
    "Subject: my request\nPhone: 07700 900417\nName: Jane\nDOB: 01/02/1980\n\nText.\n",
])
def test_a_draft_that_opens_with_field_lines_is_text(text):
    assert not looks_like_eml(text.encode())
    checked, report = check_bytes(text.encode(), (), POLICE)
    assert checked == text and report.blocked and all(f.part == "body" for f in report.findings)


def test_real_mail_headers_are_mail():
    assert looks_like_eml(ACK.encode())
    assert looks_like_eml(b"From: a@example.org\nTo: b@example.org\nX-Foo: 1\nThread-Topic: x\n\nbody\n")


def _cli(tmp_path, *args, input=None):
    config = tmp_path / "crumail.toml"
    config.write_text('[database]\npath = "crumail.db"\n\n[redaction]\ninternal_domains = ["police.uk"]\n')
    return CliRunner().invoke(main, ["--config", str(config), *args], input=input)


def test_crumail_check_reads_field_lines_as_text_and_honours_eml_and_text(tmp_path):
    draft = "Name: Jane Smith\nPhone: 07700 900417\n\nShe asked about her request.\n"
    result = _cli(tmp_path, "check", "--json", "-", input=draft)
    assert result.exit_code == 3
    assert ("phone", "body") in {(f["check"], f["part"]) for f in json.loads(result.stdout)["findings"]}
    forced = _cli(tmp_path, "check", "--json", "--text", "-", input=ACK)
    assert forced.exit_code == 3 and all(f["part"] == "body" for f in json.loads(forced.stdout)["findings"])
    as_mail = _cli(tmp_path, "check", "--json", "--eml", "-", input=ACK)
    assert "subject" in {f["part"] for f in json.loads(as_mail.stdout)["findings"]}
    plain = _cli(tmp_path, "check", "-", input=ACK)
    assert "[subject]" in plain.stdout and plain.exit_code == 3
