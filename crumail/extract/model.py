"""What the referral unit reads out of a message: the extraction result.

Field names and value forms follow ``crumail parse --json`` in CONTRACTS.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "circulation",
    "forwarded_circulation",
    "referral",
    "force_query",
    "force_reply",
    "clarification",
    "chaser",
    "acknowledgement",
    "out_of_office",
    "other",
]


@dataclass(frozen=True)
class Question:
    number: int
    label: str
    text: str


@dataclass(frozen=True)
class Advice:
    questions: tuple[int, ...]
    heading: str | None
    text: str


@dataclass(frozen=True)
class CrossReference:
    log: str
    their_questions: tuple[int, ...]
    our_questions: tuple[int, ...]


@dataclass(frozen=True)
class Extraction:
    kind: Kind = "other"
    log_numbers: tuple[str, ...] = ()
    primary_log: str | None = None
    circulation_date: str | None = None
    case_worker: str | None = None
    logged_with: str | None = None
    sent_from: str | None = None
    protective_marking: str | None = None
    handling_caveats: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    advice: tuple[Advice, ...] = ()
    exemptions: tuple[str, ...] = ()
    related_logs: tuple[str, ...] = ()
    cross_references: tuple[CrossReference, ...] = ()
    redaction_markers: tuple[str, ...] = ()
    nested: tuple["Extraction", ...] = field(default=())
    #: Parts that could not be read (their fields are left null or empty).
    problems: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The contract's extraction fields (nested ones are added by the caller)."""
        return {
            "kind": self.kind,
            "log_numbers": list(self.log_numbers),
            "primary_log": self.primary_log,
            "circulation_date": self.circulation_date,
            "case_worker": self.case_worker,
            "logged_with": self.logged_with,
            "sent_from": self.sent_from,
            "protective_marking": self.protective_marking,
            "handling_caveats": list(self.handling_caveats),
            "questions": [
                {"number": q.number, "label": q.label, "text": q.text} for q in self.questions
            ],
            "advice": [
                {"questions": list(a.questions), "heading": a.heading, "text": a.text}
                for a in self.advice
            ],
            "exemptions": list(self.exemptions),
            "related_logs": list(self.related_logs),
            "cross_references": [
                {
                    "log": x.log,
                    "their_questions": list(x.their_questions),
                    "our_questions": list(x.our_questions),
                }
                for x in self.cross_references
            ],
            "redaction_markers": list(self.redaction_markers),
            "extraction_problems": list(self.problems),
        }
