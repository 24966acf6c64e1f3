"""``crumail quarantine``: what could not be taken in, and trying again."""

from __future__ import annotations

import sys

import click

from crumail.cli import trail
from crumail.cli.app import Context, main, pass_ctx
from crumail.store import quarantine as store_quarantine


@main.group()
def quarantine() -> None:
    """Messages no stage could handle, with the reason and their raw bytes."""


@quarantine.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include entries already released.")
@pass_ctx
def list_(ctx: Context, show_all: bool) -> None:
    """List quarantined messages."""
    rows = store_quarantine.rows(ctx.db, include_released=show_all)
    if not rows:
        click.echo("quarantine is empty")
    for row in rows:
        released = f" (released to message {row['released_to']})" if row["released_at"] else ""
        click.echo(f"{row['id']:>5}  {row['last_attempt']}  {row['stage']:7}  "
                   f"{row['filename'] or row['source_key']}: {row['reason']}{released}")


@quarantine.command()
@click.argument("entry", type=int)
@click.option("--raw", is_flag=True, help="Write the raw bytes to standard output.")
@pass_ctx
def show(ctx: Context, entry: int, raw: bool) -> None:
    """Show one entry (or its raw bytes with --raw)."""
    row = store_quarantine.get(ctx.db, entry)
    if row is None:
        click.echo(f"crumail: no quarantine entry {entry}", err=True)
        sys.exit(1)
    trail.note(ctx, "download_raw_quarantine" if raw else "view_quarantine", f"entry {entry}")
    if raw:
        sys.stdout.buffer.write(store_quarantine.raw(ctx.db, entry).data)
        return
    for key, value in row.items():
        click.echo(f"{key:>14}: {value}")


@quarantine.command()
@click.argument("entries", nargs=-1, type=int)
@click.option("--all", "retry_all", is_flag=True, help="Retry every open entry.")
@pass_ctx
def retry(ctx: Context, entries: tuple[int, ...], retry_all: bool) -> None:
    """Parse quarantined messages again with the current code."""
    from crumail.intake.maintenance import retry as run_retry

    if not entries and not retry_all:
        raise click.UsageError("name an entry ID, or --all")
    ids = store_quarantine.open_ids(ctx.db) if retry_all else list(entries)
    results = run_retry(ctx.db, ids, ctx.config.limits)
    for entry, outcome in results.items():
        click.echo(f"{entry}: {outcome}")
    sys.exit(0 if all(not o.startswith(("still", "no such")) for o in results.values()) else 1)
