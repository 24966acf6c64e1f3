"""Leftovers of drafting: the mail is not finished, and nothing releases it.

Placeholders (``[insert force]``, ``[NAME]``, ``[REDACT]``, ``XXXX``,
``TBC``, ``??``, ``{{ log }}``) and notes meant for colleagues (a line
starting ``Drafting note:``, ``Note to self:``, ``NB for reviewer:``) block
until removed.  The README promises such drafts are refused, so the block
is not overridable: a justification cannot make a half-written answer
right.  Final redaction markers (``[REDACTED]``, ``S.40(2)``) are what a
finished draft holds and are never findings here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crumail.checks.model import CheckContext, Finding
from crumail.checks.scan import Anchor, finditer

# Words that stand alone in brackets where something is still to be written.
SLOT_WORDS = (
    r"redact(?!ed)[^\]\n]{0,60}|names?|dates?|address(?:es)?|forces?|numbers?|phone|email|details?|figures?|"
    r"amount|officer|ref(?:erence)?|log(?:\s+no\.?)?|surname|forename|first\s+name|time|location|"
    r"placeholder|here|x|something|fill\s+in[^\]\n]{0,80}|to\s+be\s+(?:added|confirmed|completed)"
)
# Every branch starts with a literal so the engine can skip to candidates.
DRAFTING_MARKER = re.compile(
    r"\[\[[^\]\n]{0,200}\]\]"
    r"|\[\s*(?i:insert|add|enter|tbc|tbd|tba|todo|to\s+do|to\s+follow|check|confirm|name\s+of|xx+|\?+)[^\]\n]{0,120}\]"
    rf"|\[\s*(?i:{SLOT_WORDS})\s*\]"
    r"|X(?<!\wX)XX+\b(?:\s+(?i:insert)\b[^\n.]{0,80})?"
    r"|\{\{[^}\n]{0,120}\}\}"
    r"|<<[^>\n]{1,120}>>"
)
# Their own literal scans: a branch starting with "T", "x" or "?" would make
# the engine stop at every such character.
BARE_PLACEHOLDERS = (
    re.compile(r"TBC(?<!\wTBC)\b"),
    re.compile(r"TBD(?<!\wTBD)\b"),
    re.compile(r"TODO(?<!\wTODO)\b"),
    re.compile(r"xxx(?<!\wxxx)x*\b"),  # in capitals: DRAFTING_MARKER's XXX
    re.compile(r"\?\?+"),
)
# A note for colleagues: the whole line goes.
NOTE_LINE = re.compile(
    r"^[ \t>*\-•]*(?i:drafting\s+note|draft(?:er)?'?s?\s+note|note\s+to\s+self|n\.?b\.?\s+(?:for|to)\s+(?:the\s+)?"
    r"review(?:er|ers)?|note\s+(?:for|to)\s+(?:the\s+)?review(?:er|ers)?|reviewer'?s?\s+note|internal\s+note)"
    r"\s*[:\-–][^\r\n]*",
    re.M,
)
NOTE_ANCHORS = Anchor.words(("note", "nb", "n.b"), 80, 1000)  # a note runs to its line end

REASON = "drafting placeholder left in the text: fill it in or delete it before sending (no justification releases it)"
NOTE_REASON = "a note for colleagues left in the text: delete it before sending (no justification releases it)"


@dataclass(frozen=True)
class DraftingMarkerCheck:
    """Placeholders and notes left from drafting: a hard block."""

    name: str = "drafting_marker"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        found = [Finding(self.name, s, e, text[s:e], "block", REASON, False) for s, e in _placeholders(text)]
        found.extend(Finding(self.name, m.start(), m.end(), m.group(), "block", NOTE_REASON, False)
                     for m in _notes(text))
        return found


def _notes(text: str) -> list[re.Match[str]]:
    """Note lines, each once (windows around the anchors may see a line twice)."""
    seen: dict[int, re.Match[str]] = {}
    for match in finditer(NOTE_LINE, text, NOTE_ANCHORS):
        seen.setdefault(match.start(), match)
    return list(seen.values())


def _placeholders(text: str) -> list[tuple[int, int]]:
    """Every placeholder once: a bare TBC inside "[TBC]" is the same one."""
    found = [m.span() for m in DRAFTING_MARKER.finditer(text)]
    for pattern in BARE_PLACEHOLDERS:
        found.extend(m.span() for m in pattern.finditer(text))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or end > kept[-1][1]:
            if kept and start < kept[-1][1]:
                kept[-1] = (kept[-1][0], end)
            else:
                kept.append((start, end))
    return kept
