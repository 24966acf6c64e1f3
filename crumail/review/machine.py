"""The review desk: one state machine for every draft, shared by the CLI and the web.

After GNU Mailman's moderator: every interface calls these functions and
nothing else changes a draft.  Approving only changes state and records
who, when and why; the mail leaves later, in the send stage.

::

    drafted ──edit──► edited ──approve──► approved ──send──► sending ──► sent
       │                 ▲                    │  ▲             │   └──► failed (5xx) ──► edited/approved again
       └──approve────────┼────────────────────┘  │             └──► unconfirmed (crash, reply lost)
                         └───── edit (approval revoked)          │     ├─ confirm ─► sent
    reject: from any state before sent                          │     └─ requeue ─► approved (same Message-ID)

Every change appends one row to the audit trail (crumail.store.audit).
Approving runs the outbound checks over the exact message that would
leave; findings that block are released only by a written justification,
and never those that cannot be overridden (marked or police-only material
addressed outside the police network).  With four eyes on (``[web]
second_approver``), nobody who drafted or edited a draft, at any time since
it was drafted, may approve it: a one-character edit by a colleague does
not clear its writer.  The rule lives here, so the desk and the CLI both
keep it; :func:`actor` checks who the CLI says is acting.

A refused action raises a ReviewError (crumail/errors.py) whose message
says what and why and whose attributes hold the facts; each interface adds
what to type or click next in its own words, so no flag of the command line
reaches the desk.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlite_utils import Database

from crumail import clock
from crumail.checks import CheckReport, Finding, run_checks
from crumail.checks.redact import Replacement, apply, redaction_diff, replacements
from crumail.errors import (ApprovalBlocked, DraftNotFound, InvalidTransition, MissingInput, ReviewError,
                            SecondApproverNeeded, UnknownActor)
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import SYSTEM_ACTOR, AuditEntry, Draft, body_sha256
from crumail.review import message as outbound
from crumail.review.verify import Verdict, context_for, fingerprint, verify
from crumail.store import audit, draft_files, drafts as store, users
from crumail.store.db import transaction

MIN_JUSTIFICATION = 15  # characters: "ok" is not a justification
REASONS_SHOWN = 10      # findings named in a refusal message; the draft page lists them
EDITABLE = ("drafted", "edited", "approved", "failed")
APPROVABLE = ("drafted", "edited", "failed")
REJECTABLE = ("drafted", "edited", "approved", "failed", "unconfirmed")
WRITING_ACTIONS = ("drafted", "edited", "redacted")   # audit actions that put text in a draft


@dataclass(frozen=True)
class Redaction:
    """A proposed redaction, shown to the operator before it is saved."""

    draft: int
    before: str
    after: str
    diff: str
    findings: tuple[Finding, ...]
    changes: tuple[Replacement, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before != self.after


# -- reading -----------------------------------------------------------------

def list_drafts(db: Database, states: list[str] | None = None) -> list[Draft]:
    return store.select(db, states)


def get_draft(db: Database, draft_id: int) -> Draft:
    draft = store.get(db, draft_id)
    if draft is None:
        raise DraftNotFound(draft_id)
    return draft


def history(db: Database, draft_id: int) -> list[AuditEntry]:
    get_draft(db, draft_id)
    return audit.history(db, draft_id)


def writers(entries: list[AuditEntry]) -> set[str]:
    """Everyone who put text in the draft: drafted or edited it (crumail's own
    drafting aside), case folded as account names are compared."""
    return {e.actor.casefold() for e in entries
            if e.action in WRITING_ACTIONS and e.actor != SYSTEM_ACTOR}


def four_eyes(config) -> bool:
    """``[web] second_approver``: read here only, for the desk and the CLI alike."""
    return config.settings.web.second_approver


def check_draft(config, db: Database, draft_id: int) -> Verdict:
    """The checks over the message as it would leave now (for show and the web desk)."""
    draft = get_draft(db, draft_id)
    data = outbound.build_message(draft, draft.message_id or outbound.new_message_id(draft),
                                  draft.date_header or outbound.date_header(), draft_files.files(db, draft.id))
    return verify(config, db, data, draft)


# -- changing ----------------------------------------------------------------

def edit(db: Database, draft_id: int, *, by: str, body: str | None = None, subject: str | None = None,
         to: list[str] | None = None, cc: list[str] | None = None, comment: str | None = None,
         action: str = "edited", limits: Limits = DEFAULT_LIMITS) -> Draft:
    """Change a draft's text or recipients; an approved draft loses its approval."""
    _need(by, "by", "who is editing")
    with transaction(db):
        draft = get_draft(db, draft_id)
        _allowed(draft, EDITABLE, "edited")
        changes = {k: v for k, v in {"body": body, "subject": subject,
                                     "to": tuple(to) if to is not None else None,
                                     "cc": tuple(cc) if cc is not None else None}.items()
                   if v is not None and v != getattr(draft, k)}
        if not changes:
            return draft
        _within_caps(changes, draft, limits)
        revoked = draft.state == "approved"
        _move(db, draft, "edited", by, action, comment, **changes, **_unapproved())
        detail = {"changed": sorted(changes), "approval_revoked": revoked}
        audit.record(db, draft.id, actor=by, action=action, from_state=draft.state, to_state="edited",
                     body_sha256=body_sha256(changes.get("body", draft.body)), comment=comment,
                     detail=detail)
    return get_draft(db, draft_id)


