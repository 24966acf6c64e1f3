"""Cross references between logs, with the question mapping.

"Questions 1, 6 and 9 of 1355/22 refer to Q1, Q2 and Q3 of this new request"
gives ``{log: 1355/22, their_questions: [1, 6, 9], our_questions: [1, 2, 3]}``;
the other order ("Q2 of this request is Q4 of 233/25") reads the same.
"""

from __future__ import annotations

import re

from crumail.extract.advice import heading_numbers
from crumail.extract.lognumbers import NUMBER, normalise
from crumail.extract.model import CrossReference

QREF = (
    r"(?P<q>(?:Q(?:uestions?)?|Questions?)\.?[ \t]*\d{1,2}"
    r"(?:[ \t\n]*(?:,|&|\band\b|\bto\b|-|–|/)[ \t\n]*(?:(?:Q(?:uestions?)?|Questions?)\.?[ \t]*)?\d{1,2}(?!\d)){0,40})"
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
    """Each statement pairs a list of their questions with a list of ours, in turn."""
    merged: dict[str, tuple[list[int], list[int]]] = {}
    for theirs, ours in _pairs(text):
        log = normalise(theirs.group(2), theirs.group(3))
        if log:
            mapping = merged.setdefault(log, ([], []))
            mapping[0].extend(heading_numbers(theirs.group("q"), []))
            mapping[1].extend(heading_numbers(ours.group("q"), []))
    return [CrossReference(log, tuple(a), tuple(b)) for log, (a, b) in merged.items()]


def _pairs(text: str):
    """Neighbouring THEIRS and OURS phrases, each used once, in text order."""
    found = [(m.start(), 0, m) for m in THEIRS.finditer(text)]
    found += [(m.start(), 1, m) for m in OURS.finditer(text)]
    pending: tuple[int, re.Match] | None = None
    for _start, side, match in sorted(found, key=lambda x: (x[0], x[1])):
        if pending and pending[0] != side and _close(pending[1], match, text):
            yield (pending[1], match) if side == 1 else (match, pending[1])
            pending = None
        else:
            pending = (side, match)


def _close(first: re.Match, second: re.Match, text: str) -> bool:
    between = text[first.end() : second.start()]
    return len(between) <= MAX_GAP and "\n\n" not in between
