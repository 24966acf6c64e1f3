"""FOIA sections cited as exemptions or cost limits: s12, s14, s21 to s44.

``s12``, ``S.40(2)``, ``Section 31(1)(a)``, ``s.23(5)``, ``sections 23 and
24`` are read and normalised to ``sNN`` or ``sNN(N)``.  Sections of other
Acts (``section 29 of the DPA``) and sections outside the exemption range
(s1, s10, s11, s16) are not exemptions; neither is ``S.40(2)`` standing in
for a redacted name (see markings).
"""

from __future__ import annotations

import re

from crumail.extract.markings import SECTION_MARKER, _standalone

#: One section number with its first subsection; later ``(a)`` parts are dropped.
ONE_SECTION = r"(\d{1,2})(?:[ ]?(\(\d{1,2}\)))?(?:\([a-z]{1,4}\)){0,3}"
SECTION = re.compile(
    r"(?<![\w'’.*])(?:sections?|secs?\.?|ss?)\.?[ \t]?" + ONE_SECTION + r"(?!\d)",
    re.I,
)
#: A further section in a list: ``, 24``, ``and s.31(1)``, ``& 40(2)``.
LIST_NEXT = re.compile(
    r"[ \t]*(?:,|&|/|\band\b|\bor\b)[ \t]*(?:(?:sections?|s)\.?[ \t]?)?" + ONE_SECTION + r"(?!\d)",
    re.I,
)
#: A section of another Act, right after the number (the line may wrap in the
#: middle of the Act's name): ``of the Firearms Act 1968``, ``of the same Act``,
#: ``PACE``; a lettered section (``30A``) is never one of FOIA's.
OTHER_ACT = re.compile(
    r"[A-Z]{1,2}\b"
    r"|\s*(?i:of\s+(?:the\s+)?)?(?i:DPA|GDPR|UK\s+GDPR|Data\s+Protection|Police\s+(?:Act|and|Reform)|PACE|RIPA"
    r"|Sexual\s+Offences|Criminal|Human\s+Rights|Equality|Investigatory|Children|Terrorism"
    r"|Road\s+Traffic|Firearms|Misuse|Regulation|Schedule|Environmental|EIR|same\s+Act|that\s+Act)"
    r"|\s+of\s+(?:the\s+)?(?!Freedom\b)(?:[A-Z][\w'’]*\s+(?:(?:and|of|for|the|on|in)\s+){0,2}){1,8}Act\b",
)
EXEMPT_RANGE = frozenset([12, 14, *range(21, 45)])


def exemptions(text: str) -> list[str]:
    found = set()
    consumed = 0
    for match in SECTION.finditer(text):
        if match.start() < consumed or _is_marker(text, match):
            continue
        for number, sub, end in _with_list(text, match):
            consumed = end
            if int(number) in EXEMPT_RANGE and not OTHER_ACT.match(text, end, end + 90):
                found.add(f"s{int(number)}{sub or ''}")
    return sorted(found, key=_order)


def _with_list(text: str, match: re.Match):
    yield match.group(1), match.group(2), match.end()
    end = match.end()
    while nxt := LIST_NEXT.match(text, end):
        yield nxt.group(1), nxt.group(2), nxt.end()
        end = nxt.end()


def _is_marker(text: str, match: re.Match) -> bool:
    marker = SECTION_MARKER.match(text, match.start())
    return bool(marker) and _standalone(text, marker)


def _order(exemption: str) -> tuple[int, str]:
    number = re.match(r"s(\d+)", exemption)
    return (int(number.group(1)) if number else 0, exemption)
