"""The parse stage on RFC 822 mail: the seed circulation, headers, bodies,
attachments, attached messages, winmail.dat, and input that is not mail."""

from __future__ import annotations

import hashlib
import os
import random
import struct
from datetime import timedelta
from pathlib import Path

import pytest

from crumail.errors import ParseError
from crumail.parse import parse_bytes
from support.mail import eml as mail
from support.paths import corpus_msg, seed as seed_path

DATA = Path(__file__).parent / "data" / "parse"
OUTLOOK_SAMPLE = "msgreader_EmailWithAttachments.msg"


def _noise(size: int, seed: int = 1) -> bytes:
    """Random bytes, the same on every run."""
    return random.Random(seed).randbytes(size)


# ---------------------------------------------------------------- the seed

@pytest.fixture(scope="module")
def seed():
    return parse_bytes(seed_path().read_bytes(), seed_path().name)


def test_seed_headers(seed):
    assert seed.format == "eml"
    assert seed.subject == ("Log No. 43/23 - S.40(2) - CRU Circulation (23/01/2023) - "
                            "RSO's - Including Advice")
    assert seed.from_.name == "NPCC CRU Mailbox"
    assert seed.from_.address == "cru.mailbox@npcc.example.police.uk"
    assert [a.as_dict() for a in seed.to] == [
        {"name": "Lancashire FOI", "address": "foi@lancashire.example.police.uk"}]
    assert seed.message_id == "<cru.43-23.20230125071800.9f3c@npcc.example.police.uk>"
    assert seed.date.isoformat() == "2023-01-25T07:18:00+00:00"
    assert seed.header("Thread-Topic").startswith("Log No. 43/23")
    assert seed.sha256 == hashlib.sha256(seed_path().read_bytes()).hexdigest()
    assert seed.size == len(seed_path().read_bytes())


def test_seed_text_is_the_outer_body_only(seed):
    assert seed.text_source == "plain"
    assert "Log Number: 43/23" in seed.text
    assert "without prior authorisation from the CRU" in seed.text  # soft line breaks joined
    assert "Log Number:1355/22" not in seed.text  # the attached circulation stays nested


def test_seed_attachments_are_the_two_images(seed):
    assert [(a.filename, a.content_type) for a in seed.attachments] == [
        ("image003.jpg", "image/jpeg"), ("image004.jpg", "image/jpeg")]
    for attachment in seed.attachments:
        assert attachment.size == 159
        assert len(attachment.sha256) == 64
    assert seed.attachments[0].content_id == "image003.jpg@01D93088.5A8E6F10"


def test_seed_nested_circulation(seed):
    assert len(seed.nested) == 1
    nested = seed.nested[0]
    assert nested.subject == "Log No.001355/22 CRU Circulation (16/09/2022) - Including Advice"
    assert nested.filename == "Log No.00135522 CRU Circulation (16092022) - Including Advice.msg"
    assert nested.date.isoformat() == "2022-09-22T06:34:00+01:00"
    assert "Log Number:1355/22" in nested.text
    assert "Q1 \u2013 Forces have released" in nested.text
    # Bcc holds redaction markers, not addresses: kept as names.
    assert [a.name for a in nested.bcc] == ["S.31(1)", "S.40(2)"]
    assert [m.subject for m in seed.walk()] == [seed.subject, nested.subject]


def test_seed_nested_hash_is_of_the_bytes_it_was_sent_as(seed):
    data = seed_path().read_bytes()
    start = data.index(b"From: NPCC CRU Mailbox <cru.mailbox")
    end = data.index(b"\r\n--_004_", start)  # the line end before a boundary is the boundary's
    assert seed.nested[0].size == end - start
    assert seed.nested[0].sha256 == hashlib.sha256(data[start:end]).hexdigest()


# ---------------------------------------------------------------- headers

def test_rfc2047_subject_and_display_names():
    data = mail("""
From: =?utf-8?q?J=C3=B6rg_Example?= <jorg@example.org>
To: =?iso-8859-1?q?Ren=E9e_Sample?= <renee@example.org>, plain@example.org
Cc: "Desk, FOI" <foi@example.police.uk>
Reply-To: replies@example.org
Subject: =?utf-8?b?TG9nIE5vLiA0NC8yMyDigJMgUmVxdWVzdA==?=
 =?utf-8?q?_f=C3=BCr_Auskunft?=
Date: Tue, 7 Feb 2023 14:05:00 -0500
Message-ID: <abc@example.org>
In-Reply-To: <parent@example.org>
References: <root@example.org>
 <parent@example.org>
""")
    parsed = parse_bytes(data)
    assert parsed.subject == "Log No. 44/23 \u2013 Request f\u00fcr Auskunft"
    assert parsed.from_.name == "J\u00f6rg Example"
    assert [(a.name, a.address) for a in parsed.to] == [
        ("Ren\u00e9e Sample", "renee@example.org"), (None, "plain@example.org")]
    assert parsed.cc[0].name == "Desk, FOI"
    assert parsed.reply_to[0].address == "replies@example.org"
    assert parsed.in_reply_to == "<parent@example.org>"
    assert parsed.references == ("<root@example.org>", "<parent@example.org>")
    assert parsed.date.utcoffset() == timedelta(hours=-5)
    assert parsed.date.isoformat() == "2023-02-07T14:05:00-05:00"
    assert ("Subject", parsed.subject) in parsed.headers


