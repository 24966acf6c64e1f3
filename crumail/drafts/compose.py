"""From a stored referral to rendered drafts (pure: values in, DraftText out)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Sequence

import jinja2

from crumail.drafts import deadlines
from crumail.drafts.marking_floor import floor
from crumail.drafts.precedents import Precedent, template_values
from crumail.drafts.render import render
from crumail.drafts.rules import DraftingRules
from crumail.model import DraftText, Force, ParsedMail
from crumail.wordlists import FORWARD_PREFIX, POLICE_ONLY_CAVEATS, REPLY_PREFIX

UNIT = "National Police FOI & DP Central Referral Unit"
ACTS = {
    "scotland": "the Freedom of Information (Scotland) Act 2002",
}
DEFAULT_ACT = "the Freedom of Information Act 2000"
POLICE_ONLY_LINE = ("Not to be distributed outside of the Police network or other agencies "
                    "without prior authorisation from the CRU")
# Control characters that are not whitespace (NUL, ESC, DEL, C1): str.split()
# alone would keep them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The values every template is given (``_values``), besides ``[drafts.values]``.
VALUE_NAMES = frozenset({
    "unit", "log_number", "received", "due", "working_days", "nation", "nation_name", "act",
    "force", "original_subject", "marking", "caveats", "marking_lines", "questions", "sender",
    "force_received",
})


@dataclass(frozen=True)
class Referral:
    """What drafting needs to know about the message being answered."""

    parsed: ParsedMail
    extraction: Any  # crumail.extract.Extraction
    log_number: str
    received: date
    force: Force | None
    #: Markings of what the draft quotes or cites besides the referral itself
    #: (its attached messages, the logs it refers to, the precedents).
    sources: tuple[tuple[str | None, tuple[str, ...]], ...] = ()
    #: The day the force says it received the request (crumail.extract.receipt):
    #: the statutory clock runs from it when the mail states it.
    force_received: date | None = None

    @property
    def clock_start(self) -> date:
        return self.force_received or self.received


def marking_lines(marking: str | None, caveats: Sequence[str]) -> list[str]:
    """The banner at the top of a marked draft, as the unit writes it."""
    lines = [marking.replace("-", " - ")] if marking else []
    lines.extend(caveats)
    if any(c.lower() in POLICE_ONLY_CAVEATS for c in caveats):
        lines += ["", POLICE_ONLY_LINE]
    return lines


def marked_subject(subject: str, marking: str | None, caveats: Sequence[str]) -> str:
    """The marking (and caveats) at the start of the subject, once."""
    label = " ".join([marking or "", *caveats]).strip() if marking else ""
    if not label or subject.upper().startswith(label.upper()):
        return subject
    return f"{label} - {subject}"


def compose(env: jinja2.Environment, rules: DraftingRules, referral: Referral, template: str,
            precedents: Mapping[int, Sequence[Precedent]]) -> DraftText:
    """One draft of ``template`` answering ``referral``."""
    parsed, extraction = referral.parsed, referral.extraction
    # never lower than the referral, what it quotes, or the template's own marking
    marking, caveats = floor([(extraction.protective_marking, tuple(extraction.handling_caveats)),
                              *referral.sources,
                              (rules.marking.get(template), tuple(rules.caveats.get(template, ())))])
    nation = rules.nation_for(referral.force)
    due = deadlines.due_date(referral.clock_start, nation, rules.working_days)
    values = _values(rules, referral, nation, due, marking, caveats, precedents)
    rendered = render(env, template, values)
    return DraftText(
        template=template, log=referral.log_number, from_address=rules.from_address,
        to=_reply_to(parsed), subject=marked_subject(rendered.subject, marking, caveats),
        body=rendered.body, in_reply_to=parsed.message_id, references=_references(parsed),
        marking=marking, caveats=caveats,
        force=referral.force.name if referral.force else extraction.logged_with,
        nation=nation, received_date=referral.clock_start.isoformat(), due_date=due.isoformat(),
    )


def _values(rules: DraftingRules, referral: Referral, nation: str, due: date, marking: str | None,
            caveats: Sequence[str], precedents: Mapping[int, Sequence[Precedent]]) -> dict[str, Any]:
    extraction = referral.extraction
    questions = [
        {"number": q.number, "label": q.label, "text": q.text,
         "precedents": [template_values(p) for p in precedents.get(q.number, ())]}
        for q in extraction.questions
    ]
    values: dict[str, Any] = {
        "unit": UNIT,
        "log_number": referral.log_number,
        "received": referral.received,
        "force_received": referral.force_received,
        "due": due,
        "working_days": rules.working_days,
        "nation": nation,
        "nation_name": deadlines.NATION_NAMES[nation],
        "act": ACTS.get(nation, DEFAULT_ACT),
        "force": one_line(referral.force.name if referral.force else extraction.logged_with),
        "original_subject": _strip_reply(one_line(referral.parsed.subject) or "(no subject)"),
        "marking": marking,
        "caveats": list(caveats),
        "marking_lines": marking_lines(marking, caveats),
        "questions": questions,
        "sender": _sender(referral.parsed),
    }
    values.update(rules.values)
    return values


def one_line(text: str | None) -> str | None:
    """Header text as one plain line.  A decoded header can hold anything a
    sender encoded (a carriage return, a line or paragraph separator, NUL,
    escape codes), and a template puts it in a header line: a line break
    there would split the draft's own headers."""
    if text is None:
        return None
    return " ".join(_CONTROLS.sub(" ", text).split())


def _sender(parsed: ParsedMail) -> dict[str, Any]:
    if not parsed.from_:
        return {}
    return {key: one_line(value) if isinstance(value, str) else value
            for key, value in parsed.from_.as_dict().items()}
def value_names(rules: DraftingRules) -> frozenset[str]:
    """Every name a template may use: what drafting gives it and ``[drafts.values]``."""
    return VALUE_NAMES | frozenset(rules.values)


def _strip_reply(subject: str) -> str:
    text = subject.strip()
    while prefix := REPLY_PREFIX.match(text) or FORWARD_PREFIX.match(text):
        text = text[prefix.end():].strip()
    return text


def _reply_to(parsed: ParsedMail) -> tuple[str, ...]:
    people = parsed.reply_to or ((parsed.from_,) if parsed.from_ else ())
    return tuple(a.address for a in people if a and a.address)


def _references(parsed: ParsedMail) -> tuple[str, ...]:
    refs = list(parsed.references)
    if parsed.message_id and parsed.message_id not in refs:
        refs.append(parsed.message_id)
    return tuple(refs)
