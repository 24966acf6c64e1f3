"""Three mends of readpst's ``.eml`` output, so that crumail's parser sees
what Outlook held (docs/pst-study.md); pure functions on bytes.

* An attached message starts with an mbox envelope line (``>From "x@y" Thu
  Jan 1 ...``) that is no header: the parser would take every header
  below it for body and find no nested message.  The line is dropped.
* Outlook writes ``a@x; b@x`` between recipients: read as one address and
  199 names.  ``;`` outside quotes, comments and angle brackets becomes
  ``,`` in the address headers of the top-level header block.
* The RTF body is written as an ``rtf-body.rtf`` attachment beside the
  plain or HTML body it duplicates: the part is dropped when the message
  has a plain or HTML body, so it is not counted as an attachment.  When
  the RTF is the only body it stays (the parser reads it as an attachment).
"""

from __future__ import annotations

import re

_ENVELOPE = re.compile(rb"(Content-Type: message/rfc822\r?\n(?:[^\r\n]+\r?\n)*\r?\n)>?From [^\n]*\n",
                       re.IGNORECASE)
_ADDRESS_HEADER = re.compile(rb"^(To|Cc|Bcc|Reply-To):", re.IGNORECASE)
_BOUNDARY = re.compile(rb'boundary="?(?P<b>[^";\r\n]+)"?', re.IGNORECASE)
_RTF_PART = re.compile(rb'filename="rtf-body\.rtf"', re.IGNORECASE)
_TEXT_BODY = re.compile(rb"^Content-Type: text/(plain|html)", re.IGNORECASE | re.MULTILINE)


def mend(data: bytes) -> bytes:
    """readpst's bytes with the three mends above."""
    data = _ENVELOPE.sub(rb"\1", data)
    data = _semicolons(data)
    return _without_rtf_copy(data)


def _semicolons(data: bytes) -> bytes:
    end = data.find(b"\n\n")
    head, rest = (data, b"") if end < 0 else (data[:end + 1], data[end + 1:])
    lines, in_address = head.split(b"\n"), False
    for n, line in enumerate(lines):
        if line[:1] not in (b" ", b"\t"):
            in_address = bool(_ADDRESS_HEADER.match(line))
        if in_address:
            lines[n] = _commas(line)
    return b"\n".join(lines) + rest


def _commas(line: bytes) -> bytes:
    out, quoted, depth, angle = bytearray(), False, 0, False
    for ch in line:
        c = bytes([ch])
        if c == b'"' and depth == 0:
            quoted = not quoted
        elif not quoted and c in b"()":
            depth += 1 if c == b"(" else -1 if depth else 0
        elif not quoted and c in b"<>":
            angle = c == b"<"
        elif c == b";" and not (quoted or depth or angle):
            c = b","
        out += c
    return bytes(out)


def _without_rtf_copy(data: bytes) -> bytes:
    if not _RTF_PART.search(data) or not _TEXT_BODY.search(data):
        return data
    found = _BOUNDARY.search(data)
    if found is None:
        return data
    marker = b"\n--" + found["b"]
    parts = data.split(marker)
    kept = [p for p in parts if not (_RTF_PART.search(p) and b"application/rtf" in p.lower()
                                     and not b"message/rfc822" in p.lower())]
    return marker.join(kept)
