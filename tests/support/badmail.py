"""Bad input, built in the test: every kind the foundation must survive.

The same bytes every run: random bytes come from a seeded generator and
start with a byte no mail header or OLE file starts with (unseeded, about 7
files in 3,000 happened to parse as mail), and the Outlook files are built
with msgforge, so nothing here needs the real samples in ../shared.
"""

from __future__ import annotations

import base64
import io
import random
from datetime import datetime, timezone
from pathlib import Path

from support.mail import circulation

#: No header line starts with it (RFC 5322 field names are printable ASCII),
#: nor an OLE file (D0 CF 11 E0 ...).
NOT_A_HEADER = b"\xff"

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


def random_bytes(size: int, seed: int = 14) -> bytes:
    """``size`` seeded random bytes that no parser can take for mail."""
    return NOT_A_HEADER + random.Random(seed).randbytes(size - 1)


def good_msg() -> bytes:
    """An ordinary Outlook .msg (a referral with one attachment), built with msgforge."""
    import msgforge

    message = msgforge.Message(subject="FOI referral - speed cameras",
                               sent=datetime(2024, 5, 3, 9, 30, tzinfo=timezone.utc),
                               text_body="Dear CRU,\r\n\r\nPlease log the attached request.\r\n",
                               sender=("foi@eastmoor.example.police.uk", "Eastmoor FOI"),
                               to=[("cru@npcc.example.police.uk", "NPCC CRU Mailbox")])
    message.attach_bytes("request.txt", b"1) How many speed cameras does the force operate?\r\n",
                         "text/plain")
    return message.as_bytes()


def contact_msg() -> bytes:
    """An Outlook contact (IPM.Contact): an OLE file extract-msg reads, but not mail."""
    import extract_msg
    from extract_msg.ole_writer import OleWriter

    item = extract_msg.openMsg(good_msg())
    try:
        writer = OleWriter()
        writer.fromMsg(item)
    finally:
        item.close()
    writer.editEntry("__substg1.0_001A001F", data="IPM.Contact".encode("utf-16-le"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def big_attachment(megabytes: int = 30) -> bytes:
    payload = base64.encodebytes(random.Random(megabytes).randbytes(megabytes * 1024 * 1024))
    return (
        b"From: a@example.org\r\nTo: b@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
        b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b1\r\n"
        b'Content-Type: application/octet-stream; name="big.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"\r\n--b1--\r\n"
    )


def write_all(folder: Path) -> dict[str, bytes]:
    """Write the bad files and two good ones; returns name -> bytes."""
    good = good_msg()
    files = {
        "a-good.eml": circulation("302/24"),
        "b-empty.eml": b"",
        "c-random.msg": random_bytes(4096),
        "d-truncated.msg": good[: len(good) // 2],
        "e-broken-boundary.eml": BROKEN_BOUNDARY,
        "f-undeclared-8bit.eml": UNDECLARED_8BIT,
        "g-nested-200.eml": nested(200),
        "h-contact.msg": contact_msg(),
        "i-big-attachment.eml": big_attachment(),
        "z-good.msg": good,
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
