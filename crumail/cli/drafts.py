"""Outbound mail on the command line: drafts list/show/edit/approve/reject, redact, send.

Thin commands over crumail.review (the same functions the web desk calls)
and the send stage.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from crumail.cli import trail
from crumail.cli.app import Context, main, pass_ctx
from crumail.cli.hints import said
from crumail.model import STATES, Draft


BY_HELP = ("Your desk account (default: $CRUMAIL_USER, else your login name); "
           "with no desk account at all, your login name is recorded.")


def _who(ctx: Context, by: str | None) -> str:
    """Who the audit trail records: an active desk account, checked (crumail.review.actor)."""
    from crumail import review

    return review.actor(ctx.db, by or os.environ.get("CRUMAIL_USER") or None, _login())


def _login() -> str:
    """The OS user running the command, from the process's user id ($USER can say anything)."""
    return trail.os_login()


@main.group()
def drafts() -> None:
    """Outbound drafts: list, show, edit, approve, reject (see README.md, "Outbound mail")."""


@drafts.command("make")
@pass_ctx
def make(ctx: Context) -> None:
    """Draft every stored message still waiting for its drafts."""
    report = _draft_pending(ctx)
    click.echo(f"{report.messages} message(s) looked at, {len(report.drafts)} draft(s) made, "
               f"{len(report.failed)} failed")
    for message, reason in report.failed:
        click.echo(f"  message {message}: {reason}", err=True)


@drafts.command("retry")
@click.argument("messages", nargs=-1, type=click.IntRange(min=1, max=2**63 - 1))
@pass_ctx
def retry(ctx: Context, messages: tuple[int, ...]) -> None:
    """Draft again the stored messages drafting failed on (all of them, or MESSAGES),
    once their cause is fixed (see `crumail status`)."""
    from crumail.drafts.stage import retry_failed

    queued, report = retry_failed(ctx.config, ctx.db, list(messages) or None)
    click.echo(f"{queued} message(s) queued for drafting again; {len(report.drafts)} draft(s) made, "
               f"{len(report.failed)} failed")
    for message, reason in report.failed:
        click.echo(f"  message {message}: {reason}", err=True)
    sys.exit(1 if report.failed else 0)


def _draft_pending(ctx: Context):
    from crumail.drafts.stage import draft_pending

    return draft_pending(ctx.config, ctx.db)