# ---------------------------------------------------------------- bodies

HTML_ONLY = """
From: cru@example.police.uk
To: foi@example.police.uk
Subject: Log No. 45/23 circulation
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
"""
HTML_BODY = """<html><head><style>p {color: red}</style></head><body>
<p>Dear&nbsp;All,</p>
<table><tr><td><b>Log Number:</b></td><td>45/23</td></tr>
<tr><td>Case worker:</td><td>Alex Example</td></tr>
<tr><td>Logged with:</td><td>Example Constabulary</td></tr></table>
<ol><li>How many officers?</li><li>How much was spent?</li></ol>
<ol start="4"><li>Fourth</li></ol>
<ul><li>a bullet</li></ul>
<p>Kind regards<br>CRU</p></body></html>
"""


def test_html_only_mail_gets_readable_text():
    parsed = parse_bytes(mail(HTML_ONLY, HTML_BODY))
    assert parsed.text_source == "html"
    assert parsed.html.startswith("<html>")
    lines = parsed.text.splitlines()
    assert "Case worker: Alex Example" in lines
    assert "Log Number: 45/23" in lines
    assert "1. How many officers?" in lines and "2. How much was spent?" in lines
    assert "4. Fourth" in lines
    assert "- a bullet" in lines
    assert "Dear All," in lines
    assert "color" not in parsed.text


def test_alternative_prefers_plain_and_keeps_html():
    data = mail("""
From: a@example.org
Subject: alt
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"
""", """--b1
Content-Type: text/plain; charset=us-ascii

Plain words.
--b1
Content-Type: text/html; charset=us-ascii

<p>HTML words.</p>
--b1--
""")
    parsed = parse_bytes(data)
    assert parsed.text_source == "plain"
    assert parsed.text.strip() == "Plain words."
    assert parsed.html.strip() == "<p>HTML words.</p>"


@pytest.mark.parametrize("charset_header, body, expected", [
    ("text/plain; charset=utf-8", b"Caf\xe9 \x96 caf\xc3\xa9 \x93quoted\x94\n",
     "Caf\u00e9 \u2013 caf\u00e9 \u201cquoted\u201d\n"),
    ("text/plain", b"Na\xefve \x96 fa\xe7ade\n", "Na\u00efve \u2013 fa\u00e7ade\n"),
    ("text/plain; charset=x-no-such-charset", b"Caf\xe9 au lait, cr\xe8me br\xfbl\xe9e\n", None),
])
def test_lying_charsets_are_repaired_and_recorded(charset_header, body, expected):
    data = mail(f"From: a@example.org\nSubject: charset\nContent-Type: {charset_header}", body)
    parsed = parse_bytes(data)
    if expected is not None:
        assert parsed.text == expected
    else:
        assert "au lait" in parsed.text
    assert any("charset" in defect for defect in parsed.defects)


def test_iso_8859_1_with_windows_1252_bytes_reads_as_windows_1252():
    data = mail("From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1",
                b"\x93Quoted\x94 \x96 caf\xe9\n")
    assert parse_bytes(data).text == "\u201cQuoted\u201d \u2013 caf\u00e9\n"


def test_broken_boundary_recovers_the_parts_it_can():
    data = mail("""
From: a@example.org
Subject: broken
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="declared"
""", """--actual
Content-Type: text/plain

The words.
--actual
Content-Type: application/pdf; name="a.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--actual--
""")
    parsed = parse_bytes(data)
    assert parsed.text == "The words."
    assert [a.filename for a in parsed.attachments] == ["a.pdf"]
    assert any("never occurs" in defect for defect in parsed.defects)


def test_truncated_multipart_keeps_what_arrived():
    data = mail("""
From: a@example.org
Subject: cut short
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"
""", """--b
Content-Type: text/plain

Still readable.
--b
Content-Type: application/pdf; name="a.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK""")
    parsed = parse_bytes(data)
    assert parsed.text == "Still readable."
    assert parsed.attachments[0].size == len(b"%PDF-1.4\n")
    assert any("CloseBoundaryNotFound" in defect for defect in parsed.defects)


