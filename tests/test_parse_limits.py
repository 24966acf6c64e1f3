"""Bounds the parse stage keeps: nesting depth and memory."""

from __future__ import annotations

import base64
import hashlib
import os
import tracemalloc

import pytest

from crumail.errors import NestingTooDeepError, ParseError
from crumail.parse import MAX_NESTING, parse_bytes


def nested_rfc822(levels: int) -> bytes:
    """A message with ``levels`` messages attached inside one another."""
    message = b"From: level0@example.org\r\nSubject: level 0\r\n\r\ninnermost words\r\n"
    for level in range(1, levels + 1):
        message = (
            b"From: level%d@example.org\r\nSubject: level %d\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n'
            b"--b%d\r\nContent-Type: text/plain\r\n\r\nwords of level %d\r\n"
            b"--b%d\r\nContent-Type: message/rfc822\r\n\r\n" % ((level,) * 6)
        ) + message + b"\r\n--b%d--\r\n" % level
    return message


def test_nesting_up_to_the_limit_parses():
    parsed = parse_bytes(nested_rfc822(MAX_NESTING))
    chain = list(parsed.walk())
    assert len(chain) == MAX_NESTING + 1
    assert chain[-1].subject == "level 0"
    assert chain[-1].text.strip() == "innermost words"
    assert chain[1].text.strip() == f"words of level {MAX_NESTING - 1}"


@pytest.mark.parametrize("levels", [MAX_NESTING + 1, 200, 2000])
def test_deep_nesting_raises_nesting_too_deep(levels):
    with pytest.raises(NestingTooDeepError, match="nest"):
        parse_bytes(nested_rfc822(levels))


def test_deeply_nested_multiparts_raise_a_parse_error_not_recursion_error():
    body = b"".join(b'Content-Type: multipart/mixed; boundary="m%d"\r\n\r\n--m%d\r\n' % (i, i)
                    for i in range(3000))
    with pytest.raises(ParseError):
        parse_bytes(b"From: a@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + body)


def test_deeply_nested_msg_files_raise_nesting_too_deep():
    msgforge = pytest.importorskip("msgforge")
    data = msgforge.Message(subject="level 0", text_body="innermost").as_bytes()
    for level in range(1, MAX_NESTING + 3):
        outer = msgforge.Message(subject=f"level {level}", text_body="words")
        outer.attach_bytes(f"level{level - 1}.msg", data, "application/vnd.ms-outlook")
        data = outer.as_bytes()
    with pytest.raises(NestingTooDeepError):
        parse_bytes(data)


def big_attachment_mail(size: int) -> tuple[bytes, bytes]:
    payload = os.urandom(size)
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    data = (
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: big file\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe report is attached.\r\n"
        b'--b\r\nContent-Type: application/pdf; name="report.pdf"\r\n'
        b'Content-Disposition: attachment; filename="report.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--b--\r\n"
    )
    return data, payload


@pytest.mark.slow
def test_30_mb_attachment_stays_within_four_times_the_message():
    data, payload = big_attachment_mail(30 * 1024 * 1024)
    expected = hashlib.sha256(payload).hexdigest()
    del payload
    tracemalloc.start()
    try:
        parsed = parse_bytes(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.attachments[0].sha256 == expected
    assert parsed.attachments[0].size == 30 * 1024 * 1024
    assert parsed.text.strip() == "The report is attached."
    ratio = peak / len(data)
    assert ratio < 4, f"peak {peak / 1e6:.0f} MB for a {len(data) / 1e6:.0f} MB message ({ratio:.1f}x)"


@pytest.mark.slow
def test_30_mb_attachment_inside_an_attached_message_stays_within_four_times():
    inner, payload = big_attachment_mail(30 * 1024 * 1024)
    expected = hashlib.sha256(payload).hexdigest()
    del payload
    data = (b"From: o@example.org\r\nSubject: FW: big file\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
            b"--outer\r\nContent-Type: text/plain\r\n\r\nForwarded.\r\n"
            b"--outer\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--outer--\r\n")
    inner_hash = hashlib.sha256(inner).hexdigest()
    del inner
    tracemalloc.start()
    try:
        parsed = parse_bytes(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (nested,) = parsed.nested
    assert nested.attachments[0].sha256 == expected
    assert nested.sha256 == inner_hash  # the attached message's own bytes
    assert peak / len(data) < 4, f"{peak / len(data):.1f}x"
