"""Bad input, built in the test: every kind the foundation must survive."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from conftest import CORPUS_MSG
from mailfactory import circulation

CONTACT = CORPUS_MSG / "hfig-mapi_Swetlana.msg"
GOOD_MSG = CORPUS_MSG / "msgreader_EmailWithAttachments.msg"

BROKEN_BOUNDARY = (
    b"From: a@example.org\r\nTo: b@example.org\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="declared-boundary"\r\n\r\n'
    b"--some-other-boundary\r\nContent-Type: text/plain\r\n\r\nlost text\r\n"
    b"--some-other-boundary--\r\n"
)

UNDECLARED_8BIT = (
    b"From: a@example.org\r\nTo: b@example.org\r\nSubject: caf\xe9 request\r\n"
    b"Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    b"The applicant\x92s request about the caf\xe9 \x96 see attached.\r\n"
)


def nested(depth: int) -> bytes:
    inner = b"From: a@example.org\r\nSubject: innermost\r\n\r\nhello\r\n"
    for level in range(depth):
        inner = (f"From: a@example.org\r\nSubject: level {level}\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: message/rfc822\r\n\r\n").encode() + inner
    return inner


def big_attachment(megabytes: int = 30) -> bytes:
    payload = base64.encodebytes(os.urandom(megabytes * 1024 * 1024))
    return (
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
        b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b1\r\n"
        b'Content-Type: application/octet-stream; name="big.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"\r\n--b1--\r\n"
    )


def write_all(folder: Path) -> dict[str, bytes]:
    """Write the bad files and two good ones; returns name -> bytes."""
    files = {
        "a-good.eml": circulation("302/24"),
        "b-empty.eml": b"",
        "c-random.msg": os.urandom(4096),
        "d-truncated.msg": GOOD_MSG.read_bytes()[:20000],
        "e-broken-boundary.eml": BROKEN_BOUNDARY,
        "f-undeclared-8bit.eml": UNDECLARED_8BIT,
        "g-nested-200.eml": nested(200),
        "h-contact.msg": CONTACT.read_bytes(),
        "i-big-attachment.eml": big_attachment(),
        "z-good.msg": GOOD_MSG.read_bytes(),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


# A broken boundary and an undeclared charset are repaired (the repair is
# recorded as a defect), not quarantined: their text is readable.
QUARANTINED = {"b-empty.eml", "c-random.msg", "d-truncated.msg",
               "g-nested-200.eml", "h-contact.msg", "i-big-attachment.eml"}
STORED = {"a-good.eml", "e-broken-boundary.eml", "f-undeclared-8bit.eml", "z-good.msg"}