# ---------------------------------------------------------------- attachments

def test_attachment_size_and_hash_are_of_decoded_bytes():
    payload = os.urandom(10_000)
    import base64
    encoded = base64.encodebytes(payload).decode()
    data = mail("""
From: a@example.org
Subject: file
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"
""", f"""--b
Content-Type: text/plain

see attached
--b
Content-Type: application/octet-stream; name="=?utf-8?q?r=C3=A9sum=C3=A9.bin?="
Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.bin
Content-Transfer-Encoding: base64

{encoded}--b--
""")
    parsed = parse_bytes(data)
    (attachment,) = parsed.attachments
    assert attachment.filename == "r\u00e9sum\u00e9.bin"
    assert attachment.size == len(payload)
    assert attachment.sha256 == hashlib.sha256(payload).hexdigest()


def _with_attached_file(name: str, content_type: str, content: bytes) -> bytes:
    import base64
    return mail(f"""
From: a@example.org
Subject: outer
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"
""", f"""--b
Content-Type: text/plain

outer words
--b
Content-Type: {content_type}; name="{name}"
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

{base64.encodebytes(content).decode()}--b--
""")


def test_attached_eml_file_with_generic_type_is_nested():
    inner = mail("From: b@example.org\nSubject: inner message", "inner words\n")
    parsed = parse_bytes(_with_attached_file("forwarded.eml", "application/octet-stream", inner))
    assert parsed.attachments == ()
    assert parsed.nested[0].subject == "inner message"
    assert parsed.nested[0].text == "inner words\n"
    assert parsed.nested[0].filename == "forwarded.eml"
    assert parsed.text.strip() == "outer words"


def test_attached_msg_named_file_that_is_not_a_message_stays_an_attachment():
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
    parsed = parse_bytes(_with_attached_file("broken.msg", "application/vnd.ms-outlook", junk))
    assert parsed.nested == ()
    assert [(a.filename, a.size) for a in parsed.attachments] == [("broken.msg", len(junk))]
    assert any("broken.msg" in defect for defect in parsed.defects)


def test_attached_outlook_msg_file_is_nested():
    corpus = corpus_msg() / OUTLOOK_SAMPLE
    parsed = parse_bytes(_with_attached_file("original.msg", "application/vnd.ms-outlook",
                                             corpus.read_bytes()))
    assert parsed.nested[0].format == "msg"
    assert parsed.nested[0].subject == "This is the subject"
    assert [a.filename for a in parsed.nested[0].attachments] == ["peterpan.jpg", "tinkerbell.jpg"]


# ---------------------------------------------------------------- winmail.dat

def _tnef_object(level: int, attribute: int, kind: int, data: bytes) -> bytes:
    """One TNEF attribute (MS-OXTNEF 2.1.3.1): level, id, type, length, data, checksum."""
    return (struct.pack("<BHHI", level, attribute, kind, len(data)) + data
            + struct.pack("<H", sum(data) & 0xFFFF))


def build_tnef(body: bytes, files: list[tuple[bytes, bytes]]) -> bytes:
    """A minimal winmail.dat: version, code page, body, and one
    attRendData/attAttachTitle/attAttachData triple per file."""
    blob = struct.pack("<IH", 0x223E9F78, 0x0001)
    blob += _tnef_object(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))  # attTnefVersion
    blob += _tnef_object(1, 0x9007, 0x0006, struct.pack("<II", 1252, 0))  # attOemCodepage
    blob += _tnef_object(1, 0x800C, 0x0002, body)  # attBody
    for name, content in files:
        blob += _tnef_object(2, 0x9002, 0x0006, bytes(14))  # attAttachRendData opens a file
        blob += _tnef_object(2, 0x8010, 0x0001, name + b"\x00")  # attAttachTitle
        blob += _tnef_object(2, 0x800F, 0x0006, content)  # attAttachData
    return blob


def test_winmail_dat_is_unpacked():
    files = [(b"minutes.txt", b"Minutes of the meeting.\r\n"), (b"table.csv", b"a,b\r\n1,2\r\n")]
    tnef = build_tnef(b"Body carried in TNEF.\r\n", files)
    parsed = parse_bytes(_with_attached_file("winmail.dat", "application/ms-tnef", tnef))
    assert [(a.filename, a.size, a.sha256) for a in parsed.attachments] == [
        (name.decode(), len(content), hashlib.sha256(content).hexdigest()) for name, content in files]
    assert parsed.text.strip() == "outer words"  # the mail's own body wins


