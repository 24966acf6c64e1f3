"""A draft beside the mail it answers: findings in place, precedents, and the
review actions, each one a call to :mod:`crumail.review` (shared with the CLI).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import datetime

from werkzeug.wrappers import Response

from crumail import clock, review
from crumail.checks import CheckReport
from crumail.errors import CrumailError
from crumail.model import body_sha256
from crumail.review.verify import Verdict
from crumail.store import desk, draft_files, messages, search
from crumail.web.context import Ctx, not_found
from crumail.web.highlight import highlight, redaction_markup, spans_of
from crumail.web.routes import route
from crumail.web.views.casebook import log_url

NOTICES = {
    "edited": "Your changes were saved. The checks ran again over the new text.",
    "approved": "Approved with your name on it. The send stage will send it.",
    "rejected": "Rejected. The draft is kept with its history.",
    "redacted": "Redaction markers applied.",
    "confirmed": "Recorded as sent.",
    "requeued": "Queued to be sent again.",
    "unchanged": "Nothing changed.",
    "attached": "The file is attached. The checks read it whole, as they will at approval and at send.",
    "detached": "The file was removed.",
}


@route("/drafts/<int:draft>")
def draft_page(ctx: Ctx, draft: int) -> Response:
    done = ctx.request.args.get("done")
    return _page(ctx, draft, notice=NOTICES.get(done or ""))


@route("/drafts/<int:draft>/edit", ("POST",))
def draft_edit(ctx: Ctx, draft: int) -> Response:
    form = ctx.request.form
    current = _draft(ctx, draft)
    body = _text(form.get("body"))
    try:
        if form.get("body_sha256") and form["body_sha256"] != current.body_sha256:
            raise review.InvalidTransition(
                "someone changed this draft while you were editing it; your text is below, "
                "the saved text is in the draft: copy what you need and save again")
        changed = review.edit(ctx.db, draft, by=ctx.user["name"], body=body,
                              subject=_line(form.get("subject")), to=_addresses(form.get("to")),
                              cc=_addresses(form.get("cc")), comment=_line(form.get("comment")) or None,
                              limits=ctx.config.limits)
    except review.ReviewError as exc:
        return _page(ctx, draft, error=_words(exc), typed=body, status=409)
    return ctx.redirect("draft_page", {"done": "edited" if changed.updated_at != current.updated_at
                                       else "unchanged"}, draft=draft)


@route("/drafts/<int:draft>/approve", ("POST",))
def draft_approve(ctx: Ctx, draft: int) -> Response:
    form = ctx.request.form
    me = ctx.user["name"]
    override = _line(form.get("override")) or None
    try:
        review.approve(ctx.config, ctx.db, draft, by=me, override=override,
                       comment=_line(form.get("comment")) or None,
                       confirm_recipients=form.get("confirm_recipients") == "yes")
    except review.ApprovalBlocked as exc:
        return _page(ctx, draft, error=_words(exc), status=409, wants_override=exc.overridable)
    except review.ReviewError as exc:
        return _page(ctx, draft, error=_words(exc), status=409)
    return ctx.redirect("draft_page", {"done": "approved"}, draft=draft)


@route("/drafts/<int:draft>/reject", ("POST",))
def draft_reject(ctx: Ctx, draft: int) -> Response:
    try:
        review.reject(ctx.db, draft, by=ctx.user["name"], comment=_line(ctx.request.form.get("comment")))
    except review.ReviewError as exc:
        return _page(ctx, draft, error=_words(exc), status=409)
    return ctx.redirect("draft_page", {"done": "rejected"}, draft=draft)


@route("/drafts/<int:draft>/redact")
def draft_redact_preview(ctx: Ctx, draft: int) -> Response:
    current = _draft(ctx, draft)
    proposal = review.propose_redaction(ctx.config, ctx.db, draft)
    limit = ctx.config.limits.max_diff_changes
    diff, hidden = redaction_markup(proposal.before, proposal.changes, limit)
    return ctx.render("redact.html", draft=current, proposal=proposal, diff=diff, hidden=hidden,
                      limit=limit, markers=_marker_counts(proposal.changes[limit:]),
                      before_sha256=body_sha256(proposal.before))


@route("/drafts/<int:draft>/redact", ("POST",), endpoint="draft_redact")
def draft_redact(ctx: Ctx, draft: int) -> Response:
    proposal = review.propose_redaction(ctx.config, ctx.db, draft)
    try:
        if ctx.request.form.get("before_sha256") != body_sha256(proposal.before):
            raise review.InvalidTransition("the draft changed since the redaction was shown; look at it again")
        review.apply_redaction(ctx.db, proposal, by=ctx.user["name"])
    except review.ReviewError as exc:
        return _page(ctx, draft, error=_words(exc), status=409)
    return ctx.redirect("draft_page", {"done": "redacted" if proposal.changed else "unchanged"}, draft=draft)


@route("/drafts/<int:draft>/unconfirmed", ("POST",))
def draft_unconfirmed(ctx: Ctx, draft: int) -> Response:
    form = ctx.request.form
    action = review.confirm_sent if form.get("decision") == "sent" else review.requeue
    try:
        action(ctx.db, draft, by=ctx.user["name"], comment=_line(form.get("comment")))
    except review.ReviewError as exc:
        return _page(ctx, draft, error=_words(exc), status=409)
    return ctx.redirect("draft_page", {"done": "confirmed" if form.get("decision") == "sent"
                                       else "requeued"}, draft=draft)


def _words(error: review.ReviewError) -> str:
    """A refused action as the desk says it: the facts, then what to do on this page
    (the command line says it with its flags instead, crumail/cli/hints.py)."""
    match error:
        case review.MissingInput(field="comment", what=what):
            return f"Write {what} in the box for it: it is required."
        case review.ApprovalBlocked(overridable=True):
            return f"{error} Write it in the justification box, then approve again."
    return str(error)


def page(ctx: Ctx, draft_id: int, **kwargs) -> Response:
    """The draft's page (for the views of its files)."""
    return _page(ctx, draft_id, **kwargs)


