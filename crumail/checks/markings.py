"""Protective markings against recipients, drafting leftovers, final redactions.

A draft marked OFFICIAL-SENSITIVE, or carrying a police-only handling
caveat, may go only to addresses inside the police network; anything else
is a hard block that no justification releases.  Drafting placeholders
are in ``drafting``.  Final
redaction markers (``S.40(2)``, ``S.31(1)``, ``[REDACTED]``) are what a
finished draft should contain: they are never findings, and neither is
anything written inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from crumail.checks.drafting import DraftingMarkerCheck  # noqa: F401  (its old home)
from crumail.checks.model import CheckContext, Finding
from crumail.checks.scan import Anchor, finditer
from crumail.wordlists import POLICE_NETWORK_MARKINGS, POLICE_ONLY_CAVEAT

OFFICIAL_SENSITIVE = re.compile(r"(?i:\bofficial)(?P<sep>\s*[-–—_:]\s*|\s+)(?i:sensitive)\b")
# Only the police-only caveats: the others (UK EYES ONLY, NOT FOR
# PUBLICATION ...) do not confine mail to the police network (wordlists).
POLICE_ONLY = re.compile(r"(?i:\b" + POLICE_ONLY_CAVEAT + r"\b)")

# The markings above OFFICIAL-SENSITIVE (which has its own, looser pattern),
# older (GPMS) ones too, count only as a line of their own: "CONFIDENTIAL:
# this e-mail and any attachment ..." is a disclaimer.
HIGHER_MARKINGS = tuple(m.replace("-", " ") for m in sorted(POLICE_NETWORK_MARKINGS - {"OFFICIAL-SENSITIVE"}))
LEGACY_MARKING = re.compile(
    r"^[ \t>*\[(]*(?P<marking>" + "|".join(sorted(HIGHER_MARKINGS, key=len, reverse=True)) + r")"
    r"(?:\s*[-–:]\s*[A-Z][A-Z ]{0,30})?[ \t*\])]*\r?$",
    re.M,
)
LEGACY_ANCHORS = tuple(Anchor(re.compile(word), 40, 50) for word in sorted({m.split()[-1] for m in HIGHER_MARKINGS}))

MARKING_ANCHORS = (
    *Anchor.words(("official",), 0, 40),
    *Anchor.words(("police", "eyes"), 80, 40),
)

# S.40(2), s40(2), Sec. 31(1)(a), Section 40(2), [REDACTED], [S.40(2) name],
# and REDACTED written bare.
# What is written inside such a bracket is exempt only while it is short (a
# label, "[REDACTED - name]"): a longer text there is a half-done redaction.
REDACTION_BRACKET = re.compile(r"\[(?:(?i:redacted)|\s*(?i:s(?:ec(?:tion)?)?)\.?\s?\d{2}\(\d\))[^\]\n]{0,40}\]")
REDACTED_WORD = re.compile(r"REDACTED\b")  # its own scan: a literal is found faster than "[ or R"
# "40(2)" is found first (its "(" is a cheap literal), then "S.", "s",
# "Sec." or "Section" is looked for just before it and "(a)" just after.
SECTION_NUMBER = re.compile(r"\((?<=\d\d\()\d\)")
SECTION_PREFIX = re.compile(r"\b(?i:s(?:ec(?:tion)?)?)\.?\s?$")
SECTION_SUFFIX = re.compile(r"\([a-z]\)")


@lru_cache(maxsize=4)
def redaction_zones(text: str) -> tuple[tuple[int, int], ...]:
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
    return tuple(merged)


# What may stand before a marking on its line: quoting, a bullet or bracket,
# or a label such as "Classification:" or "Protective marking -".
MARKING_LINE_PREFIX = re.compile(
    r"[\s>*\[(]*(?i:(?:protective\s+|security\s+|government\s+security\s+)?(?:marking|classification)"
    r"|handling(?:\s+(?:caveat|instructions?))?|caveat)?\s*[:\-–]?\s*[\[(]?"
)


class MarkingSpan(NamedTuple):
    start: int
    end: int
    label: str
    heads_a_line: bool


def _marking_spans(text: str) -> list[MarkingSpan]:
    """Each marking and police-only caveat in text, and whether it heads its line.

    A marking is written as a line of its own (or at the start of one); the
    same words inside a sentence ("mark the reply OFFICIAL-SENSITIVE") are a
    mention, which is reported but does not hard-block.  A police-only
    caveat in capitals, or phrased "not to be distributed outside ...",
    marks the mail wherever it stands.
    """
    found = []
    for match in finditer(OFFICIAL_SENSITIVE, text, MARKING_ANCHORS):
        # "official sensitive" in lower-case prose is not a marking.
        if match.group("sep").strip() or not match.group().islower():
            found.append(_marking_span(text, match, "OFFICIAL-SENSITIVE"))
    for match in finditer(LEGACY_MARKING, text, LEGACY_ANCHORS):
        start, end = match.span("marking")
        found.append(MarkingSpan(start, end, f"{match.group('marking')} (a protective marking)", True))
    for match in finditer(POLICE_ONLY, text, MARKING_ANCHORS):
        span = _marking_span(text, match, "police-only caveat")
        # "not to be distributed outside ..." is an instruction about this very
        # mail wherever it stands, and so is POLICE EYES ONLY written in capitals.
        always = match.group().isupper() or match.group()[:3].lower() == "not"
        found.append(span._replace(heads_a_line=True) if always else span)
    return sorted(found)


def _marking_span(text: str, match: re.Match[str], label: str) -> MarkingSpan:
    reach = max(0, match.start() - 60)
    line_start = text.rfind("\n", reach, match.start()) + 1 or reach
    heads = line_start != reach or reach == 0
    heads = heads and MARKING_LINE_PREFIX.fullmatch(text, line_start, match.start()) is not None
    return MarkingSpan(match.start(), match.end(), label, heads)


@dataclass(frozen=True)
class MarkingCheck:
    """Marked or police-only content addressed outside the police network.

    A marking heading a line of the body (or anywhere in the subject) sent
    to a recipient outside ``internal_domains`` is a hard block that cannot
    be overridden; with no recipients given it is a warning.  The same
    words inside a sentence only warn, and only when the mail goes outside.
    """

    name: str = "marking"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        spans = _marking_spans(text)
        markings = [s for s in spans if s.heads_a_line]
        part, source = "body", text
        if not markings and context.subject:
            subject_spans = _marking_spans(context.subject)
            if subject_spans:
                markings = [s._replace(heads_a_line=True) for s in subject_spans]
                part, source = "subject", context.subject
        addresses = context.recipient_addresses()
        outside = [a for a in addresses if not context.is_internal(a)]
        found = self._markings(source, markings, part, addresses, outside, context)
        marked = {f.text for f in found} | {s.label for s in markings}
        mentions = [s for s in spans if not s.heads_a_line and s.label not in marked]
        return found + (self._mentions(text, mentions, outside) if outside else [])

    def _markings(
        self,
        source: str,
        spans: list[MarkingSpan],
        part: str,
        addresses: list[str],
        outside: list[str],
        context: CheckContext,
    ) -> list[Finding]:
        found = []
        for span in _first_of_each_label(spans):
            reason = self._reason(span.label, part, addresses, outside, context)
            if reason is not None:
                severity = "block" if outside else "warn"
                text = source[span.start : span.end]
                found.append(Finding(self.name, span.start, span.end, text, severity, reason, False, part))
        return found

    def _mentions(self, text: str, spans: list[MarkingSpan], outside: list[str]) -> list[Finding]:
        return [
            Finding(
                self.name,
                span.start,
                span.end,
                text[span.start : span.end],
                "warn",
                f"{span.label} is mentioned inside a sentence, not written as a marking; the mail goes to "
                f"{', '.join(outside)}: check that the content is not marked",
            )
            for span in _first_of_each_label(spans)
        ]

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


def _first_of_each_label(spans: list[MarkingSpan]) -> list[MarkingSpan]:
    seen: set[str] = set()
    first = []
    for span in spans:
        if span.label not in seen:
            seen.add(span.label)
            first.append(span)
    return first
