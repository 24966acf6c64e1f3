"""The drafting stage: stored messages in the drafting queue become drafts.

The store queues every newly stored message (in the transaction that stores
it, crumail.store.batch); this stage takes the queue in order, reads each
message again from its raw bytes, and per the ``[drafts.rules]`` gives it
a log number if it needs one and renders its drafts, each message in its
own transaction and its own try.  A message that fails stays queued with
its reason and is tried again next time, up to ``MAX_ATTEMPTS``; then it
waits, never dropped: ``crumail status`` and the desk show it with its
reason until ``crumail drafts retry`` (or the desk's retry, ``crumail
reprocess``, a template saved on the desk, or a newer crumail) gives it its
attempts back.
"""

from __future__ import annotations

import logging
from datetime import date
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import get_args

from sqlite_utils import Database

from crumail import clock
from crumail.drafts import age, allocate, precedents, rules as rules_mod
from crumail.drafts.compose import Referral, compose
from crumail.drafts.deadlines import received_on
from crumail.drafts.render import environment
from crumail.extract import extract
from crumail.extract.markings import handling_caveats, protective_marking
from crumail.extract.receipt import stated_receipt
from crumail.extract.model import Kind
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import SYSTEM_ACTOR, Force, body_sha256
from crumail.parse import parse_bytes
from crumail.register.match import force_for
from crumail.store import audit, casebook, drafts as store, forces as register, messages
from crumail.store.db import transaction

log = logging.getLogger("crumail.drafts")

MAX_ATTEMPTS = 5
MAX_REASON = 500          # characters of an error kept and shown (it may quote the mail)
SHOWN_FAILURES = 50
SYSTEM = SYSTEM_ACTOR


@dataclass
class DraftingReport:
    messages: int = 0
    drafts: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"messages": self.messages, "drafts": self.drafts,
                "failed": [{"message": m, "reason": r} for m, r in self.failed]}


def draft_pending(config, db: Database) -> DraftingReport:
    """Draft every queued message; returns what was drafted and what failed."""
    rules = rules_mod.from_config(config)
    env = environment(rules.template_folders)
    report = DraftingReport()
    _tidy_queue(db, rules)
    for message, _kind in store.queued(db, MAX_ATTEMPTS):
        report.messages += 1
        try:
            with transaction(db):
                if not store.still_queued(db, message):
                    continue  # another process drafted it meanwhile
                report.drafts.extend(draft_message(db, message, rules, env, config.limits))
                store.dequeue(db, message)
        except Exception as exc:  # one message's failure never stops the others
            reason = f"{type(exc).__name__}: {exc}"[:MAX_REASON]
            with transaction(db):
                attempts = store.drafting_failed(db, message, reason, running_version())
            _log_failure(message, reason, attempts)
            report.failed.append((message, reason))
    return report


def _log_failure(message: int, reason: str, attempts: int) -> None:
    extra = {"event": "drafting_failed", "stored_message": message}
    if attempts < MAX_ATTEMPTS:
        log.warning("drafting message %s failed (attempt %s of %s): %s", message, attempts,
                    MAX_ATTEMPTS, reason, extra=extra)
        return
    log.error("gave up drafting message %s after %s attempts: %s; fix the cause, then run "
              "`crumail drafts retry` (or try again on the desk's Drafting page)", message, attempts,
              reason, extra={**extra, "event": "drafting_given_up"})


def _tidy_queue(db: Database, rules: rules_mod.DraftingRules) -> None:
    """Messages of a kind the rules give no drafts need no second parse: done.
    Messages that failed under another crumail get their attempts back: the
    new code may well draft them."""
    idle = [kind for kind in get_args(Kind) if not rules.templates_for(kind)]
    with transaction(db):
        if idle:
            store.dequeue_kinds(db, idle)
        if store.retry_drafting(db, unless_version=running_version()):
            log.info("drafting again the messages an earlier crumail could not draft",
                     extra={"event": "drafting_retry"})


def retry_failed(config, db: Database, messages: list[int] | None = None) -> tuple[int, DraftingReport]:
    """Give failed messages (all, or ``messages``) their attempts back and draft
    again; returns how many were queued again and what drafting did."""
    with transaction(db):
        queued = store.retry_drafting(db, messages)
    return queued, draft_pending(config, db)


def problems(db: Database) -> dict:
    """What drafting could not do: counts, and the latest failures with their
    reasons (for ``crumail status`` and the desk)."""
    failures = store.drafting_failures(db, MAX_ATTEMPTS, SHOWN_FAILURES)
    for failure in failures:
        failure["given_up"] = bool(failure["given_up"])
    return {**problem_counts(db), "failures": failures}


