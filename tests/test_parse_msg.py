"""The parse stage on Outlook .msg files: the shared corpus (read in place,
never copied here), msgforge-built messages, RTF-only bodies, bad files."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crumail.errors import NotMailError, ParseError
from crumail.parse import parse_bytes
from support.hostile import without_plain_body
from support.paths import CORPUS_MSG, SHARED, corpus_msg

msgforge = pytest.importorskip("msgforge")

CORPUS = SHARED / CORPUS_MSG
# Absent ../shared gives one None case, which the real_samples fixture skips (fails under CI=true).
CORPUS_FILES = sorted(CORPUS.glob("*.msg")) or [None]
CONTACT = "hfig-mapi_Swetlana.msg"


def corpus(name: str) -> bytes:
    return (corpus_msg() / name).read_bytes()


@pytest.fixture
def real_samples() -> Path:
    return corpus_msg()


@pytest.mark.usefixtures("real_samples")
@pytest.mark.parametrize("path", [p for p in CORPUS_FILES if p is None or p.name != CONTACT], 
                         ids=lambda p: p.name if p else "absent")
def test_every_corpus_mail_parses(path):
    data = path.read_bytes()
    parsed = parse_bytes(data, path.name)
    assert parsed.format == "msg"
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert parsed.size == len(data)
    assert parsed.text.strip() or parsed.nested
    assert parsed.text_source in ("plain", "html", "rtf")
    assert parsed.date is None or parsed.date.tzinfo is not None


@pytest.mark.usefixtures("real_samples")
def test_outlook_contact_is_not_mail():
    with pytest.raises(NotMailError, match=r"Outlook contact \(IPM.Contact\), not a mail message"):
        parse_bytes(corpus(CONTACT), CONTACT)


@pytest.mark.usefixtures("real_samples")
def test_corpus_headers_and_attachments():
    parsed = parse_bytes(corpus("msgreader_EmailWithAttachments.msg"))
    assert parsed.subject == "This is the subject"
    assert parsed.from_.name == "Kees"
    assert parsed.text.strip() == "Hello Neverland text"
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("peterpan.jpg", "image/jpeg"), ("tinkerbell.jpg", "image/jpeg")]
    assert all(a.size > 30_000 and len(a.sha256) == 64 for a in parsed.attachments)

    special = parse_bytes(corpus("msgreader_EmailWithSpecialCharsInSubject.msg"))
    assert special.subject.startswith("Un sujet bien d\u00e9fini \u00c0\u00e9roport ma\u00f1ana")

    transported = parse_bytes(corpus("hfig-mapi_sample.msg"))  # transport headers present
    assert transported.date.utcoffset().total_seconds() == -3 * 3600
    assert transported.from_.address == "mlemos@acm.org"
    assert transported.header("Subject") is not None


@pytest.mark.usefixtures("real_samples")
def test_embedded_msg_is_nested():
    parsed = parse_bytes(corpus("msgreader_EmailWithMsgAttachment.msg"))
    assert parsed.subject == "FW: Msg Attachment Test"
    assert parsed.attachments == ()
    (inner,) = parsed.nested
    assert inner.format == "msg"
    assert inner.subject == "Msg Attachment Test"
    assert len(inner.sha256) == 64 and inner.size > 0


def _without_plain_body(data: bytes) -> bytes:
    """The same .msg with its plain-text body stream removed: RTF only."""
    return without_plain_body(data)


@pytest.mark.usefixtures("real_samples")
@pytest.mark.parametrize("name, source, words", [
    ("msgreader_HtmlSampleEmail.msg", "html", "Well, Prince, so Genoa and Lucca"),
    ("msgreader_RtfSampleEmail.msg", "rtf", "Well, Prince, so Genoa and Lucca"),
    ("msgreader_TxtSampleEmail.msg", "rtf", "Well, Prince, so Genoa and Lucca"),
    ("msgreader_RtfWithShortRussianString.msg", "html", "\u00ab\u041f\u0430\u0440\u043e\u043b\u044c\u00bb"),
])
def test_rtf_only_bodies_are_read_without_rtfde(name, source, words, monkeypatch):
    data = _without_plain_body(corpus(name))

    calls = []

    def rtfde_is_too_slow(*args, **kwargs):  # 150-770 ms a message
        calls.append(args)
        raise RuntimeError("RTFDE called")

    import RTFDE
    monkeypatch.setattr(RTFDE, "DeEncapsulator", rtfde_is_too_slow)
    parsed = parse_bytes(data, name)
    assert parsed.text_source == source
    assert words in parsed.text
    assert "\\rtf" not in parsed.text and "htmltag" not in parsed.text
    if source == "html":
        assert "<html" in parsed.html.lower()
    assert calls == [], "RTFDE de-encapsulation was called"   # its cost: bench/msg_timing.py


# ---------------------------------------------------------------- msgforge

def forge(**kwargs) -> bytes:
    return msgforge.Message(**kwargs).as_bytes()


def test_msgforge_html_message():
    data = forge(
        subject="Log No. 46/23 - CRU Circulation (06/02/2023)",
        html_body="<p>Dear All,</p><table><tr><td>Case worker:</td><td>Sam Example</td></tr></table>"
                  "<ol><li>First question?</li><li>Second question?</li></ol>",
        text_body="Dear All,\r\nCase worker: Sam Example\r\n1. First question?\r\n2. Second question?\r\n",
        to=[("foi@example.police.uk", "Example FOI")],
        cc=[("dp@example.police.uk", "Data Protection")],
        bcc=[("audit@example.police.uk", "Audit")],
        sender=("cru@example.police.uk", "CRU Mailbox"),
        sent=datetime(2023, 2, 6, 9, 30, tzinfo=timezone.utc),
    )
    parsed = parse_bytes(data, "forged.msg")
    assert parsed.format == "msg"
    assert parsed.subject == "Log No. 46/23 - CRU Circulation (06/02/2023)"
    assert parsed.from_.as_dict() == {"name": "CRU Mailbox", "address": "cru@example.police.uk"}
    assert [a.as_dict() for a in parsed.to] == [{"name": "Example FOI", "address": "foi@example.police.uk"}]
    assert [a.address for a in parsed.cc] == ["dp@example.police.uk"]
    assert [a.address for a in parsed.bcc] == ["audit@example.police.uk"]
    assert parsed.date == datetime(2023, 2, 6, 9, 30, tzinfo=timezone.utc)
    assert parsed.text_source == "plain"
    assert "Case worker: Sam Example" in parsed.text
    assert "<table>" in parsed.html


def test_msgforge_html_only_message_uses_the_html():
    data = _without_plain_body(forge(subject="html only",
                                     html_body="<table><tr><td>Logged with:</td><td>Example Police</td></tr></table>"))
    parsed = parse_bytes(data)
    assert parsed.text_source == "html"
    assert "Logged with: Example Police" in parsed.text


def test_msgforge_attachments_and_attached_message():
    inner = forge(subject="Log No. 1355/22 original circulation", text_body="Inner words.\r\n",
                  sender=("cru@example.police.uk", "CRU"), sent=True)
    eml = b"From: a@example.org\r\nSubject: an eml inside a msg\r\n\r\nEml words.\r\n"
    outer = msgforge.Message(subject="FW: circulation", text_body="See attached.\r\n", sent=True)
    outer.attach_bytes("notes.txt", b"Some notes\r\n")
    outer.attach_bytes("original.msg", inner, "application/vnd.ms-outlook")
    outer.attach_bytes("forwarded.eml", eml, "application/octet-stream")
    outer.attach_bytes("fake.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 cut", "application/vnd.ms-outlook")
    parsed = parse_bytes(outer.as_bytes())
    assert [(a.filename, a.size) for a in parsed.attachments] == [("notes.txt", 12), ("fake.msg", 12)]
    assert parsed.attachments[0].sha256 == hashlib.sha256(b"Some notes\r\n").hexdigest()
    assert [(m.format, m.subject, m.filename) for m in parsed.nested] == [
        ("msg", "Log No. 1355/22 original circulation", "original.msg"),
        ("eml", "an eml inside a msg", "forwarded.eml")]
    assert parsed.nested[0].text == "Inner words.\n"
    assert any("fake.msg" in defect for defect in parsed.defects)


# ---------------------------------------------------------------- damaged files

@pytest.mark.usefixtures("real_samples")
@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1])
def test_truncated_msg_raises_parse_error(keep):
    data = corpus("msgreader_EmailWithAttachments.msg")
    with pytest.raises(ParseError, match="Outlook .msg"):
        parse_bytes(data[: int(len(data) * keep)], "cut.msg")


def test_random_bytes_named_msg_raise_parse_error():
    import random
    for seed in range(5):
        noise = random.Random(seed).randbytes(20_000)
        with pytest.raises(ParseError, match="not an Outlook .msg file"):
            parse_bytes(noise, "random.msg")
        with pytest.raises(ParseError, match="not a readable Outlook .msg file"):
            parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise, "random.msg")