def _within_caps(changes: dict, draft: Draft, limits: Limits) -> None:
    """Refuse a subject or recipient list the outbound path would choke on (the
    standard library folds and parses both in time that grows with their square)."""
    subject = changes.get("subject")
    if subject is not None and len(subject) > limits.max_draft_subject_chars:
        raise ReviewError(f"the subject is {len(subject):,} characters long; at most "
                          f"{limits.max_draft_subject_chars:,} are allowed ({Limits.key('max_draft_subject_chars')})")
    count = len(changes.get("to", draft.to)) + len(changes.get("cc", draft.cc))
    if ("to" in changes or "cc" in changes) and count > limits.max_draft_recipients:
        raise ReviewError(f"{count:,} recipients; a draft may have at most {limits.max_draft_recipients:,} "
                          f"({Limits.key('max_draft_recipients')})")


def approve(config, db: Database, draft_id: int, *, by: str, override: str | None = None,
            comment: str | None = None, confirm_recipients: bool = False) -> Draft:
    """Approve a draft for sending once the checks allow it (or a justification does).

    Recipients outside the police network that are not the sender of the
    message answered must be confirmed (``confirm_recipients``)."""
    _need(by, "by", "who is approving")
    with transaction(db):
        draft = get_draft(db, draft_id)
        _allowed(draft, APPROVABLE, "approved")
        _second_pair_of_eyes(config, db, draft, by)
        if not draft.to:
            raise ReviewError(f"draft {draft.id} has no recipient: edit it and add one before approving")
        message_id = draft.message_id or outbound.new_message_id(draft)
        date = outbound.date_header()
        data = outbound.build_message(draft, message_id, date, draft_files.files(db, draft.id))
        verdict = verify(config, db, data, draft)
        released = _released(verdict.report, override)
        confirmed = _confirmed(verdict.report, confirm_recipients)
        _move(db, draft, "approved", by, "approved", comment, message_id=message_id,
              date_header=date, approved_sha256=outbound.sha256(data), approved_by=by,
              approved_at=clock.stamp(), overrides=[fingerprint(f) for f in released],
              attempts=0, next_attempt=None, last_error=None)
        detail = {"message_id": message_id, "message_sha256": outbound.sha256(data),
                  "recipients": list(verdict.recipients),
                  "findings": [f.as_dict() for f in verdict.report.findings]}
        if released:
            detail["override"] = override
        if confirmed:
            detail["recipients_confirmed"] = confirmed
        audit.record(db, draft.id, actor=by, action="approved_with_override" if released else "approved",
                     from_state=draft.state, to_state="approved", body_sha256=draft.body_sha256,
                     comment=override if released else comment, detail=detail)
    return get_draft(db, draft_id)


