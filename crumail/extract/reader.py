"""Extraction: a ParsedMail in, what the referral unit reads out of it.

Pure and total: ``extract`` never raises.  Each part is read on its own, so
a part that cannot be read leaves its field empty and the rest still comes
out.  Nested messages are extracted in their own right, and their logs
become related logs of the message that carries them.
"""

from __future__ import annotations

import logging
import re
from typing import Callable, TypeVar

from crumail.extract import advice as advice_mod
from crumail.extract import questions as questions_mod
from crumail.extract.dates import first_date
from crumail.extract.exemptions import exemptions
from crumail.extract.fields import read_fields
from crumail.extract.kinds import circulation_layer, message_kind
from crumail.extract.lognumbers import find_logs, unique
from crumail.extract.markings import handling_caveats, protective_marking, redaction_markers
from crumail.extract.model import Extraction
from crumail.extract.quoting import Layer, layers
from crumail.extract.sections import is_advice_heading, request_start, split_inline_headings
from crumail.extract.text import body_text
from crumail.extract.xrefs import cross_references
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import ParsedMail

log = logging.getLogger(__name__)
T = TypeVar("T")

CIRCULATION_KINDS = ("circulation", "forwarded_circulation")
#: Kinds whose text carries no applicant's request.
NO_REQUEST_KINDS = ("out_of_office", "acknowledgement")
#: Kinds sent by a force about a circulation: whatever it says is not the unit's advice.
NO_ADVICE_KINDS = ("force_reply",)
#: Kinds where a numbered list with no request heading is still the request.
HEADINGLESS_KINDS = ("circulation", "forwarded_circulation", "referral")
#: A body line that states the circulation date (``Date logged: 07.01.2025``), the
#: label opening the line or a cell of it (``Caseworker: X   Date created: ...``).
#: A cell starts only at the first blank of a run, taken whole (possessive), so
#: a line of a million spaces is read once, not once per space.
DATE_LINE = re.compile(
    r"(?:^|(?<![ \t])(?:\t|[ ]{2,}+))[ \t*]*+(?:circulation[ \t]+date|date[ \t]+(?:of[ \t]+)?(?:circulation|circulated|logged|logging|created)"
    r"|circulated(?:[ \t]+on)?|logged[ \t]+on|date)[ \t*]*[:\-–\t]"
    r"|\bcirculation\b",
    re.I,
)
#: Deeper nesting than this is hostile input; the parser should stop it first.
MAX_DEPTH = 8


class Problems(list):
    """The parts of one message that could not be read, in the words ``parse`` prints."""

    def safely(self, read: Callable[[], T], default: T, what: str) -> T:
        try:
            return read()
        except Exception as error:  # one unreadable part must not lose the rest
            log.warning("extract: could not read %s", what, exc_info=True)
            self.append(f"{what}: {type(error).__name__}")
            return default


