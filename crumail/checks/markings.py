"""Protective markings against recipients, drafting leftovers, final redactions.

A draft marked OFFICIAL-SENSITIVE, or carrying a police-only handling
caveat, may go only to addresses inside the police network; anything else
is a hard block that no justification releases.  Drafting placeholders
(``[insert ...]``, ``[TBC]``, ``[[...]]``) block until removed.  Final
redaction markers (``S.40(2)``, ``S.31(1)``, ``[REDACTED]``) are what a
finished draft should contain: they are never findings, and neither is
anything written inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crumail.checks.model import CheckContext, Finding
from crumail.checks.scan import Anchor, finditer

OFFICIAL_SENSITIVE = re.compile(r"(?i:\bofficial)(?P<sep>\s*[-–—_:]\s*|\s+)(?i:sensitive)\b")
POLICE_ONLY = re.compile(
    r"(?i:\bpolice\s+eyes\s+only\b"
    r"|\b(?:for\s+)?police\s+use\s+only\b"
    r"|\bnot\s+to\s+be\s+(?:distributed|circulated|shared|forwarded|disclosed)\s+outside\s+(?:of\s+)?"
    r"the\s+police\s+(?:network|service|estate|family))"
)

MARKING_ANCHORS = (
    *Anchor.words(("official",), 0, 40),
    *Anchor.words(("police",), 80, 40),
)

# Every branch starts with a literal so the engine can skip to candidates.
DRAFTING_MARKER = re.compile(
    r"\[\[[^\]\n]{0,200}\]\]"
    r"|\[\s*(?i:insert|add|enter|tbc|tbd|todo|to\s+do|to\s+follow|check|confirm|name\s+of|xx+|\?+)[^\]\n]{0,120}\]"
    r"|X(?<!\wX)XX+\b(?:\s+(?i:insert)\b[^\n.]{0,80})?"
    r"|\{\{[^}\n]{0,120}\}\}"
    r"|<<[^>\n]{1,120}>>"
)
# Bare TBC / TODO: literal scans of their own (a branch starting "T" would
# make the engine stop at every capital T).
BARE_PLACEHOLDERS = (re.compile(r"TBC(?<!\wTBC)\b"), re.compile(r"TODO(?<!\wTODO)\b"))

# S.40(2), s40(2), Sec. 31(1)(a), Section 40(2), [REDACTED], [S.40(2) name],
# and REDACTED written bare.
REDACTION_BRACKET = re.compile(r"\[(?:(?i:redacted)|\s*(?i:s(?:ec(?:tion)?)?)\.?\s?\d{2}\(\d\))[^\]\n]{0,200}\]")
REDACTED_WORD = re.compile(r"REDACTED\b")  # its own scan: a literal is found faster than "[ or R"
# "40(2)" is found first (its "(" is a cheap literal), then "S.", "s",
# "Sec." or "Section" is looked for just before it and "(a)" just after.
SECTION_NUMBER = re.compile(r"\((?<=\d\d\()\d\)")
SECTION_PREFIX = re.compile(r"\b(?i:s(?:ec(?:tion)?)?)\.?\s?$")
SECTION_SUFFIX = re.compile(r"\([a-z]\)")


def redaction_zones(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of final redaction markers; nothing inside them is a finding."""
    spans = [m.span() for m in REDACTION_BRACKET.finditer(text)]
    spans.extend(m.span() for m in REDACTED_WORD.finditer(text))
    for number in SECTION_NUMBER.finditer(text):
        digits = number.start() - 2
        prefix = SECTION_PREFIX.search(text, max(0, digits - 9), digits)
        if prefix:
            suffix = SECTION_SUFFIX.match(text, number.end())
            spans.append((prefix.start(), suffix.end() if suffix else number.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marking_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of each marking and police-only caveat in text."""
    found = []
    for match in finditer(OFFICIAL_SENSITIVE, text, MARKING_ANCHORS):
        word = match.group()
        # "official sensitive" in lower-case prose is not a marking.
        if match.group("sep").strip() or not word.islower():
            found.append((match.start(), match.end(), "OFFICIAL-SENSITIVE"))
    found.extend((m.start(), m.end(), "police-only caveat") for m in finditer(POLICE_ONLY, text, MARKING_ANCHORS))
    return sorted(found)


@dataclass(frozen=True)
class MarkingCheck:
    """Marked or police-only content addressed outside the police network."""

    name: str = "marking"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        spans = _marking_spans(text)
        part = "body"
        if not spans and context.subject:
            spans, part = _marking_spans(context.subject), "subject"
        if not spans:
            return []
        source = text if part == "body" else context.subject
        return self._findings(source, spans, part, context)

    def _findings(
        self, source: str, spans: list[tuple[int, int, str]], part: str, context: CheckContext
    ) -> list[Finding]:
        addresses = context.recipient_addresses()
        outside = [a for a in addresses if not context.is_internal(a)]
        seen: set[str] = set()
        found = []
        for start, end, label in spans:
            if label in seen:
                continue
            seen.add(label)
            reason = self._reason(label, part, addresses, outside, context)
            if reason is None:
                continue
            severity = "block" if outside else "warn"
            found.append(Finding(self.name, start, end, source[start:end], severity, reason, False, part))
        return found

    @staticmethod
    def _reason(
        label: str, part: str, addresses: list[str], outside: list[str], context: CheckContext
    ) -> str | None:
        where = " (in the subject)" if part == "subject" else ""
        domains = ", ".join(context.internal_domains) or "none configured"
        if outside:
            return (
                f"{label} content{where} may go only inside the police network ({domains}), "
                f"but is addressed to {', '.join(outside)}; this cannot be overridden: "
                f"remove those recipients or the material"
            )
        if not addresses:
            return (
                f"{label} content{where}: no recipients given, so whether it stays inside the "
                f"police network ({domains}) cannot be checked"
            )
        return None


@dataclass(frozen=True)
class DraftingMarkerCheck:
    """Placeholders left from drafting: the mail is not finished."""

    name: str = "drafting_marker"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        return [
            Finding(
                self.name,
                m.start(),
                m.end(),
                m.group(),
                "block",
                "drafting placeholder left in the text: fill it in or delete it before sending",
            )
            for m in _placeholders(text)
        ]


def _placeholders(text: str) -> list[re.Match[str]]:
    """Every placeholder once: a bare TBC inside "[TBC]" is the same one."""
    found = list(DRAFTING_MARKER.finditer(text))
    for pattern in BARE_PLACEHOLDERS:
        found.extend(pattern.finditer(text))
    kept: list[re.Match[str]] = []
    for match in sorted(found, key=lambda m: (m.start(), -m.end())):
        if not kept or match.end() > kept[-1].end():
            kept.append(match)
    return kept
