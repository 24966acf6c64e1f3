"""Inspections to findings: the ordinary checks over the text, and the rules for what hides.

Pure.  Each file's pieces are joined (a blank line between them) and
checked once with the same checks as a body; every finding is then moved
back into the piece it lies in, so it names the attachment and the place
(``sheet Staff (hidden)!A2``) and its offsets are into that piece's text.
The rules (tests/data/attachments/README.md):

* personal data anywhere blocks, as in a body, overridable;
* hidden content holding data blocks by itself, overridable only when no
  personal data is found in it;
* a failed redaction never is; a marking going outside never is;
* comments, annotations, tracked changes and external links warn;
* what cannot be read blocks, overridable.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Iterable

from crumail.checks.attachments.model import Inspected, Piece
from crumail.checks.model import CheckContext, Finding
from crumail.checks.runner import run_checks

SEPARATOR = "\n\n"
#: findings that say something about the text, not personal data in it
NOT_PERSONAL = frozenset({"marking", "drafting_marker", "check_failed"})


def attachment_findings(inspected: Iterable[Inspected], context: CheckContext) -> list[Finding]:
    """Every finding in every inspected file, labelled with its attachment and place."""
    context = replace(context, subject="")
    findings: list[Finding] = []
    for item in inspected:
        findings.extend(_one(item, context))
    return findings


def _one(item: Inspected, context: CheckContext) -> list[Finding]:
    pieces = item.inspection.pieces
    found = _text_findings(pieces, context, item.attachment)
    personal_groups = {
        pieces[index].group for index, f in found
        if pieces[index].group and f.severity == "block" and f.check not in NOT_PERSONAL
    }
    marks = [
        Finding(m.check, 0, 0, "", m.severity, f"{item.attachment}: {m.reason}",
                overridable=not m.hard and m.group not in personal_groups,
                part="attachment", attachment=item.attachment, location=m.location)
        for m in item.inspection.marks
    ]
    return marks + [f for _, f in found]


def _named(piece: Piece, attachment: str) -> list[Finding]:
    """A value in a column of names is a name by where it stands (a surname in capitals alone)."""
    found = []
    for line, value in enumerate(piece.text.split("\n")):
        if any(c.isalpha() for c in value):
            where = piece.place(line)
            reason = f"{attachment}, {where}: a person's name (its column is headed as names)"
            found.append(Finding("name", 0, len(value), value, "block", reason, part="attachment",
                                 attachment=attachment, location=where))
    return found


def _text_findings(pieces: list[Piece], context: CheckContext, attachment: str) -> list[tuple[int, Finding]]:
    if not pieces:
        return []
    starts: list[int] = []
    at = 0
    for piece in pieces:
        starts.append(at)
        at += len(piece.text) + len(SEPARATOR)
    report = run_checks(SEPARATOR.join(p.text for p in pieces), context)
    out = [(index, f) for index, piece in enumerate(pieces) if piece.kind == "name" for f in _named(piece, attachment)]
    line_starts: dict[int, list[int]] = {}
    for f in report.findings:
        index = max(bisect_right(starts, f.start) - 1, 0)
        piece = pieces[index]
        base, line = starts[index], 0
        if piece.lines:
            # many cells, one a line: the finding belongs to the line it starts on
            if index not in line_starts:
                line_starts[index] = _line_starts(piece.text)
            line = max(bisect_right(line_starts[index], f.start - base) - 1, 0)
            base += line_starts[index][line]
        offset = base - starts[index]  # where the line starts in the piece
        end = min(f.end - base, len(piece.text) - offset)
        start = min(f.start - base, end)
        where = piece.place(line)
        out.append((index, replace(f, start=start, end=end, text=piece.text[offset + start:offset + end],
                                   reason=f"{attachment}, {where}: {f.reason}",
                                   part="attachment", attachment=attachment, location=where)))
    return out


def _line_starts(text: str) -> list[int]:
    starts, at = [0], text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts
