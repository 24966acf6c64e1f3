"""``crumail check``: the outbound checks on a draft, exactly as the send stage runs them."""

from __future__ import annotations

import json
import sys

import click

from crumail.checks import CheckContext, check_bytes
from crumail.cli.app import Context, main, pass_ctx, read_input
from crumail.errors import CheckError, OverLimitError


@main.command()
@click.argument("file", default="-")
@click.option("--to", "recipients", multiple=True, metavar="ADDRESS",
              help="A recipient (repeatable); an .eml's own To/Cc/Bcc count too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's form).")
@click.option("--eml/--text", "as_mail", default=None,
              help="Read the input as mail, or as plain text (default: mail only when it starts with "
                   "real mail headers).")
@pass_ctx
def check(ctx: Context, file: str, recipients: tuple[str, ...], as_json: bool, as_mail: bool | None) -> None:
    """Check a draft (plain text or .eml, - for standard input) before it leaves.

    Exit status: 0 when nothing blocks, 3 when blocked, 1 on bad input.
    """
    try:
        data = read_input(file, ctx.config.max_message_bytes)
        _text, report = check_bytes(data, recipients, _context(ctx), as_mail)
    except (OSError, CheckError, OverLimitError) as exc:
        click.echo(f"crumail check: {file}: {getattr(exc, 'strerror', None) or exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print(report)
    sys.exit(report.exit_status)


def _context(ctx: Context) -> CheckContext:
    """As the send stage builds it; without a database yet, no names are known."""
    if ctx.config.database.exists():
        from crumail.review.verify import context_for

        return context_for(ctx.config, ctx.db)
    return CheckContext.from_config(ctx.config.settings.redaction)


def _print(report) -> None:
    for f in report.findings:
        where = "" if f.part in ("body", "attachment") else f"[{f.part}] "
        within = f"  [{f.attachment}, {f.location or 'whole file'}]" if f.attachment else ""
        click.echo(f"{f.severity:5}  {f.check:15} {where}{f.start:>6}-{f.end:<6} {f.text!r}{within}: {f.reason}")
    click.echo("BLOCKED" if report.blocked else "nothing blocks")
