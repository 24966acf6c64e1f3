"""``crumail retention``: what is past its period, and erasing it."""

from __future__ import annotations

import json
from collections import Counter

import click

from crumail.cli.app import Context, main, pass_ctx
from crumail.privacy import retention


@main.group("retention")
def retention_group() -> None:
    """Erase what the [retention] policy keeps no longer (raw mail, quarantine, drafts, audit)."""


@retention_group.command("plan")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the items and a count per kind.")
@pass_ctx
def plan_command(ctx: Context, as_json: bool) -> None:
    """List what `crumail retention apply` would erase now, and why (nothing changes)."""
    items = retention.plan(ctx.db, ctx.config.settings.retention)
    counts = Counter(i.kind for i in items)
    if as_json:
        click.echo(json.dumps({"items": [i.as_dict() for i in items], "counts": dict(counts)}, indent=2))
        return
    for item in items:
        click.echo(f"{item.kind:10} {item.id:>7}  {item.age_days:>5} days  since {item.since}  "
                   f"{item.label}  ({item.rule})")
    click.echo(_summary(counts, "would erase"))


@retention_group.command("apply")
@pass_ctx
def apply_command(ctx: Context) -> None:
    """Erase what is past its period: raw bytes gone, tombstones and masked casebook kept.

    Safe beside a running daemon: one transaction per batch; each batch is
    in the erasure record with its counts.
    """
    settings = ctx.config.settings
    result = retention.apply(ctx.db, settings.retention, settings.redaction, actor="cli")
    click.echo(_summary(result.counts, "erased") + f" in {result.batches} batches")


def _summary(counts: Counter, verb: str) -> str:
    if not counts:
        return f"{verb} nothing: no record is past its retention period"
    return f"{verb} " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
