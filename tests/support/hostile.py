"""Hostile mail built in the test (and by bench/hostile.py): the cases a tester
found tying up the desk or filling memory, with an ordinary referral beside
them as the baseline, and how the tests measure work without a clock.
Fictitious people, drama-range numbers, example.* only."""

from __future__ import annotations

import base64
import io
import random
import struct
import sys
import zlib


def line_events(action) -> int:
    """Python lines run by ``action()`` (library code included): a measure of work."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        action()
    finally:
        sys.settrace(None)
    return count


REFERRAL = """From: "Westvale Information Rights" <foi@westvale.example.police.uk>
To: {to}
Subject: {subject}
Date: Mon, 11 Nov 2024 10:15:00 +0000
Message-ID: <{tag}@westvale.example.police.uk>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Good morning CRU,

We have received the request below and would be grateful for it to be logged and for advice.

Request:
1. How many drones does the force operate?
{extra}
Many thanks,

Owen Tregarth
"""
CRU = '"NPCC CRU Mailbox" <cru@npcc.example.police.uk>'


def referral(*, subject: str = "New referral - drones", to: str = CRU, extra: str = "",
             tag: str = "ordinary") -> bytes:
    """A referral from a force: the acknowledgement and advice drafts answer it."""
    return REFERRAL.format(subject=subject, to=to, extra=extra, tag=tag).replace("\n", "\r\n").encode()


def long_subject(chars: int) -> bytes:
    """One word of ``chars`` letters as the Subject, RFC 2047-encoded and
    folded the way a mailer writes it (the folded form is what the stdlib's
    header parser re-reads in time and memory growing with its square)."""
    words, left = [], chars
    while left > 0:
        piece = min(45, left)
        words.append("=?utf-8?b?" + base64.b64encode(b"A" * piece).decode() + "?=")
        left -= piece
    return referral(subject="\n ".join(words), tag=f"subject{chars}")


def phone_numbers(count: int) -> bytes:
    """A referral whose question carries ``count`` phone numbers, one a line."""
    lines = "".join(f"Call 07700 900{i % 1000:03d} about it.\n" for i in range(count))
    return referral(extra=lines, tag=f"phones{count}")


def recipients(count: int) -> bytes:
    return referral(to=", ".join(f"p{i}@example.org" for i in range(count)), tag=f"rcpt{count}")


def bullet_questions(count: int) -> bytes:
    return referral(extra="\n".join(f"- How many drones flew over area {i}?" for i in range(count)) + "\n",
                    tag=f"questions{count}")


# -- Outlook .msg -----------------------------------------------------------

def lzfu_bomb(size: int) -> bytes:
    """A compressed-RTF stream of about ``size`` bytes that expands eightfold:
    after a short literal head every token is a 17-byte match (MS-OXRTFCP)."""
    head = b"{\\rtf1\\ansi\\ansicpg1252\\deff0 Referral "
    head += b" " * (-len(head) % 8)
    body = bytearray()
    position = 207  # where the decompressor writes its first byte in the 4 KB ring
    for at in range(0, len(head), 8):
        body.append(0)
        body += head[at:at + 8]
        position += 8
    while len(body) < size:
        body.append(0xFF)
        for _ in range(8):
            body += struct.pack(">H", (((position - 20) % 4096) << 4) | 15)
            position += 17
    crc = zlib.crc32(bytes(body), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return struct.pack("<II4sI", len(body) + 12, len(body) * 8, b"LZFu", crc) + bytes(body)


def rtf_bomb_msg(size: int) -> bytes:
    """An RTF-only Outlook .msg whose compressed RTF body is about ``size`` bytes."""
    return _rtf_only(lzfu_bomb(size))


def _rtf_only(compressed: bytes) -> bytes:
    import msgforge

    return without_plain_body(msgforge.Message(subject="New referral", text_body="x").as_bytes(), compressed)


def without_plain_body(data: bytes, compressed_rtf: bytes | None = None) -> bytes:
    """The .msg ``data`` with its plain-text body stream removed (RTF only),
    and ``compressed_rtf`` as its RTF body when given."""
    import extract_msg
    from extract_msg.ole_writer import OleWriter

    item = extract_msg.openMsg(data)
    try:
        writer = OleWriter()
        writer.fromMsg(item)
    finally:
        item.close()
    for stream in ("__substg1.0_1000001F", "__substg1.0_1000001E"):
        try:
            writer.deleteEntry(stream)
        except Exception:
            pass
    if compressed_rtf is not None:
        writer.addEntry("__substg1.0_10090102", compressed_rtf)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_recipients_msg(count: int) -> bytes:
    """An Outlook .msg with ``count`` recipients (about seven directory entries each)."""
    import msgforge

    return msgforge.Message(subject="New referral", text_body="Request: how many drones?",
                            to=[(f"Person {i}", f"p{i}@example.org") for i in range(count)]).as_bytes()


def shared_sector_msg(copies: int, size: int = 100_000) -> bytes:
    """An Outlook .msg whose ``copies`` small attachments each run on, through
    the FAT, into the sectors of one ``size``-byte attachment, and declare its
    size: read one by one, the file expands ``copies``-fold.  (Each starts on
    a sector of its own, so olefile's duplicate-stream check does not see it.)"""
    import os

    import msgforge
    import olefile

    message = msgforge.Message(subject="New referral", text_body="See attached.")
    message.attach_bytes("scan.pdf", os.urandom(size), "application/pdf")
    for n in range(copies):
        message.attach_bytes(f"copy{n}.pdf", os.urandom(5000), "application/pdf")
    data = bytearray(message.as_bytes())
    ole = olefile.OleFileIO(bytes(data))
    streams = sorted((e for e in ole.direntries if e is not None and e.name == "__substg1.0_37010102"),
                     key=lambda e: -e.size)
    big, small = streams[0], streams[1:]
    shift = 1 << struct.unpack_from("<H", data, 30)[0]

    def chain(start: int) -> list[int]:
        found = [start]
        while ole.fat[found[-1]] < olefile.MAXREGSECT:
            found.append(ole.fat[found[-1]])
        return found

    big_chain = chain(big.isectStart)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < olefile.MAXREGSECT]
    for entry in small:
        last = chain(entry.isectStart)[-1]
        index, slot = divmod(last, shift // 4)
        struct.pack_into("<I", data, (fat_sectors[index] + 1) * shift + slot * 4, big_chain[1])
        declared = entry.size - entry.size % shift + shift + (len(big_chain) - 1) * shift
        struct.pack_into("<I", data, _entry_offset(ole, entry.sid, shift) + 120, declared)
    return bytes(data)


def _entry_offset(ole, sid: int, sector: int) -> int:
    """Where directory entry ``sid`` sits in the file (directory chain, 128 bytes an entry)."""
    per_sector = sector // 128
    at, index = ole.first_dir_sector, 0
    for _ in range(sid // per_sector):
        at = ole.fat[at]
    return (at + 1) * sector + (sid % per_sector) * 128


def digits_and_slashes(size: int) -> str:
    rng = random.Random(7)
    return "".join(rng.choice("0123456789/") for _ in range(size))


#: Text for the extraction rules, built to make a careless pattern backtrack or a careless loop rescan.
HOSTILE_TEXT = {
    "digits and slashes": digits_and_slashes,
    "one long line": lambda n: "Log No. 1/25 " + "a" * n,
    "zero run after Log No.": lambda n: "Log No." + "0" * n,
    "repeated advice headings": lambda n: "CRU Advice:\n" + "Q1 - x\n" * (n // 7),
    "one heading line": lambda n: "CRU Advice:\nQ1" + " and Q1" * (n // 7) + " x",
    "repeated items": lambda n: "Applicants Request:\n" + "".join(f"{i % 99 + 1}. q\n" for i in range(n // 5)),
    "repeated bullets": lambda n: "Request:\n" + "- x\n" * (n // 4),
    "repeated cross references": lambda n: "Questions 1 of 1355/22 refer to Q1 of this request. " * (n // 55),
    "section list": lambda n: "s12 and s13 and " * (n // 16),
    "log number list": lambda n: "Log No. 1/25 & " * (n // 15),
    "quote markers": lambda n: "> " * (n // 2),
    "From lines": lambda n: "From: x\n" * (n // 8),
    "asterisks": lambda n: "*" * n,
    "unclosed brackets": lambda n: "[REDACTED" * (n // 9),
    "labels": lambda n: "Case worker:" * (n // 12),
    "dates": lambda n: "1/1/" * (n // 4),
    # Issue 12's readings: banners beside masks, a date label after a long
    # blank run, masked sections, other Acts, a force's position words.
    "banners and masks": lambda n: "*** ALL TO READ ***\n*****S40\n" * (n // 28),
    "blank run before a date label": lambda n: "Caseworker: x" + " " * n + "Date created: 1/2/2013",
    "masked sections": lambda n: "*" * (n // 2) + "S40" + "*" * (n // 2),
    "other Acts": lambda n: "section 30A of the " + "Firearms " * (n // 9) + "Act",
    "position words": lambda n: "We will " + "Police " * (n // 7) + "will be disclosing",
}
