"""Where the request, the advice and the sign-off sit in a body.

Circulations put the applicant's request under a heading (``Applicants
Request``, ``Request:``, ``We have received the following request:``) and the
unit's advice under another (``CRU Advice``, ``Advice:``); the sign-off
(``Kind regards``) ends both.
"""

from __future__ import annotations

import re

from crumail import wordlists
from crumail.wordlists import phrases

#: Emphasis and list marks stripped before a line is compared with a heading.
HEADING_TRIM = " \t*#_-–•"
#: A heading line is short; a longer line is a sentence that happens to match.
MAX_HEADING = 120
REQUEST_HEADING = re.compile(
    r"^(?:the[ \t]+)?(?:(?:applicant|requester|requestor)(?:['’]?s['’]?)?[ \t]+)"
    r"(?:original[ \t]+)?(?:request|questions?)\b"
    r"|^(?:the[ \t]+|original[ \t]+|new[ \t]+|foi[ \t]+)*request(?:[ \t]+(?:details|text|wording|reads?|received))?[ \t]*:?$"
    r"|^(?:details|description|wording|text)[ \t]+of[ \t]+(?:the[ \t]+)?(?:FOI[ \t]+)?request"
    r"|^(?:information|questions?)[ \t]+requested[ \t]*:?$|^requested[ \t]+information[ \t]*:?$"
    r"|\brequest\b[^:]{0,80}:$",
    re.I,
)
ADVICE_HEADING = re.compile(
    r"^(?:(?:CRU|NPCC|NPFDU|Central[ \t]+Referral[ \t]+Unit)(?:['’]s)?[ \t]+)?advice"
    r"(?:[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?(?:CRU|NPCC|NPFDU|unit))?[ \t]*:?$"
    r"|^(?:(?:CRU|NPCC|NPFDU)(?:['’]s)?[ \t]+)?advice[ \t]+(?:to|for)[ \t]+(?:all[ \t]+)?forces[ \t]*:?$"
    r"|^(?:CRU|NPCC|NPFDU)(?:['’]s)?[ \t]+(?:response|guidance|comments?|view)[ \t]*:?$",
    re.I,
)
#: ``Advice: text`` or ``CRU advice - text`` opening a line with its text.
ADVICE_INLINE = re.compile(
    r"^[ \t*]*(?:(?:CRU|NPCC)[ \t]+)?(?:advice|response)[ \t*]*[:\-–][ \t*]*(?P<text>.*)$", re.I
)
#: A line that is only a sign-off (``Kind regards,``): the words are the
#: name check's too, and "Best" alone besides.
SIGN_OFF = re.compile(r"^(?:" + wordlists.SIGN_OFFS + "|" + phrases(*wordlists.BARE_SIGN_OFFS) + r")\b[ \t,.!]*$", re.I)


def heading_text(line: str) -> str:
    return line.strip(HEADING_TRIM) if len(line) <= MAX_HEADING * 2 else ""


def is_request_heading(line: str) -> bool:
    text = heading_text(line)
    return 0 < len(text) <= MAX_HEADING and bool(REQUEST_HEADING.search(text))


def is_advice_heading(line: str) -> bool:
    text = heading_text(line)
    return 0 < len(text) <= MAX_HEADING and bool(ADVICE_HEADING.match(text))


def is_sign_off(line: str) -> bool:
    text = heading_text(line)
    return 0 < len(text) <= 40 and bool(SIGN_OFF.match(text))


def first_line(lines: list[str], test, start: int = 0, end: int | None = None) -> int | None:
    end = len(lines) if end is None else end
    return next((i for i in range(start, end) if test(lines[i])), None)


def request_start(lines: list[str]) -> int | None:
    """Index of the first line after the request heading, or None."""
    found = first_line(lines, is_request_heading)
    return None if found is None else found + 1


def sign_off(lines: list[str], start: int = 0) -> int:
    found = first_line(lines, is_sign_off, start)
    return len(lines) if found is None else found


#: ``Applicants Request: How many ...`` or ``CRU Advice: We note ...``: a heading
#: with its first words on the same line.
INLINE_HEADING = re.compile(
    r"^(?P<head>[ \t*]*(?:(?:the[ \t]+)?(?:applicant|requester|requestor)(?:['’]?s['’]?)?[ \t]+request|request"
    r"|(?:(?:CRU|NPCC)[ \t]+)?advice)[ \t*]*:)[ \t*]*(?P<text>\S.*)$",
    re.I,
)


def split_inline_headings(lines: list[str]) -> list[str]:
    """Put the words after an inline heading on a line of their own."""
    result: list[str] = []
    for line in lines:
        match = INLINE_HEADING.match(line) if len(line) < 4 * MAX_HEADING else None
        result.extend([match.group("head"), match.group("text")] if match else [line])
    return result
