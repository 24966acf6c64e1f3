"""Run every outbound check over a draft and settle what they found.

``run_checks`` is the one entry point the CLI, the review stage and the
send stage share.  It runs each check in its own try (a check that fails
gives a blocking finding saying so, never an exception), drops findings
inside final redaction markers, applies the allow list, and removes a
finding that lies wholly inside another one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from crumail.checks.drafting import DraftingMarkerCheck
from crumail.checks.half_redaction import HalfRedactionCheck
from crumail.checks.markings import MarkingCheck, redaction_zones
from crumail.checks.model import Check, CheckContext, CheckReport, Finding
from crumail.checks.names import NameCheck, learn_names
from crumail.checks.normalise import OffsetMap, normalise
from crumail.checks.personal import PERSONAL_CHECKS

DEFAULT_CHECKS: tuple[Check, ...] = (
    *PERSONAL_CHECKS,
    NameCheck(),
    HalfRedactionCheck(),
    MarkingCheck(),
    DraftingMarkerCheck(),
)
# Checks whose findings stand even inside a redaction marker or an allowed string.
UNSUPPRESSED = frozenset({"marking", "drafting_marker", "check_failed"})


def run_checks(text: str, context: CheckContext | None = None, checks: Iterable[Check] = DEFAULT_CHECKS) -> CheckReport:
    """Every check over text; blocked when any finding blocks."""
    context = context or CheckContext()
    if not isinstance(text, str):
        reason = f"nothing to check: expected text, got {type(text).__name__}; the draft is held"
        return CheckReport.of([Finding("check_failed", 0, 0, "", "block", reason, False)])
    # Every detector reads the normalised text (look-alikes folded, invisibles
    # removed); the findings are mapped back to the characters as written.
    original, original_subject = text, context.subject
    text, body_map = normalise(text)
    subject, subject_map = normalise(context.subject)
    if subject != context.subject:
        context = replace(context, subject=subject)
    findings: list[Finding] = []
    for check in checks:
        findings.extend(_run_one(check, text, context))
    try:
        settled = _settle(_suppressed(text, findings, context))
        maps = {"body": (body_map, original), "subject": (subject_map, original_subject)}
        return CheckReport.of(_mapped(f, maps) for f in settled)
    except Exception as exc:  # keep every finding rather than lose one to a bug here
        reason = f"findings could not be settled ({type(exc).__name__}: {exc}); all are shown, the draft is held"
        return CheckReport.of([*findings, Finding("check_failed", 0, 0, "", "block", reason, False)])


def _mapped(finding: Finding, maps: dict[str, tuple[OffsetMap, str]]) -> Finding:
    """finding with its offsets and text in the original (unnormalised) text of its part."""
    offset_map, source = maps.get(finding.part, (None, ""))
    if offset_map is None or offset_map.identity or finding.start == finding.end == 0 and not finding.text:
        return finding
    start, end = offset_map.span(finding.start, finding.end)
    return replace(finding, start=start, end=end, text=source[start:end])


def _suppressed(text: str, findings: list[Finding], context: CheckContext) -> list[Finding]:
    """findings less those inside final redaction markers and those the allow list names."""
    findings = _outside_redactions(text, findings)
    if context.allow:
        allow = _AllowList.of(context)
        findings = [f for f in findings if not allow.allows(f)]
    return findings


def _run_one(check: Check, text: str, context: CheckContext) -> list[Finding]:
    try:
        return list(check.run(text, context))
    except Exception as exc:  # a broken check must hold the mail, not crash the daemon
        reason = f"the {check.name} check could not run ({type(exc).__name__}: {exc}); the draft is held until it can"
        return [Finding("check_failed", 0, 0, "", "block", reason, False)]


def _outside_redactions(text: str, findings: list[Finding]) -> list[Finding]:
    zones = redaction_zones(text)
    if not zones:
        return findings
    return [f for f in findings if f.check in UNSUPPRESSED or not _overlaps_any(f, zones)]


def _overlaps_any(finding: Finding, zones: Sequence[tuple[int, int]]) -> bool:
    """zones are sorted and disjoint, so only the last one starting before the end matters."""
    i = bisect_left(zones, (finding.end, -1)) - 1
    return i >= 0 and zones[i][1] > finding.start


def _normal(value: str) -> str:
    return " ".join(value.casefold().split()).strip(" .,;:")


def _phone_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value.replace("(0)", ""))
    if digits.startswith("0044"):
        digits = digits[2:]
    return "0" + digits[2:] if digits.startswith("44") else digits


@dataclass(frozen=True)
class _AllowList:
    """The allow list made ready for exact comparison, once per run."""

    texts: frozenset[str]
    phones: frozenset[str]
    known_names: frozenset[str]

    @classmethod
    def of(cls, context: CheckContext) -> "_AllowList":
        allowed = [normalise(a)[0] for a in context.allow]
        phones = {_phone_digits(a) for a in allowed if len(re.sub(r"\D", "", a)) >= 6}
        known = {n.casefold() for n in context.names | context.staff_names}
        return cls(frozenset(_normal(a) for a in allowed), frozenset(phones), frozenset(known))

    def allows(self, finding: Finding) -> bool:
        """True when the allow list names exactly this finding's text.

        Names are never allowed, and neither is an address that spells a
        known person's name (first.last@), whatever the allow list says.
        """
        if finding.check in UNSUPPRESSED or finding.check == "name":
            return False
        if finding.check == "phone":
            return _phone_digits(finding.text) in self.phones
        if _normal(finding.text) not in self.texts:
            return False
        if finding.check == "email":
            return not any(n.casefold() in self.known_names for n in learn_names((), [finding.text]))
        return True


def _settle(findings: list[Finding]) -> list[Finding]:
    """Sorted, one finding per span and check, none wholly inside a longer one.

    A name inside a street address, or a phone number inside a longer
    match, would be redacted twice; the longer span is kept.
    """
    unique: dict[tuple[str, int, int, str], Finding] = {}
    for f in findings:
        key = (f.part, f.start, f.end, f.check)
        if key not in unique or f.severity == "block" != unique[key].severity:
            unique[key] = f  # the same span found twice: the stronger finding stands
    kept: list[Finding] = []
    reach: tuple[int, int] = (-1, -1)
    for f in sorted(unique.values(), key=lambda f: (f.part, f.start, -f.end)):
        if f.part == "body" and f.check not in UNSUPPRESSED:
            if f.end <= reach[1] and (f.start, f.end) != reach:
                continue
            if f.end > reach[1]:
                reach = (f.start, f.end)
        kept.append(f)
    return sorted(kept, key=lambda f: (f.part != "body", f.start, f.end))