def _second_pair_of_eyes(config, db: Database, draft: Draft, by: str) -> None:
    if four_eyes(config) and by.casefold() in writers(audit.history(db, draft.id)):
        raise SecondApproverNeeded(
            f"you drafted or edited draft {draft.id}: a second operator must approve it "
            "(four eyes: [web] second_approver is on)")


def _confirmed(report: CheckReport, confirm: bool) -> list[str]:
    """The recipients the operator confirms; raises when some need it and ``confirm`` is not given."""
    asked = list(dict.fromkeys(f.text for f in report.findings if f.check == "recipient"))
    if asked and not confirm:
        raise ApprovalBlocked(
            f"cannot approve yet: confirm the recipient{'s' if len(asked) > 1 else ''} {', '.join(asked)}: "
            "outside the police network and not the sender of the message answered (from its Reply-To, "
            "or added). Tick 'confirm recipients' on the desk, or give --confirm-recipients.",
            report, overridable=True, unconfirmed=tuple(asked))
    return asked


def _released(report: CheckReport, override: str | None) -> list[Finding]:
    """The blocking findings ``override`` releases; raises when it cannot."""
    blocking = [f for f in report.findings if f.severity == "block"]
    if not blocking:
        return []
    hard = [f for f in blocking if not f.overridable]
    if hard:
        said = "; ".join(dict.fromkeys(f.reason for f in hard))  # each reason once
        raise ApprovalBlocked("cannot approve: " + said + ". No justification can release this.",
                              report, overridable=False)
    if not override or len(override.strip()) < MIN_JUSTIFICATION:
        reasons = "; ".join(f"{f.check} {f.text!r}: {f.reason}" for f in blocking[:REASONS_SHOWN])
        if len(blocking) > REASONS_SHOWN:
            reasons += f"; and {len(blocking) - REASONS_SHOWN:,} more"
        raise ApprovalBlocked(
            f"cannot approve: the checks block it ({reasons}). Edit or redact the draft, or approve it "
            f"with a written justification of at least {MIN_JUSTIFICATION} characters.",
            report, overridable=True, min_justification=MIN_JUSTIFICATION)
    return blocking


def reject(db: Database, draft_id: int, *, by: str, comment: str) -> Draft:
    """Reject a draft for good (it is kept, with its history)."""
    _need(by, "by", "who is rejecting")
    _need(comment, "comment", "why it is rejected")
    return _transition(db, draft_id, REJECTABLE, "rejected", by, "rejected", comment)


def confirm_sent(db: Database, draft_id: int, *, by: str, comment: str) -> Draft:
    """An operator confirms an unconfirmed draft did leave (seen in the recipient's mailbox)."""
    _need(by, "by", "who is confirming")
    _need(comment, "comment", "how you know it left")
    return _transition(db, draft_id, ("unconfirmed",), "sent", by, "confirmed_sent", comment,
                       sent_at=clock.stamp())


def requeue(db: Database, draft_id: int, *, by: str, comment: str) -> Draft:
    """An operator decides an unconfirmed draft did not leave: send it again, same Message-ID."""
    _need(by, "by", "who is re-queueing")
    _need(comment, "comment", "how you know it did not leave")
    return _transition(db, draft_id, ("unconfirmed",), "approved", by, "requeued", comment,
                       attempts=0, next_attempt=None, sending_token=None)