@drafts.command("list")
@click.option("--state", "states", multiple=True, type=click.Choice(STATES), help="Only drafts in this state.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def list_(ctx: Context, states: tuple[str, ...], as_json: bool) -> None:
    """Drafts, oldest first (messages waiting for drafts are drafted first)."""
    from crumail import review

    _draft_pending(ctx)
    found = review.list_drafts(ctx.db, list(states) or None)
    if as_json:
        click.echo(json.dumps([_summary(d) for d in found], indent=2, ensure_ascii=False))
        return
    for d in found:
        click.echo(f"{d.id:>5}  {d.state:<11} {d.template:<15} {d.log or '-':<9} due {d.due_date or '-':<10} "
                   f"to {', '.join(d.to) or '-'}  {d.subject[:60]}")


def _summary(d: Draft) -> dict:
    return {k: v for k, v in d.as_dict().items() if k != "body"}


@drafts.command()
@click.argument("draft_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (draft, checks, history).")
@pass_ctx
def show(ctx: Context, draft_id: int, as_json: bool) -> None:
    """One draft: headers, body, what the checks say now, and its history."""
    from crumail import review

    from crumail.store import draft_files

    draft = review.get_draft(ctx.db, draft_id)
    verdict = review.check_draft(ctx.config, ctx.db, draft_id)
    history = review.history(ctx.db, draft_id)
    trail.note(ctx, "view_draft", f"draft {draft_id}")
    if as_json:
        click.echo(json.dumps({"draft": draft.as_dict(), "checks": verdict.report.as_dict(),
                               "attachments": draft_files.listed(ctx.db, draft.id),
                               "history": [h.as_dict() for h in history]}, indent=2, ensure_ascii=False))
        return
    click.echo(f"Draft {draft.id} ({draft.template}, {draft.state}), log {draft.log or '-'}, "
               f"received {draft.received_date or '-'}, due {draft.due_date or '-'}")
    click.echo(f"From: {draft.from_address}\nTo: {', '.join(draft.to)}")
    if draft.cc:
        click.echo(f"Cc: {', '.join(draft.cc)}")
    click.echo(f"Subject: {draft.subject}\n")
    click.echo(draft.body)
    for file in draft_files.listed(ctx.db, draft.id):
        click.echo(f"-- file {file['id']}: {file['filename']} ({file['kind']}, {file['size']:,} bytes)")
    click.echo("-- checks: " + ("BLOCKED" if verdict.report.blocked else "nothing blocks"))
    for f in verdict.report.findings:
        lock = "" if f.overridable else " (cannot be overridden)"
        where = f" [{f.attachment}, {f.location or 'whole file'}]" if f.attachment else ""
        click.echo(f"   {f.severity:<5} {f.check:<15} {f.text!r}{where}: {f.reason}{lock}")
    click.echo("-- history:")
    for h in history:
        click.echo(f"   {h.at} {h.actor:<12} {h.action:<22} {h.from_state or '-'} -> {h.to_state}"
                   f"  {h.comment or ''}")


@drafts.command()
@click.argument("draft_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", help=BY_HELP)
@pass_ctx
def attach(ctx: Context, draft_id: int, file: Path, by: str | None) -> None:
    """Attach FILE to a draft; it is inspected whole at approval and at send.

    An approved draft loses its approval.  A link, a FIFO or a file over
    [drafts] max_draft_attachment_bytes is refused unread.
    """
    from crumail import review
    from crumail.files.untrusted import read_regular

    by = _who(ctx, by)
    data = read_regular(file, ctx.config.limits.max_draft_attachment_bytes)
    after = review.attach(ctx.db, draft_id, file.name, data, by=by, limits=ctx.config.limits)
    click.echo(f"attached {file.name} to draft {draft_id}; it is {after.state}")
    _print_file_findings(review.findings_by_file(review.check_draft(ctx.config, ctx.db, draft_id).report))


@drafts.command()
@click.argument("draft_id", type=int)
@click.argument("file_id", type=int)
@click.option("--by", help=BY_HELP)
@pass_ctx
def detach(ctx: Context, draft_id: int, file_id: int, by: str | None) -> None:
    """Remove an attached file (its number from 'crumail drafts show') from a draft."""
    from crumail import review

    after = review.detach(ctx.db, draft_id, file_id, by=_who(ctx, by))
    click.echo(f"removed file {file_id} from draft {draft_id}; it is {after.state}")


def _print_file_findings(grouped: dict) -> None:
    for name, findings in grouped.items():
        verdict = "BLOCKED" if any(f.severity == "block" for f in findings) else "warnings" if findings else "clean"
        click.echo(f"-- {name}: {verdict}")
        for f in findings:
            lock = "" if f.overridable else " (cannot be overridden)"
            click.echo(f"   {f.severity:<5} {f.check:<16} {f.location or '(whole file)'}: {f.text!r}{lock}")


@drafts.command()
@click.argument("draft_id", type=int)
@click.option("--body-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Take the new body from this file instead of opening $EDITOR.")
@click.option("--subject", help="A new subject line.")
@click.option("--to", "to", multiple=True, help="Replace the recipients (repeat for several).")
@click.option("--by", help=BY_HELP)
@click.option("--comment", help="Why (kept in the audit trail).")
@pass_ctx
def edit(ctx: Context, draft_id: int, body_file: Path | None, subject: str | None, to: tuple[str, ...],
         by: str | None, comment: str | None) -> None:
    """Change a draft's body ($EDITOR, or --body-file), subject or recipients.

    An approved draft loses its approval and must be approved again.
    """
    from crumail import review

    by = _who(ctx, by)
    draft = review.get_draft(ctx.db, draft_id)
    if body_file is not None:
        from crumail.store import own_files

        own_files.refuse(body_file, "read a draft's body from")
        body = body_file.read_text(encoding="utf-8")
    elif subject is None and not to:
        body = click.edit(draft.body, extension=".txt", require_save=True)
        if body is None:
            click.echo("no change saved")
            return
    else:
        body = None
    after = review.edit(ctx.db, draft_id, by=by, body=body, subject=subject, to=list(to) or None,
                        comment=comment, limits=ctx.config.limits)
    click.echo(f"draft {draft_id} is {after.state}" + (" (no change)" if after == draft else ""))


@drafts.command()
@click.argument("draft_id", type=int)
@click.option("--by", help=BY_HELP)
@click.option("--override", help="Written justification releasing findings that block (recorded).")
@click.option("--comment", help="A note for the audit trail.")
@click.option("--confirm-recipients", is_flag=True,
              help="Confirm recipients outside the police network that are not the sender answered.")
@pass_ctx
def approve(ctx: Context, draft_id: int, by: str | None, override: str | None, comment: str | None,
            confirm_recipients: bool) -> None:
    """Run the checks and approve a draft for the send stage."""
    from crumail import review

    by = _who(ctx, by)
    try:
        draft = review.approve(ctx.config, ctx.db, draft_id, by=by, override=override, comment=comment,
                               confirm_recipients=confirm_recipients)
    except review.ApprovalBlocked as exc:
        for f in exc.report.findings:
            if f.severity == "block":
                lock = "" if f.overridable else " (cannot be overridden)"
                click.echo(f"  {f.check} at {f.start}-{f.end} {f.text!r}: {f.reason}{lock}", err=True)
        click.echo(f"crumail: {said(exc)}", err=True)
        sys.exit(3)
    click.echo(f"draft {draft.id} approved by {draft.approved_by}: Message-ID {draft.message_id}"
               + (" (findings overridden)" if draft.overrides else ""))


def _settling(name: str, doc: str, comment: str, action: str, said: str) -> click.Command:
    """A command that moves a draft on with a comment: reject, confirm, requeue."""

    @drafts.command(name=name, help=doc)
    @click.argument("draft_id", type=int)
    @click.option("--by", help=BY_HELP)
    @click.option("--comment", required=True, help=comment)
    @pass_ctx
    def command(ctx: Context, draft_id: int, by: str | None, comment: str) -> None:
        from crumail import review

        getattr(review, action)(ctx.db, draft_id, by=_who(ctx, by), comment=comment)
        click.echo(f"draft {draft_id} {said}")

    return command


reject = _settling("reject", "Reject a draft for good (it stays, with its history).", "Why.",
                   "reject", "rejected")
confirm = _settling("confirm", "Settle an unconfirmed draft: it did leave.", "How you know it left.",
                    "confirm_sent", "recorded as sent")
requeue = _settling("requeue", "Settle an unconfirmed draft: it did not leave, send it again (same Message-ID).",
                    "How you know it did not leave.", "requeue", "approved again; the next send run takes it")


@main.command()
@click.argument("draft_id", type=int)
@click.option("--yes", is_flag=True, help="Save without asking.")
@click.option("--files", is_flag=True,
              help="Clean the draft's attached files instead: drop hidden sheets and rows, comments, tracked "
                   "changes, pivot caches, embedded objects, properties; each copy is checked again.")
@click.option("--by", help=BY_HELP)
@pass_ctx
def redact(ctx: Context, draft_id: int, yes: bool, files: bool, by: str | None) -> None:
    """Replace personal data in draft DRAFT_ID by S.40(2) and addresses by S.31(1), shown as a diff first."""
    from crumail import review

    by = _who(ctx, by)
    if files:
        _clean_files(ctx, draft_id, yes, by)
        return
    proposal = review.propose_redaction(ctx.config, ctx.db, draft_id)
    if not proposal.changed:
        click.echo(f"draft {draft_id}: nothing to redact")
        return
    click.echo(proposal.diff, nl=False)
    if not yes and not click.confirm("save this redaction?", default=False):
        click.echo("not saved")
        sys.exit(1)
    draft = review.apply_redaction(ctx.db, proposal, by=by)
    click.echo(f"draft {draft_id} redacted and saved ({draft.state})")


def _clean_files(ctx: Context, draft_id: int, yes: bool, by: str) -> None:
    """Each attached file's cleaned copy: what it drops, what the checks say of it, saved when confirmed."""
    from crumail import review
    from crumail.checks import CheckReport
    from crumail.checks.attachments import check_attachments
    from crumail.review.verify import context_for
    from crumail.store import draft_files

    listed = draft_files.listed(ctx.db, draft_id) if review.get_draft(ctx.db, draft_id) else []
    if not listed:
        click.echo(f"draft {draft_id}: no file attached")
        return
    context = context_for(ctx.config, ctx.db)
    for file in listed:
        try:
            offered = review.clean_file(ctx.db, draft_id, file["id"], by=by, limits=ctx.config.limits)
        except review.ReviewError as exc:
            click.echo(f"-- {file['filename']}: {exc}")
            continue
        if offered is None:
            click.echo(f"-- {file['filename']}: nothing to drop")
            continue
        cleaned, dropped = offered
        click.echo(f"-- {file['filename']}: a cleaned copy drops " + "; ".join(dropped))
        findings = check_attachments([(file["filename"], cleaned)], context)
        _print_file_findings(review.findings_by_file(CheckReport.of(findings)) if findings else
                             {file["filename"]: []})
        if yes or click.confirm(f"put the cleaned copy in place of {file['filename']}?", default=False):
            review.replace_file(ctx.db, draft_id, file["id"], cleaned, by=by, dropped=dropped)
            click.echo(f"   {file['filename']} replaced by its cleaned copy")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def send(ctx: Context, as_json: bool) -> None:
    """Send every approved draft that is due (the daemon's send job, run once)."""
    from crumail.send import send_approved

    report = send_approved(ctx.config, ctx.db)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(f"{len(report.sent)} sent, {len(report.retrying)} to retry, {len(report.failed)} failed, "
                   f"{len(report.refused)} refused, {len(report.unconfirmed)} unconfirmed")
        for name in ("retrying", "failed", "refused", "unconfirmed"):
            for draft, reason in getattr(report, name):
                click.echo(f"  draft {draft} {name}: {reason}")
        if report.unconfirmed:
            click.echo("  settle each with 'crumail drafts confirm ID' (it left) or 'crumail drafts requeue ID'")
    sys.exit(0 if not (report.failed or report.refused or report.unconfirmed) else 2)
