"""The drafting stage: stored messages in the drafting queue become drafts.

The store queues every newly stored message (in the transaction that stores
it, crumail.store.batch); this stage takes the queue in order, reads each
message again from its raw bytes, and per the ``[drafts.rules]`` gives it
a log number if it needs one and renders its drafts, each message in its
own transaction and its own try.  A message that fails stays queued with
its reason and is tried again next time, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import get_args

from sqlite_utils import Database

from crumail.drafts import lognumbers, precedents, rules as rules_mod
from crumail.drafts.compose import Referral, compose
from crumail.drafts.deadlines import received_on
from crumail.drafts.model import body_sha256
from crumail.drafts.render import environment
from crumail.extract import extract
from crumail.extract.model import Kind
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.parse import parse_bytes
from crumail.store import audit, drafts as store, messages
from crumail.store.db import transaction

log = logging.getLogger("crumail.drafts")

MAX_ATTEMPTS = 5
SYSTEM = "crumail"


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
    _pass_over_undrafted_kinds(db, rules)
    for message, _kind in store.queued(db, MAX_ATTEMPTS):
        report.messages += 1
        try:
            with transaction(db):
                if not store.still_queued(db, message):
                    continue  # another process drafted it meanwhile
                report.drafts.extend(draft_message(db, message, rules, env, config.limits))
                store.dequeue(db, message)
        except Exception as exc:  # one message's failure never stops the others
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("drafting message %s failed: %s", message, reason,
                        extra={"event": "drafting_failed", "stored_message": message})
            with transaction(db):
                store.drafting_failed(db, message, reason)
            report.failed.append((message, reason))
    return report


def _pass_over_undrafted_kinds(db: Database, rules: rules_mod.DraftingRules) -> None:
    """Messages of a kind the rules give no drafts need no second parse: done."""
    idle = [kind for kind in get_args(Kind) if not rules.templates_for(kind)]
    if idle:
        with transaction(db):
            store.dequeue_kinds(db, idle)


def draft_message(db: Database, message: int, rules: rules_mod.DraftingRules, env,
                  limits: Limits = DEFAULT_LIMITS) -> list[int]:
    """Drafts for one stored message (inside the caller's transaction); their ids."""
    row = messages.get(db, message)
    if row is None:
        return []
    parsed = parse_bytes(row["raw"], row["filename"], limits)
    extraction = extract(parsed, limits=limits)
    lognumbers.observe(db, list(extraction.log_numbers))
    templates = rules.templates_for(extraction.kind)
    if not templates:
        return []
    return _draft_referral(db, message, row, parsed, extraction, templates, rules, env)


def _draft_referral(db, message, row, parsed, extraction, templates, rules, env) -> list[int]:
    received = received_on(parsed.date, _stored_at(row))
    log_number = extraction.primary_log or lognumbers.allocate(db, received.year)
    sender = parsed.from_.address if parsed.from_ else None
    force = rules.force_for(extraction.logged_with, sender)
    referral = Referral(parsed, extraction, log_number, received, force)
    precedents.enter_in_casebook(db, message, parsed, extraction, log_number)
    found = precedents.for_log(db, log_number, rules.precedents)
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


def _stored_at(row: dict):
    from datetime import datetime

    return datetime.fromisoformat(row["received_at"]) if row.get("received_at") else None


def keep_allocated_log(db: Database, message: int, parsed, extraction) -> None:
    """After a stored message is extracted again (``crumail reprocess``), enter it
    in the casebook under the log number drafting gave it, which the mail
    itself does not state.  Call inside the transaction that refreshes it."""
    given = {d.log for d in store.select(db, message=message) if d.log}
    if len(given) == 1 and not extraction.primary_log:
        precedents.enter_in_casebook(db, message, parsed, extraction, given.pop())