def propose_redaction(config, db: Database, draft_id: int) -> Redaction:
    """The draft with the unit's redaction markers applied, and the diff, unsaved."""
    draft = get_draft(db, draft_id)
    # Checked on the body as stored (the message on the wire has CRLF line
    # ends, which would shift every offset).
    context = dataclasses.replace(context_for(config, db), recipients=draft.recipients,
                                  subject=draft.subject)
    report = run_checks(draft.body, context)
    findings = tuple(f for f in report.findings if f.part == "body")
    changes = replacements(draft.body, findings)
    diff = redaction_diff(draft.body, changes, f"draft {draft.id}", config.limits.max_diff_changes)
    return Redaction(draft.id, draft.body, apply(draft.body, changes), diff, findings, changes)


def apply_redaction(db: Database, proposal: Redaction, *, by: str) -> Draft:
    """Save a proposed redaction, if the draft has not changed since it was shown."""
    draft = get_draft(db, proposal.draft)
    if draft.body != proposal.before:
        raise InvalidTransition(f"draft {draft.id} changed since the redaction was shown; redact it again")
    if not proposal.changed:
        return draft
    markers = sorted({f.check for f in proposal.findings})
    return edit(db, draft.id, by=by, body=proposal.after, action="redacted",
                comment=f"redaction markers applied ({', '.join(markers)})")


# -- the send stage's transitions (crumail.send.stage) -------------------------

def record(db: Database, draft: Draft, to_state: str, *, actor: str, action: str,
           from_states: tuple[str, ...], comment: str | None = None, detail: dict | None = None,
           **values) -> bool:
    """Move ``draft`` and audit it in one transaction; False if its state changed meanwhile."""
    with transaction(db):
        if not store.update(db, draft.id, from_states, state=to_state, **values):
            return False
        audit.record(db, draft.id, actor=actor, action=action, from_state=draft.state,
                     to_state=to_state, body_sha256=draft.body_sha256, comment=comment, detail=detail)
    return True


# -- who acts from the command line ------------------------------------------

def actor(db: Database, by: str | None, login: str) -> str:
    """The name the audit trail records for a CLI action by ``by`` (None: not
    given), run by OS user ``login``.  Once the desk has accounts, it must be
    an active one (``login`` is tried when ``by`` is not given), spelt as the
    account is; with no account at all, it is ``login`` itself.  Free text
    would let anyone sign as anyone, and four eyes would mean nothing."""
    accounts = users.all_users(db)
    if not accounts:
        if by and by != login:
            raise UnknownActor(f"no desk account exists, so the action is recorded as the user running "
                               f"it ({login}), not {by!r}", given=by, login=login, accounts=False)
        return login
    wanted = (by or login).casefold()
    found = [a for a in accounts if a["name"].casefold() == wanted and not a["disabled_at"]]
    if not found:
        raise UnknownActor(f"{by or login!r} is not an active desk account", given=by, login=login,
                           accounts=True)
    return found[0]["name"]


# -- helpers -----------------------------------------------------------------

def _transition(db, draft_id, from_states, to_state, by, action, comment, **values) -> Draft:
    with transaction(db):
        draft = get_draft(db, draft_id)
        _allowed(draft, from_states, to_state)
        _move(db, draft, to_state, by, action, comment, **values)
        audit.record(db, draft.id, actor=by, action=action, from_state=draft.state, to_state=to_state,
                     body_sha256=draft.body_sha256, comment=comment)
    return get_draft(db, draft_id)


def _move(db, draft: Draft, to_state: str, by: str, action: str, comment, **values) -> None:
    if not store.update(db, draft.id, (draft.state,), state=to_state, **values):
        raise InvalidTransition(f"draft {draft.id} changed while it was being {action}; look again")


def _allowed(draft: Draft, states: tuple[str, ...], to_state: str) -> None:
    if draft.state not in states:
        raise InvalidTransition(
            f"draft {draft.id} is {draft.state}: it cannot become {to_state} "
            f"(only a draft that is {', '.join(states)} can)")


def _unapproved() -> dict:
    return {"approved_sha256": None, "approved_by": None, "approved_at": None, "overrides": []}


def _need(value: str | None, field: str, what: str) -> None:
    if not value or not value.strip():
        raise MissingInput(field, what)