def problem_counts(db: Database) -> dict[str, int]:
    """Queued messages: waiting (never failed), failing (tried again by itself),
    given up; and those passed over: too old, or taken in with no drafts."""
    return {**store.drafting_counts(db, MAX_ATTEMPTS), **store.skipped_counts(db)}


@lru_cache(maxsize=1)
def running_version() -> str:
    """This crumail's version (what a failure is recorded under)."""
    try:
        return version("crumail")
    except PackageNotFoundError:
        return "unknown"


def draft_message(db: Database, message: int, rules: rules_mod.DraftingRules, env,
                  limits: Limits = DEFAULT_LIMITS) -> list[int]:
    """Drafts for one stored message (inside the caller's transaction); their ids."""
    row = messages.get(db, message)
    if row is None:
        return []
    parsed = parse_bytes(row["raw"], row["filename"], limits)
    extraction = extract(parsed, limits=limits)
    allocate.observe(db, allocate.unit_logs(extraction))
    templates = rules.templates_for(extraction.kind)
    if not templates:
        return []
    if age.too_old(parsed.date, _stored_at(row), clock.now(), rules.max_age_days):
        store.skip_drafting(db, message, age.SKIPPED_AGE)
        log.info("no drafts for message %s: older than %s days", message, rules.max_age_days,
                 extra={"event": "drafting_skipped_age", "stored_message": message})
        return []
    return _draft_referral(db, message, row, parsed, extraction, templates, rules, env)


def _draft_referral(db, message, row, parsed, extraction, templates, rules, env) -> list[int]:
    received = received_on(parsed.date, _stored_at(row))
    log_number = extraction.primary_log or allocate.allocate(db, received.year)
    force = sender_force(db, parsed, extraction)
    stated = stated_receipt(parsed.text or "")
    allocate.enter_in_casebook(db, message, parsed, extraction, log_number,
                               logged_with=force.name if force else None)
    found = precedents.for_log(db, log_number, rules.precedents)
    referral = Referral(parsed, extraction, log_number, received, force,
                        sources=_sources(db, parsed, extraction, log_number, found),
                        force_received=date.fromisoformat(stated) if stated else None)
    created = []
    for template in templates:
        text = compose(env, rules, referral, template, found)
        draft = store.insert(db, message, text)
        if draft is None:
            continue  # drafted before (a retried queue entry)
        audit.record(db, draft, actor=SYSTEM, action="drafted", from_state=None,
                     to_state="drafted", body_sha256=body_sha256(text.body),
                     comment=f"{template} for log {log_number}, due {text.due_date}")
        log.info("drafted %s for log %s (draft %s)", template, log_number, draft,
                 extra={"event": "drafted", "draft": draft, "stored_message": message, "log": log_number})
        created.append(draft)
    return created


def _sources(db, parsed, extraction, log_number, found) -> tuple:
    """The markings of what a draft quotes or cites: the referral's attached
    messages, and (from the casebook) its own log, the logs it refers to and
    its precedents' logs."""
    nested = [(protective_marking(m.subject or "", m.text or ""), tuple(handling_caveats(m.text or "")))
              for m in parsed.walk() if m is not parsed]
    logs = [log_number, *extraction.related_logs, *(x.log for x in extraction.cross_references),
            *(p.log for ps in found.values() for p in ps)]
    return tuple(nested) + tuple(casebook.markings_of(db, logs))
def sender_force(db: Database, parsed, extraction) -> Force | None:
    """The register's force for a message: the one it names in Logged with,
    else its sender's (crumail.register.match); the register is ~50 rows."""
    sender = parsed.from_.address if parsed.from_ else None
    return force_for(register.list_forces(db), extraction.logged_with, sender)


def _stored_at(row: dict):
    from datetime import datetime

    return datetime.fromisoformat(row["received_at"]) if row.get("received_at") else None


def keep_allocated_log(db: Database, message: int, parsed, extraction) -> None:
    """After a stored message is extracted again (``crumail reprocess``), enter it
    in the casebook under the log number drafting gave it, which the mail
    itself does not state.  Call inside the transaction that refreshes it."""
    given = {d.log for d in store.select(db, message=message) if d.log}
    if len(given) == 1:
        force = sender_force(db, parsed, extraction)
        allocate.enter_in_casebook(db, message, parsed, extraction,
                                   extraction.primary_log or given.pop(),
                                   logged_with=force.name if force else None)
