"""Protective markings, handling caveats and redaction markers.

Markings are normalised upper case with hyphens (``OFFICIAL - SENSITIVE``
-> ``OFFICIAL-SENSITIVE``, legacy ``PROTECT – PRIVATE`` ->
``PROTECT-PRIVATE``); when a message carries several, the highest governs
it.  Redaction markers (``S.40(2)`` standing in for a name, ``[REDACTED]``,
``*****``) are kept verbatim, in order of first appearance.
"""

from __future__ import annotations

import re

from crumail.extract.lognumbers import unique
from crumail.wordlists import (COMPOUNDS, DESCRIPTORS, MARKING_RANK, MARKINGS, OTHER_CAVEATS, POLICE_ONLY_CAVEAT,
                               phrases)

MARKING = re.compile(
    r"^[ \t\[(*>]*(?P<label>(?:security[ \t]+|protective[ \t]+)?(?:classification|marking)[ \t]*:[ \t]*)?"
    r"(?P<base>" + phrases(*MARKINGS) + r")\b(?:[ \t]*[-–—:_/][ \t]*|[ \t]+)?"
    r"(?P<descriptor>" + phrases(*DESCRIPTORS) + r")?\b",
    re.I,
)
#: How much of a line a mixed-case marking may leave over (``Official - Sensitive``).
SHORT_REST = 12
CAVEAT = re.compile(r"\b(?:" + POLICE_ONLY_CAVEAT + "|" + phrases(*OTHER_CAVEATS) + r")\b", re.I)
SECTION_MARKER = re.compile(r"(?<![\w.])S\.?[ ]?\d{1,2}(?:\(\d{1,2}\))+(?:\([a-z]\))?")
#: The ACPO-era mask: a run of asterisks and the section that withholds it
#: (``*******S40``, ``********S40(2)``), one marker.
MASKED_SECTION = r"\*{3,}[ ]?S\.?[ ]?\d{1,2}(?:\(\d{1,2}\))*(?:\([a-z]\))?"
#: A banner line (``*** ALL TO READ ***``): its stars frame words, they mask nothing.
BANNER = re.compile(r"^[ \t]*\*{3,}[ \t]*[A-Za-z][^*\n]{0,80}?[ \t]*\*{3,}[ \t]*$", re.M)
OTHER_MARKER = re.compile(
    MASKED_SECTION + r"|\[[ \t]*(?:REDACTED|redacted|Redacted)[^\]\n]{0,40}\]|<REDACTED>|\bREDACTED\b|\*{3,}|█{2,}"
    r"|(?i:\[(?:name|e-?mail|address|phone|telephone|number|personal[ \t]+(?:data|details|information))"
    r"[ \t]+(?:removed|redacted|withheld)\])"
)
#: What may stand either side of a section number used as a redaction marker.
MARKER_BEFORE = ":-–—,|[.;"
MARKER_AFTER = ",;|-–—]"


def protective_marking(subject: str, text: str) -> str | None:
    found = [m for line in [subject, *text.split("\n")] if (m := _line_marking(line))]
    return max(found, key=lambda m: MARKING_RANK.get(m, 1)) if found else None


def _line_marking(line: str) -> str | None:
    match = MARKING.match(line)
    if not match:
        return None
    written = match.group("base")
    rest = line[match.end() :].strip(" \t*]):-–")
    if not (written.isupper() or match.group("label") or len(rest) <= SHORT_REST):
        return None
    return normalise_marking(written, match.group("descriptor"))


def is_marking_line(text: str) -> bool:
    """A line that is a protective marking or a banner and nothing else."""
    if BANNER.fullmatch(text.strip()):
        return True
    match = MARKING.match(text)
    return bool(match) and not text[match.end() :].strip(" \t*]):-–") and _line_marking(text) is not None


def normalise_marking(base: str, descriptor: str | None) -> str:
    base = re.sub(r"[ \t]+", "-", base.upper())
    if descriptor and (base, descriptor.upper()) in COMPOUNDS:
        return f"{base}-{descriptor.upper()}"
    return base


def handling_caveats(text: str) -> list[str]:
    found = []
    for match in CAVEAT.finditer(text):
        if match.group().isupper() or _whole_line(text, match):
            found.append(re.sub(r"\s+", " ", match.group().upper()))
    return unique(found)


def _whole_line(text: str, match: re.Match) -> bool:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start : end if end >= 0 else len(text)]
    return line.strip(" \t*") == match.group()


def redaction_markers(text: str) -> list[str]:
    found = [(m.start(), m.group()) for m in SECTION_MARKER.finditer(text) if _standalone(text, m)]
    banners = [(b.start(), b.end()) for b in BANNER.finditer(text)]
    at = 0  # both in text order: one pass over the banners, never one per marker
    taken_end = -1
    for match in OTHER_MARKER.finditer(text):
        while at < len(banners) and banners[at][1] <= match.start():
            at += 1
        if at < len(banners) and banners[at][0] <= match.start():
            continue
        if match.start() >= taken_end:
            found.append((match.start(), match.group()))
            taken_end = match.end()
    return unique(marker for _, marker in sorted(found))


def _standalone(text: str, match: re.Match) -> bool:
    """A section standing in for redacted text, not cited in a sentence."""
    before = text[max(0, match.start() - 40) : match.start()].rstrip(" ")  # a tab ends a table cell
    after = text[match.end() : match.end() + 40].lstrip(" \t")
    before_ok = not before or before[-1] in "\n\t" or before[-1] in MARKER_BEFORE
    after_ok = not after or after[0] in "\n\r" or after[0] in MARKER_AFTER
    return before_ok and after_ok