def test_winmail_dat_body_used_when_mail_has_none():
    import base64
    tnef = build_tnef(b"Only the TNEF has words.", [(b"a.txt", b"abc")])
    data = mail("""
From: a@example.org
Subject: rich text from Outlook
MIME-Version: 1.0
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Transfer-Encoding: base64
""", base64.encodebytes(tnef))
    parsed = parse_bytes(data)
    assert parsed.text == "Only the TNEF has words."
    assert [a.filename for a in parsed.attachments] == ["a.txt"]


def test_message_file_inside_winmail_dat_is_nested():
    inner = b"From: b@example.org\r\nSubject: carried in TNEF\r\n\r\nwords\r\n"
    tnef = build_tnef(b"outer", [(b"carried.eml", inner), (b"a.txt", b"abc")])
    parsed = parse_bytes(_with_attached_file("winmail.dat", "application/ms-tnef", tnef))
    assert [m.subject for m in parsed.nested] == ["carried in TNEF"]
    assert [a.filename for a in parsed.attachments] == ["a.txt"]


def test_unreadable_winmail_dat_is_kept_with_a_defect():
    parsed = parse_bytes(_with_attached_file("winmail.dat", "application/ms-tnef", b"not tnef at all"))
    assert [a.filename for a in parsed.attachments] == ["winmail.dat"]
    assert any("TNEF" in defect for defect in parsed.defects)


# ---------------------------------------------------------------- not mail

@pytest.mark.parametrize("data, filename, reason", [
    (b"", None, "empty message"),
    (b"  \r\n\r\n", "blank.eml", "empty message"),
    (_noise(4096).replace(b":", b"."), None, "no mail headers"),
    (_noise(4096, 2), "random.msg", "not an Outlook .msg file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _noise(4096, 3), "random.msg", "not a readable Outlook .msg"),
])
def test_bad_input_raises_parse_error_with_a_reason(data, filename, reason):
    with pytest.raises(ParseError, match=reason):
        parse_bytes(data, filename)


def test_non_bytes_raises_parse_error():
    with pytest.raises(ParseError, match="expected bytes"):
        parse_bytes("From: a@example.org\n\nhi")  # type: ignore[arg-type]


@pytest.mark.parametrize("path", sorted(DATA.glob("*.eml")), ids=lambda p: p.name)
def test_golden_files(path):
    import json

    expected = json.loads(path.with_suffix(".json").read_text())
    parsed = parse_bytes(path.read_bytes(), path.name)
    for key, value in expected.items():
        if key == "text_contains":
            continue
        actual = getattr(parsed, key)
        if key in ("from_",):
            actual = actual.as_dict() if actual else None
        elif key in ("to", "cc", "bcc", "attachments"):
            actual = [item.as_dict() for item in actual]
        elif key == "nested":
            actual = [m.subject for m in actual]
        elif key == "date":
            actual = actual.isoformat() if actual else None
        elif key == "defects":
            actual = list(actual)
        assert actual == value, key
    for snippet in expected.get("text_contains", []):
        assert snippet in parsed.text


def test_base64_encoded_message_rfc822_holding_an_outlook_msg_is_nested():
    import base64
    corpus = corpus_msg() / OUTLOOK_SAMPLE
    data = mail("""
From: a@example.org
Subject: outer
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"
""", b"--b\r\nContent-Type: text/plain\r\n\r\nouter\r\n--b\r\n"
         b'Content-Type: message/rfc822; name="original.msg"\r\n'
         b"Content-Transfer-Encoding: base64\r\n\r\n"
         + base64.encodebytes(corpus.read_bytes()) + b"--b--\r\n")
    parsed = parse_bytes(data)
    assert [(m.format, m.subject) for m in parsed.nested] == [("msg", "This is the subject")]
    assert any("base64-encoded" in defect for defect in parsed.defects)


def test_8bit_headers_without_charset_are_repaired():
    data = b"From: Ren\xe9 Example <rene@example.org>\r\nTo: a@example.org\r\nSubject: Caf\xe9 \xe2\x80\x93 menu\r\n\r\nhi\r\n"
    parsed = parse_bytes(data)
    assert parsed.subject == "Caf\u00e9 \u2013 menu"
    assert parsed.from_.name == "Ren\u00e9 Example"
    assert any("header From" in defect for defect in parsed.defects)


def test_hostile_mime_parameters_do_not_escape_as_other_errors():
    # An RFC 2231 charset makes the stdlib's get_payload() raise TypeError;
    # an empty boundary makes its generator raise UnicodeEncodeError.
    data = mail("""
From: a@example.org
Subject: hostile
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"
""", "--b\r\nContent-Type: text/plain; charset*=utf-8''%FF\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
         "caf\u00e9\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@example.org\r\nSubject: inner\r\n"
         "Content-Type: multipart/related; boundary=\r\n\r\n--q\r\n\u00e9\r\n--b--\r\n")
    parsed = parse_bytes(data)
    assert parsed.nested[0].subject == "inner"
