"""The checks over the exact bytes that leave: shared by approval and the send stage.

Both build the message, decode it again as a recipient would, and run
``crumail.checks.run_checks`` on that body for the recipients its own
headers name, so what was judged at approval is what is judged at send.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from email.utils import getaddresses

from sqlite_utils import Database

from crumail.checks import CheckContext, CheckReport, Finding, check_eml
from crumail.store import gazetteer, messages


@dataclass(frozen=True)
class Verdict:
    body: str
    report: CheckReport
    recipients: tuple[str, ...]


def fingerprint(finding: Finding) -> dict:
    """What identifies a finding released by an override."""
    return {"check": finding.check, "part": finding.part, "start": finding.start,
            "end": finding.end, "text": finding.text, "attachment": finding.attachment,
            "location": finding.location}


def context_for(config, db: Database) -> CheckContext:
    """The checks' context: the config's [redaction] table and the names crumail knows.

    The gazetteer already holds the people of every stored message, the one
    being answered included: it learns them in the transaction that stores it.
    """
    context = CheckContext.from_config(config.settings.redaction, names=gazetteer.names(db))
    return replace(context, max_header_chars=config.limits.max_header_chars, limits=config.limits)


def verify(config, db: Database, data: bytes, draft=None) -> Verdict:
    """Run every check over ``data`` (an .eml) as its recipients would read it.

    With the ``draft`` it was built from, the marking and caveats drafting
    gave it (those of what it quotes or answers) are a floor the mail may
    not fall below."""
    context = context_for(config, db)
    if draft is not None:
        context = replace(context, marking_floor=draft.marking, caveat_floor=tuple(draft.caveats),
                          answering=_answering(db, draft))
    body, report = check_eml(data, context=context)
    return Verdict(body, report, envelope_recipients(data))


def _answering(db: Database, draft) -> str | None:
    """The address of the message the draft answers (None when it answers none)."""
    source = messages.get(db, draft.message) if getattr(draft, "message", None) else None
    return (source or {}).get("from_address") or None


def envelope_recipients(data: bytes) -> tuple[str, ...]:
    from email import message_from_bytes, policy

    message = message_from_bytes(data, policy=policy.SMTP)
    values = [str(v) for key in ("To", "Cc") for v in message.get_all(key, [])]
    return tuple(addr for _, addr in getaddresses(values) if addr)


def unreleased(report: CheckReport, overrides: tuple[dict, ...] | list[dict]) -> list[Finding]:
    """Blocking findings no override releases (never those that cannot be overridden).

    Looked up in a set: a draft approved over 30,000 findings is checked
    again at send time, and a list made that 900 million comparisons."""
    released = {_key(o) for o in overrides}
    return [f for f in report.findings if f.severity == "block"
            and (not f.overridable or _key(fingerprint(f)) not in released)]


def _key(fingerprint: dict) -> tuple:
    return tuple(fingerprint.get(k) for k in ("check", "part", "start", "end", "text", "attachment", "location"))