def extract(parsed: ParsedMail, depth: int = 0, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """What the referral unit reads out of ``parsed`` (never raises)."""
    problems = Problems()
    nested = problems.safely(lambda: _nested(parsed, depth, limits), (), "nested messages")
    result = problems.safely(lambda: _extract(parsed, nested, problems, limits), None, "message")
    return result or Extraction(nested=nested, problems=tuple(problems))


def _nested(parsed: ParsedMail, depth: int, limits: Limits) -> tuple[Extraction, ...]:
    return tuple(extract(n, depth + 1, limits) for n in parsed.nested) if depth < MAX_DEPTH else ()


def _capped(found: list[T], limit: int, what: str, key: str, problems: Problems) -> list[T]:
    """The first ``limit`` of ``found``; the rest dropped and said so (a draft
    has a block per question: 30,000 of them tie the drafting stage up)."""
    if len(found) <= limit:
        return found
    problems.append(f"{what}: {len(found):,} found, only the first {limit:,} kept ([intake] {key})")
    return found[:limit]


def _extract(parsed: ParsedMail, nested: tuple[Extraction, ...], problems: Problems,
             limits: Limits) -> Extraction:
    safely = problems.safely
    subject = parsed.subject or ""
    body = safely(lambda: body_text(parsed), "", "body")
    chain = safely(lambda: layers(subject, body), [Layer(subject, body)], "quoting")
    kind = safely(lambda: message_kind(parsed, chain, [n.kind for n in nested]), "other", "kind")
    circ = safely(lambda: _whole_circulation(kind, circulation_layer(kind, chain), subject, body), chain[0], "circulation")
    content = _content(kind, chain, circ)
    logs, primary = safely(lambda: _logs(parsed, body, kind, chain, circ, nested), ([], None), "log numbers")
    fields = safely(lambda: _fields(kind, circ), {}, "fields")
    items, advice = safely(lambda: _request(kind, circ), ([], []), "questions and advice")
    items = _capped(items, limits.max_questions, "questions", "max_questions", problems)
    advice = _capped(advice, limits.max_advice, "advice blocks", "max_advice", problems)
    return Extraction(
        kind=kind,  # type: ignore[arg-type]
        log_numbers=tuple(logs),
        primary_log=primary,
        circulation_date=safely(lambda: _circulation_date(kind, chain, circ), None, "circulation date"),
        case_worker=fields.get("case_worker"),
        logged_with=fields.get("logged_with"),
        sent_from=fields.get("sent_from"),
        protective_marking=safely(lambda: protective_marking(subject, body), None, "protective marking"),
        handling_caveats=tuple(safely(lambda: handling_caveats(subject + "\n" + body), [], "handling caveats")),
        questions=tuple(questions_mod.as_questions(items)),
        advice=tuple(advice),
        exemptions=tuple(safely(lambda: exemptions(content), [], "exemptions")),
        related_logs=tuple(x for x in logs if x != primary),
        cross_references=tuple(safely(lambda: cross_references(content), [], "cross references")),
        redaction_markers=tuple(safely(lambda: redaction_markers(subject + "\n" + body), [], "redaction markers")),
        nested=nested,
        problems=tuple(problems),
    )


def _whole_circulation(kind: str, circ: Layer, subject: str, body: str) -> Layer:
    """A circulation that pastes the applicant's e-mail (``From: ... Sent: ...``)
    has its request below what looks like quoted mail: read the whole body."""
    if kind == "circulation" and not _has_sections(circ.text) and _has_sections(body):
        return Layer(subject, body)
    return circ


def _has_sections(text: str) -> bool:
    lines = text.split("\n")
    return request_start(lines) is not None or any(is_advice_heading(line) for line in lines)


def _content(kind: str, chain: list[Layer], circ: Layer) -> str:
    """The text whose statements are this message's own."""
    if circ.text is chain[0].text or kind not in CIRCULATION_KINDS:
        return chain[0].text
    if circ.text.startswith(chain[0].text):
        return circ.text
    return chain[0].text + "\n\n" + circ.text


def _logs(parsed, body, kind, chain, circ, nested) -> tuple[list[str], str | None]:
    names = "\n".join(a.filename or "" for a in parsed.attachments)
    nested_logs = [x for n in nested for x in n.log_numbers]
    logs = find_logs(parsed.subject or "") + find_logs(body) + find_logs(names) + nested_logs
    primary = _primary(kind, chain, circ, nested) if kind in CIRCULATION_KINDS else None
    return unique(([primary] if primary else []) + logs), primary


def _primary(kind: str, chain: list[Layer], circ: Layer, nested) -> str | None:
    candidates = find_logs(circ.subject or "") + find_logs(circ.text)
    candidates += find_logs(chain[0].subject or "")
    candidates += [n.primary_log for n in nested if n.primary_log]
    return candidates[0] if candidates else None


def _fields(kind: str, circ: Layer) -> dict[str, str | None]:
    return {} if kind in NO_REQUEST_KINDS else read_fields(circ.text)


def _circulation_date(kind: str, chain: list[Layer], circ: Layer) -> str | None:
    if kind not in CIRCULATION_KINDS:
        return None
    for subject in (circ.subject, circ.written_subject, chain[0].subject):
        if subject and (found := first_date(subject)):
            return found
    for line in circ.text.split("\n"):
        if DATE_LINE.search(line) and (found := first_date(line)):
            return found
    return None


def _request(kind: str, circ: Layer):
    if kind in NO_REQUEST_KINDS:
        return [], []
    items, advice = _questions_and_advice(kind, circ.text)
    # A force's position per question (``Q1 - we will disclose``) is not advice:
    # advice is the unit's.
    return items, ([] if kind in NO_ADVICE_KINDS else advice)


def _questions_and_advice(kind: str, text: str):
    lines = split_inline_headings(text.split("\n"))
    items, after = questions_mod.parse_questions(lines, kind in HEADINGLESS_KINDS)
    if any(item.advice is not None for item in items):
        return items, advice_mod.inline_advice(items)
    return items, advice_mod.parse_advice(lines, items, after)
