"""What an inspector reads out of one attachment, before any check runs.

An inspector (one module per format family) turns hostile bytes into plain
values: :class:`Piece` (text and where it sits), :class:`Mark` (something
structural such as a hidden sheet or a pivot cache, whatever its text) and
:class:`Nested` (a file inside the file, inspected in its own right).  The
judge (``judge.py``) then runs the ordinary checks over the pieces.  These
values cross the worker process boundary as JSON, so they hold only
strings, ints and bools.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["block", "warn"]
#: A table column's header that says its values are people's names.
NAME_HEADER = re.compile(
    r"\s*(?:sur\s*name|last\s*name|family\s*name|fore\s*names?|first\s*names?|given\s*names?|full\s*name|"
    r"(?:officer|employee|staff|person|victim|witness|suspect|offender|applicant|requester|complainant|"
    r"informant|caller)(?:'s)?\s+name|name|nominal)\s*", re.I)


def is_name_header(text: str) -> bool:
    return NAME_HEADER.fullmatch(text) is not None


@dataclass(frozen=True)
class Piece:
    """Text read from one place: a cell, a page, a comment, a property.

    ``group`` names the :class:`Mark` whose hidden content this text is
    (a hidden sheet's cells): personal data found in it makes that mark
    one no justification releases.
    """

    location: str
    text: str
    group: str | None = None
    #: "name" for a value in a table column headed as people's names (Surname,
    #: Full name ...): the value is a name by where it stands, whatever it looks like.
    kind: str | None = None
    #: For many cells in one piece (a sheet's values, one a line): each line's
    #: place after ``location``, the common prefix ("sheet Summary!" + "B7").
    lines: tuple[str, ...] | None = None

    def place(self, line: int) -> str:
        """The location of a line of this piece's text."""
        return self.location + self.lines[line] if self.lines else self.location


@dataclass(frozen=True)
class Mark:
    """Something structural that needs a person's eye or blocks by itself.

    ``hard`` marks what may never be released (a failed redaction);
    otherwise a blocking mark may be released unless personal data is found
    among the pieces of its ``group``.
    """

    check: str
    location: str | None
    reason: str
    severity: Severity = "block"
    hard: bool = False
    group: str | None = None


@dataclass(frozen=True)
class Nested:
    """A file inside the file (an embedded package, a PDF's attachment, an attached mail's)."""

    name: str
    data: bytes


@dataclass
class Inspection:
    """Everything read from one file; ``nested`` is emptied once those are inspected."""

    kind: str
    pieces: list[Piece] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    nested: list[Nested] = field(default_factory=list)

    def piece(self, location: str, text: str | None, group: str | None = None, kind: str | None = None) -> None:
        """Keep text worth checking (not blank)."""
        if text and text.strip():
            self.pieces.append(Piece(location, text, group, kind))

    def mark(self, check: str, location: str | None, reason: str, severity: Severity = "block",
             hard: bool = False, group: str | None = None) -> None:
        self.marks.append(Mark(check, location, reason, severity, hard, group))


@dataclass(frozen=True)
class Inspected:
    """One file's inspection under its name (nested names joined with ``/``)."""

    attachment: str
    inspection: Inspection

    def as_json(self) -> dict[str, Any]:
        return {
            "attachment": self.attachment,
            "kind": self.inspection.kind,
            "pieces": [asdict(p) for p in self.inspection.pieces],
            "marks": [asdict(m) for m in self.inspection.marks],
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> "Inspected":
        inspection = Inspection(
            kind=str(value["kind"]),
            pieces=[Piece(**{**p, "lines": tuple(p["lines"]) if p.get("lines") else None}) for p in value["pieces"]],
            marks=[Mark(**m) for m in value["marks"]],
        )
        return cls(str(value["attachment"]), inspection)
