"""Apply the unit's own redaction markers to a draft, and show the change.

Personal data becomes ``S.40(2)`` (FOIA s40(2), personal information);
addresses (email, street, postcode) become ``S.31(1)`` (law enforcement),
as in the circulations the unit publishes.  Markings, placeholders and
failed checks are not redacted: they need a person, not a marker.
"""

from __future__ import annotations

import difflib
from typing import Iterable, Mapping

from crumail.checks.model import Finding

PERSONAL_DATA_MARKER = "S.40(2)"
ADDRESS_MARKER = "S.31(1)"
MARKERS: Mapping[str, str] = {
    "email": ADDRESS_MARKER,
    "street_address": ADDRESS_MARKER,
    "postcode": ADDRESS_MARKER,
    "phone": PERSONAL_DATA_MARKER,
    "ni_number": PERSONAL_DATA_MARKER,
    "date_of_birth": PERSONAL_DATA_MARKER,
    "vehicle": PERSONAL_DATA_MARKER,
    "police_id": PERSONAL_DATA_MARKER,
    "name": PERSONAL_DATA_MARKER,
}


def redact(text: str, findings: Iterable[Finding], markers: Mapping[str, str] = MARKERS) -> str:
    """text with every redactable finding replaced by its marker.

    Overlapping findings are merged into one redaction; where they differ,
    the address marker wins over the personal-data one only when the merged
    span is wholly an address.
    """
    spans = sorted(
        (f.start, f.end, markers[f.check])
        for f in findings
        if f.part == "body" and f.check in markers and 0 <= f.start < f.end <= len(text)
    )
    pieces: list[str] = []
    pos = 0
    for start, end, marker in _merged(text, spans):
        pieces.append(text[pos:start])
        pieces.append(marker)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _merged(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans, and same-marker spans a space apart ("PC 1234 Smith"), as one."""
    merged: list[tuple[int, int, str]] = []
    for start, end, marker in spans:
        touching = merged and marker == merged[-1][2] and text[merged[-1][1] : start] in (" ", "")
        if merged and (start < merged[-1][1] or touching):
            last_start, last_end, last_marker = merged[-1]
            chosen = last_marker if last_marker == marker else PERSONAL_DATA_MARKER
            merged[-1] = (last_start, max(last_end, end), chosen)
        else:
            merged.append((start, end, marker))
    return merged


def redaction_diff(before: str, after: str, name: str = "draft") -> str:
    """A unified diff of a redaction, for the operator to read before saving."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{name} (as drafted)",
        tofile=f"{name} (redacted)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
