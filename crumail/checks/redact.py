"""Apply the unit's own redaction markers to a draft, and show the change.

Personal data becomes ``S.40(2)`` (FOIA s40(2), personal information);
addresses (email, street, postcode) become ``S.31(1)`` (law enforcement),
as in the circulations the unit publishes.  Markings, placeholders and
failed checks are not redacted: they need a person, not a marker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

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


@dataclass(frozen=True)
class Replacement:
    """One redaction: ``text[start:end]`` becomes ``marker``."""

    start: int
    end: int
    marker: str


def replacements(text: str, findings: Iterable[Finding],
                 markers: Mapping[str, str] = MARKERS) -> tuple[Replacement, ...]:
    """What redacting ``text`` replaces, in order, overlapping findings merged.

    Where merged findings differ, the address marker wins over the
    personal-data one only when the merged span is wholly an address.
    """
    spans = sorted(
        (_redacted_start(f), f.end, markers[f.check])
        for f in findings
        if f.part == "body" and f.check in markers and 0 <= f.start < f.end <= len(text)
    )
    return tuple(Replacement(*span) for span in _merged(text, spans))


COLLAR_NUMBER = re.compile(r"[A-Z]{0,2}\d{2,6}$")


def _redacted_start(finding: Finding) -> int:
    """Where the redaction starts: a rank stays readable ("PC S.40(2)"), its collar number goes."""
    if finding.check == "police_id":
        number = COLLAR_NUMBER.search(finding.text)
        if number and number.start() > 0 and finding.text[number.start() - 1].isspace():
            return finding.end - len(number.group())
    return finding.start


def redact(text: str, findings: Iterable[Finding], markers: Mapping[str, str] = MARKERS) -> str:
    """text with every redactable finding replaced by its marker."""
    return apply(text, replacements(text, findings, markers))


def apply(text: str, changes: Sequence[Replacement]) -> str:
    pieces: list[str] = []
    pos = 0
    for change in changes:
        pieces.append(text[pos : change.start])
        pieces.append(change.marker)
        pos = change.end
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


def redaction_diff(before: str, changes: Sequence[Replacement], name: str = "draft",
                   limit: int | None = None) -> str:
    """A unified diff of a redaction, for the operator to read before saving.

    Built from the replacements themselves, in one pass (difflib's matcher
    is quadratic: a draft with 30,000 phone numbers never finished).  At most
    ``limit`` replacements are shown; a last line says how many more there are.
    """
    return "".join(_UnifiedDiff(before, changes, name).lines(limit))


class _UnifiedDiff:
    """``diff -u`` output for lines touched by known replacements (3 lines of context)."""

    CONTEXT = 3

    def __init__(self, before: str, changes: Sequence[Replacement], name: str) -> None:
        self.text, self.changes, self.name = before, changes, name
        self.starts = [0] + [m.end() for m in re.finditer("\n", before)]
        if self.starts[-1] == len(before) and len(self.starts) > 1:
            self.starts.pop()  # no line after the last newline
        self.shift = 0  # lines the redaction added (or took away) above the hunk in hand
        self.hidden_from = len(self.starts)  # the first line a replacement not shown touches

    def lines(self, limit: int | None) -> Iterator[str]:
        if not self.changes:
            return
        yield f"--- {self.name} (as drafted)\n+++ {self.name} (redacted)\n"
        shown = 0
        for hunk in self._hunks(limit):
            shown += sum(len(unit[2]) for unit in hunk)
            yield from self._hunk(hunk)
        if shown < len(self.changes):
            yield (f"... {len(self.changes) - shown:,} more replacement(s) not shown ([redaction] "
                   f"max_diff_changes is {limit or 0:,}); saving applies all {len(self.changes):,}\n")

    def _units(self) -> Iterator[list]:
        """[first line, last line, replacements] for each run of changes sharing lines."""
        unit: list | None = None
        for change in self.changes:
            first = bisect_right(self.starts, change.start) - 1
            last = bisect_right(self.starts, max(change.start, change.end - 1)) - 1
            if self.text[change.end - 1] == "\n" and last + 1 < len(self.starts):
                last += 1  # the newline it takes away joins the next line to this one
            if unit and first <= unit[1]:
                unit[1] = max(unit[1], last)
                unit[2].append(change)
                continue
            if unit:
                yield unit
            unit = [first, last, [change]]
        if unit:
            yield unit

    def _hunks(self, limit: int | None) -> Iterator[list[list]]:
        """Units grouped as diff -u groups them; no more than ``limit`` changes in all
        (cut between lines, never inside one)."""
        hunk: list[list] = []
        shown = 0
        for unit in self._units():
            if limit is not None and shown >= limit:
                self.hidden_from = unit[0]  # no line it changes is shown as unchanged context
                break
            if hunk and unit[0] - hunk[-1][1] - 1 > 2 * self.CONTEXT:
                yield hunk
                hunk = []
            hunk.append(unit)
            shown += len(unit[2])
        if hunk:
            yield hunk

    def _line(self, index: int) -> str:
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        line = self.text[self.starts[index] : end]
        return line if line.endswith("\n") else line + "\n"

    def _hunk(self, hunk: list[list]) -> Iterator[str]:
        top = max(0, hunk[0][0] - self.CONTEXT)
        bottom = min(self.hidden_from, hunk[-1][1] + 1 + self.CONTEXT)
        body: list[str] = []
        at, added = top, 0
        for first, last, changes in self._blocks(hunk):
            body += [" " + self._line(i) for i in range(at, first)]
            segment_start = self.starts[first]
            segment_end = self.starts[last + 1] if last + 1 < len(self.starts) else len(self.text)
            moved = [Replacement(c.start - segment_start, c.end - segment_start, c.marker) for c in changes]
            after = apply(self.text[segment_start:segment_end], moved).split("\n")
            if after[-1] == "" and len(after) > 1:
                after.pop()
            body += ["-" + self._line(i) for i in range(first, last + 1)]
            body += ["+" + line + "\n" for line in after]
            added += len(after) - (last + 1 - first)
            at = last + 1
        body += [" " + self._line(i) for i in range(at, bottom)]
        yield (f"@@ -{_range(top, bottom)} +{_range(top + self.shift, bottom + self.shift + added)} @@\n")
        self.shift += added
        yield from body

    @staticmethod
    def _blocks(hunk: list[list]) -> list[list]:
        """Units on consecutive lines shown as one block of - and + lines, as difflib does."""
        blocks: list[list] = []
        for first, last, changes in hunk:
            if blocks and first == blocks[-1][1] + 1:
                blocks[-1][1] = last
                blocks[-1][2].extend(changes)
            else:
                blocks.append([first, last, list(changes)])
        return blocks


def _range(start: int, stop: int) -> str:
    """A unified diff's line range (as difflib writes it)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"