def _page(ctx: Ctx, draft_id: int, *, notice: str | None = None, error: str | None = None,
          typed: str | None = None, status: int = 200, wants_override: bool = False) -> Response:
    draft = _draft(ctx, draft_id)
    try:
        verdict = review.check_draft(ctx.config, ctx.db, draft_id)
    except CrumailError as exc:   # show the draft all the same; approving will refuse
        verdict = Verdict(draft.body, CheckReport(blocked=True, findings=()), ())
        error = f"{error + ' ' if error else ''}The checks could not run over this draft: {exc}"
    text = verdict.body
    shown, others, hidden = _findings_shown(verdict.report.findings, len(text), ctx.config.limits)
    history = review.history(ctx.db, draft_id)
    source = messages.get(ctx.db, draft.message) if draft.message else None
    if source:
        source.pop("raw", None)
    return ctx.render(
        "draft.html", status=status, draft=draft, notice=notice, error=error,
        body_text=typed if typed is not None else draft.body, marked=highlight(text, shown),
        findings=verdict.report.findings, spans=shown, other_findings=others, hidden=hidden,
        settings_cap=ctx.config.limits.max_findings_shown,
        report=verdict.report, files=draft_files.listed(ctx.db, draft_id),
        by_file=review.findings_by_file(verdict.report),
        recipients=verdict.recipients, source=source, source_to=_json(source, "to_json"),
        history=history, precedents=_precedents(ctx, draft), log_url=log_url,
        days_left=_days_left(draft.due_date), wants_override=wants_override or verdict.report.blocked,
        a_writer=ctx.user["name"].casefold() in review.writers(history),
        second_approver=review.four_eyes(ctx.config),
        min_justification=review.MIN_JUSTIFICATION, editable=draft.state in review.EDITABLE,
        approvable=draft.state in review.APPROVABLE, rejectable=draft.state in review.REJECTABLE)


def _findings_shown(findings, text_length: int, limits) -> tuple[list, list, dict[str, int]]:
    """The findings marked in the text, the others listed, and a count by
    severity of those past ``[web] max_findings_shown`` (neither marked nor listed)."""
    limit = limits.max_findings_shown
    spans = spans_of(findings, text_length)
    others = [f for f in findings if not (f.part == "body" and 0 <= f.start < f.end <= text_length)]
    shown = spans[:limit]
    listed = others[: max(0, limit - len(shown))]
    hidden: dict[str, int] = {}
    for item in [*spans[limit:], *others[len(listed):]]:
        hidden[item.severity] = hidden.get(item.severity, 0) + 1
    return shown, listed, hidden


def _marker_counts(changes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.marker] = counts.get(change.marker, 0) + 1
    return counts


def _draft(ctx: Ctx, draft_id: int):
    try:
        return review.get_draft(ctx.db, draft_id)
    except review.DraftNotFound:
        raise not_found(f"draft {draft_id}") from None


def _precedents(ctx: Ctx, draft):
    """The casebook's precedents for the draft's log.  Every review action
    shows the draft page again, so the answer is kept while the casebook's
    questions stay the same (a new question gives a new key)."""
    if not draft.log:
        return []
    key = (str(ctx.config.database), draft.log, desk.casebook_version(ctx.db))
    with _cache_lock:
        if key in _precedent_cache:
            _precedent_cache.move_to_end(key)
            return _precedent_cache[key]
    try:
        found = [q for q in search.similar(ctx.db, draft.log, limit=3) if q.precedents]
    except Exception:  # precedents help; their absence must not hide the draft
        return []
    with _cache_lock:
        _precedent_cache[key] = found
        while len(_precedent_cache) > PRECEDENT_CACHE_SIZE:
            _precedent_cache.popitem(last=False)
    return found


PRECEDENT_CACHE_SIZE = 256
_precedent_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def _days_left(due: str | None) -> int | None:
    if not due:
        return None
    return (datetime.fromisoformat(due).date() - clock.today()).days


def _text(value: str | None) -> str | None:
    """A textarea's text with the browser's CRLF line ends made LF again."""
    return None if value is None else value.replace("\r\n", "\n").replace("\r", "\n")


def _line(value: str | None) -> str:
    return " ".join((value or "").split())


def _addresses(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [a.strip() for a in value.replace(";", ",").replace("\n", ",").split(",") if a.strip()]


def _json(row: dict | None, key: str) -> list:
    try:
        return json.loads(row[key]) if row and row.get(key) else []
    except ValueError:
        return []
