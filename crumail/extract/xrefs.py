"""Cross references between logs, with the question mapping.

"Questions 1, 6 and 9 of 1355/22 refer to Q1, Q2 and Q3 of this new request"
gives ``{log: 1355/22, their_questions: [1, 6, 9], our_questions: [1, 2, 3]}``;
the other order ("Q2 of this request is Q4 of 233/25") reads the same.
"""

from __future__ import annotations

import bisect
import re

from crumail.extract.advice import heading_numbers
from crumail.extract.lognumbers import NUMBER, normalise
from crumail.extract.model import CrossReference

QREF = (
    r"(?P<q>(?:Q(?:uestions?)?|Questions?)\.?[ \t]*\d{1,2}"
    r"(?:[ \t\n]*(?:,|&|\band\b|\bto\b|-|–|/)[ \t\n]*(?:(?:Q(?:uestions?)?|Questions?)\.?[ \t]*)?\d{1,2}(?!\d))*)"
)
THEIRS = re.compile(
    QREF + r"[ \t\n]+(?:of|in|from|on|at)[ \t\n]+(?:the[ \t]+)?(?:(?:CRU[ \t]+)?(?:log|case|ref(?:erence)?)"
    r"[ \t]*(?:no\.?|number)?[ \t:]*)?" + NUMBER,
    re.I,
)
OURS = re.compile(
    QREF + r"[ \t\n]+(?:of|in|on|at)[ \t\n]+(?:this|the)[ \t\n]+(?:(?:new|current|latest|refined|present)[ \t\n]+)?"
    r"(?:request|case|log|application|circulation|one)\b",
    re.I,
)
#: How far apart the two halves of one statement may be.
MAX_GAP = 200


def cross_references(text: str) -> list[CrossReference]:
    ours = list(OURS.finditer(text))
    starts = [m.start() for m in ours]
    found: list[CrossReference] = []
    for theirs in THEIRS.finditer(text):
        log = normalise(theirs.group(2), theirs.group(3))
        low = bisect.bisect_left(starts, theirs.start() - 2 * MAX_GAP)
        high = bisect.bisect_right(starts, theirs.end() + MAX_GAP)
        partner = _nearest(theirs, ours[low:high], text)
        if log and partner:
            found.append(
                CrossReference(log, heading_numbers(theirs.group("q"), []), heading_numbers(partner.group("q"), []))
            )
    return list(dict.fromkeys(found))


def _nearest(theirs: re.Match, ours: list[re.Match], text: str) -> re.Match | None:
    best, best_gap = None, MAX_GAP + 1
    for match in ours:
        gap = match.start() - theirs.end() if match.start() >= theirs.end() else theirs.start() - match.end()
        between = text[min(theirs.end(), match.end()) : max(theirs.start(), match.start())]
        if 0 <= gap < best_gap and "\n\n" not in between:
            best, best_gap = match, gap
    return best
