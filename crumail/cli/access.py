"""``crumail access``: the access trail from the command line (list, export;
an export is itself a row of the trail, as on the desk)."""

from __future__ import annotations

from pathlib import Path

import click

from crumail.cli import trail
from crumail.cli.app import Context, main, pass_ctx
from crumail.errors import CrumailError
from crumail.files import export, marking
from crumail.files.private import private_file
from crumail.store import access, own_files


def _filters(command):
    for option in (click.option("--until", metavar="YYYY-MM-DD", help="Up to this day, included."),
                   click.option("--since", metavar="YYYY-MM-DD", help="From this day."),
                   click.option("--action", help="Only this action (login_failed, export ...)."),
                   click.option("--actor", help="Only this person.")):
        command = option(command)
    return command


@main.group("access")
def access_group() -> None:
    """The access trail: who logged in, saw, searched, exported or changed what."""


@access_group.command("list")
@_filters
@click.option("--limit", default=50, show_default=True, help="At most this many rows, newest first.")
@pass_ctx
def access_list(ctx: Context, actor, action, since, until, limit: int) -> None:
    """Print the trail, newest first."""
    total, rows = access.rows(ctx.db, access.Filter(actor, action, None, since, until), limit=limit)
    for r in rows:
        click.echo(f"{r['at'][:19]} {r['actor']:<14} {r['via']:<4} {r['action']:<24} {r['target'] or ''}")
    click.echo(f"{len(rows)} of {total} row(s)", err=True)


@access_group.command("export")
@_filters
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("--output", "-o", required=True, metavar="FILE", help="File to write (0600).")
@pass_ctx
def access_export(ctx: Context, actor, action, since, until, fmt: str, output: str) -> None:
    """Write the trail (marked OFFICIAL-SENSITIVE) to FILE."""
    _, rows = access.rows(ctx.db, access.Filter(actor, action, None, since, until), limit=None)
    table = access.as_table(rows)
    marked = marking.OFFICIAL_SENSITIVE
    path = Path(output)
    own_files.refuse(path, "write an export to")
    try:
        with private_file(path) as stream:
            stream.write(export.table_bytes(fmt, "Access trail", access.TABLE_COLUMNS, table, marked))
    except OSError as exc:
        raise CrumailError(f"cannot write {path}: {exc.strerror or exc}") from None
    trail.note(ctx, "export", f"access.{fmt}", output=str(path), marking=marked, rows={"access": len(table)},
               filters={k: v for k, v in (("actor", actor), ("action", action), ("since", since),
                                          ("until", until)) if v})
    click.echo(f"{marked}: {len(table)} row(s) -> {path}")
