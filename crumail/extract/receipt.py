"""The day a force says it received a request (pure): the statutory clock
runs from it (FOIA s10(1), FOISA s10(1)), not from the day the unit heard.

Read only from the sender's own text (a quoted circulation's dates are the
unit's) and only where a receipt phrase is followed at once by the date:
``Date received: 04/03/2025``, ``Received by us 21/12/2023.``, ``We
received this request on 20 December 2023``.  A due date, a quote header
("On 22 Dec 2023 ... wrote") or an out-of-office's return date is never
next to such a phrase, so it is never taken.
"""

from __future__ import annotations

import re

from crumail.extract.dates import find_dates
from crumail.extract.quoting import split_quoted

RECEIPT = re.compile(
    r"\b(?:date[ \t]+(?:of[ \t]+)?(?:receipt|received)|received[ \t]+date|date[ \t]+request[ \t]+received"
    r"|(?:request|referral)[ \t]+received|received[ \t]+by[ \t]+us"
    r"|we[ \t]+received[ \t]+(?:this|the|your)[ \t]+(?:foi[ \t]+)?(?:request|referral|circulation))"
    r"[ \t]*(?:on[ \t]+)?[:\-–]?[ \t]*",
    re.I,
)
#: Characters after the phrase the date may start within (``: ``, ``on ``).
NEAR = 3
#: Characters of the phrase's line read for its date.
DATE_WINDOW = 40
#: Own text read (a receipt line stands near the top of a reply).
MAX_TEXT = 20_000


def stated_receipt(text: str) -> str | None:
    """The force's own receipt date (ISO) stated in ``text``'s own part, or None."""
    own, _quoted = split_quoted(text[:MAX_TEXT])
    for match in RECEIPT.finditer(own):
        window = own[match.end(): match.end() + DATE_WINDOW].split("\n", 1)[0]
        dates = find_dates(window)
        if dates and dates[0][0] <= NEAR:
            return dates[0][1]
    return None
