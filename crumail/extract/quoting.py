"""Quoted earlier mail: where the sender's own text ends.

A reply or forward carries the earlier message below a separator
(``-----Original Message-----``, an Outlook ``From: ... Sent: ...`` block,
``On ... wrote:``, ``>`` quoting).  That text belongs to the earlier
message, so the body is cut into *layers*: the sender's own text first, then
each quoted message with the subject its header block gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A line that opens quoted mail by itself.
SEPARATOR = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:Original Message|Forwarded message|Forwarded by)\b.*"
    r"|Begin forwarded message:?[ \t]*"
    r"|_{8,}[ \t]*)$",
    re.I,
)
#: ``On Mon, 6 Jan 2025, Jo Bloggs <jo@example.org> wrote:`` (maybe over two lines).
ON_WROTE = re.compile(r"^[ \t]*On\b[^\n]{0,300}\bwrote:[ \t]*$")
ON_START = re.compile(r"^[ \t]*On\b[^\n]{0,300}$")
WROTE_END = re.compile(r"^[^\n]{0,300}\bwrote:[ \t]*$")
#: One line of a quoted header block (``From:``, ``Sent:``, ``Subject:`` ...).
HEADER_LINE = re.compile(
    r"^[ \t]*\**(From|Sent|Date|To|Cc|Bcc|Subject|Importance|Reply-To|Attachments)\**[ \t]*:\**[ \t]?(.*)$",
    re.I,
)
FROM_LINE = re.compile(r"^[ \t]*\**From\**[ \t]*:", re.I)
SENT_LINE = re.compile(r"^[ \t]*\**(?:Sent|Date)\**[ \t]*:", re.I)
QUOTE_PREFIX = re.compile(r"^[ \t]*>[ \t]?")
#: Replies and forwards nest rarely deeper than this; more is hostile input.
MAX_LAYERS = 12


@dataclass(frozen=True)
class Layer:
    """One message in a chain: its subject (if known) and its own text."""

    subject: str | None
    text: str
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def written_subject(self) -> str | None:
        """The ``Subject:`` line of the layer's own header block, if it had one."""
        return next((value for name, value in self.headers if name == "subject"), None)


def split_quoted(text: str) -> tuple[str, str | None]:
    """The sender's own text, and the quoted remainder (None when none)."""
    lines = text.split("\n")
    start = _first_quote_line(lines)
    if start is None:
        return text, None
    return "\n".join(lines[:start]).rstrip(), "\n".join(lines[start:])


def _first_quote_line(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if _opens_quote(lines, i, line):
            return i
    return None


def _opens_quote(lines: list[str], i: int, line: str) -> bool:
    if SEPARATOR.match(line) or ON_WROTE.match(line):
        return not line.strip().startswith("_") or _header_follows(lines, i + 1)
    if ON_START.match(line) and i + 1 < len(lines) and WROTE_END.match(lines[i + 1]):
        return True
    if FROM_LINE.match(line):
        return any(SENT_LINE.match(x) for x in lines[i + 1 : i + 6])
    return bool(QUOTE_PREFIX.match(line)) and i > 0


def _header_follows(lines: list[str], i: int) -> bool:
    return any(FROM_LINE.match(x) for x in lines[i : i + 3])


def read_quoted(quoted: str) -> Layer:
    """The quoted message: its header block (if any) and its text."""
    lines = quoted.split("\n")
    if lines and QUOTE_PREFIX.match(lines[0]):
        lines = [QUOTE_PREFIX.sub("", x, count=1) for x in lines]
    i = _skip_separators(lines)
    headers, i = _header_block(lines, i)
    subject = next((v for k, v in headers if k == "subject"), None)
    return Layer(subject or None, "\n".join(lines[i:]).strip("\n"), tuple(headers))


def _skip_separators(lines: list[str]) -> int:
    i = 0
    while i < len(lines) and i < 3 and (
        SEPARATOR.match(lines[i]) or ON_WROTE.match(lines[i]) or not lines[i].strip()
    ):
        i += 1
    if i < len(lines) and ON_START.match(lines[i]) and i + 1 < len(lines):
        if WROTE_END.match(lines[i + 1]):
            i += 2
    return i


def _header_block(lines: list[str], i: int) -> tuple[list[tuple[str, str]], int]:
    headers: list[tuple[str, str]] = []
    while i < len(lines):
        match = HEADER_LINE.match(lines[i])
        if match:
            headers.append((match.group(1).lower(), match.group(2).strip(" *")))
        elif headers and lines[i].strip() and headers[-1][0] == "subject":
            headers[-1] = ("subject", headers[-1][1] + " " + lines[i].strip())
        elif headers or lines[i].strip():
            break
        i += 1
    return headers, i


def layers(subject: str | None, text: str) -> list[Layer]:
    """The message and each message quoted in it, outermost first."""
    result: list[Layer] = []
    current = _without_printed_headers(Layer(subject, text))
    while len(result) < MAX_LAYERS:
        own, quoted = split_quoted(current.text)
        result.append(Layer(current.subject, own, current.headers))
        if quoted is None:
            break
        current = read_quoted(quoted)
    return result


def _without_printed_headers(layer: Layer) -> Layer:
    """A body that opens with its own ``From:``/``Sent:`` block (a printed or
    saved copy) is that message's text, not a quotation of another."""
    own, quoted = split_quoted(layer.text)
    if own.strip() or quoted is None:
        return layer
    printed = read_quoted(quoted)
    if printed.headers and not SEPARATOR.match(quoted.split("\n", 1)[0]):
        return Layer(layer.subject, printed.text, printed.headers)
    return layer
