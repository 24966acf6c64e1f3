"""``crumail retention``: what is past its period, and erasing it;
``crumail person``: subject access (find, export, erase)."""

from __future__ import annotations

import getpass
import json
from collections import Counter
from pathlib import Path

import click

from crumail.cli.app import Context, main, pass_ctx
from crumail.privacy import bundle as bundle_mod
from crumail.privacy import erase as erase_mod
from crumail.privacy import person, retention
from crumail.privacy.person import Person
from crumail.privacy.record import record_search
from crumail.review.machine import actor as review_actor
from crumail.review.machine import four_eyes


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


@main.group("person")
def person_group() -> None:
    """Subject access: find, export and erase everything held on one person."""


def _person_options(command):
    for option in reversed((
        click.argument("name", required=False, default=""),
        click.option("--email", multiple=True, help="An email address of theirs (repeatable)."),
        click.option("--phone", multiple=True, help="A phone number of theirs, any written form (repeatable)."),
        click.option("--address", multiple=True, help="A postal address; its first line is searched."),
    )):
        command = option(command)
    return command


def _person(name: str, email: tuple[str, ...], phone: tuple[str, ...], address: tuple[str, ...]) -> Person:
    if not (name.strip() or email or phone or address):
        raise click.UsageError("give a NAME, or --email, --phone or --address")
    return Person(name.strip(), tuple(email), tuple(phone), tuple(address))


@person_group.command("find")
@_person_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object: the counts and every place.")
@click.option("--export", "export_dir", type=click.Path(path_type=Path), default=None,
              help="Write a disclosure bundle into this (new or empty) folder.")
@pass_ctx
def find_command(ctx: Context, name: str, email: tuple[str, ...], phone: tuple[str, ...],
                 address: tuple[str, ...], as_json: bool, export_dir: Path | None) -> None:
    """Every stored message, attachment, nested message, draft, casebook row and
    audit row that mentions the person; exit status 0 when the search ran."""
    who = _person(name, email, phone, address)
    found = person.find(ctx.db, who)
    bundle = None
    if export_dir is not None:
        bundle = bundle_mod.write(ctx.db, who, found, export_dir)
    record_search(ctx.db, who, found, bundle)
    if as_json:
        body = found.as_dict()
        if bundle is not None:
            body["export"] = bundle.as_dict()
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    for hit in found.hits:
        label = f"{hit.message_id or ''} {hit.subject or ''}".strip()
        click.echo(f"{hit.kind:8} {hit.id:>7}  {hit.where}  {label}  [{'; '.join(hit.found)}]")
    counts = found.counts
    click.echo("found: " + (", ".join(f"{n} {k}" for k, n in counts.items() if n) or "nothing"))
    if bundle is not None:
        click.echo(f"bundle written: {bundle.folder} ({bundle.files} files, marked {bundle.marking})")


@person_group.command("erase")
@_person_options
@click.option("--reason", help="Why (the request, its reference): kept in the erasure record.")
@click.option("--by", help="The admin doing it (a desk account; default: the user running the command).")
@click.option("--approve", "proposal", type=int, help="Approve and run erasure proposal N (four eyes).")
@click.option("--yes", is_flag=True, help="Erase without asking (the plan is still shown).")
@pass_ctx
def erase_command(ctx: Context, name: str, email: tuple[str, ...], phone: tuple[str, ...],
                  address: tuple[str, ...], reason: str | None, by: str | None, proposal: int | None,
                  yes: bool) -> None:
    """Erase what is held on the person: messages become tombstones (no bytes,
    no headers, no text), drafts and the casebook are masked (S.40(2), S.31(1)).

    Admins only.  With four eyes ([web] second_approver) one admin proposes
    (this command, with the person and --reason) and another approves
    (--approve N), which runs it.
    """
    db = ctx.db
    actor = review_actor(db, by, getpass.getuser())
    erase_mod.check_admin(db, actor)
    if proposal is not None:
        who, why, proposer = erase_mod.approvable(db, proposal, actor)
        _erase(ctx, who, f"{why} (proposed by {proposer}, approved by {actor})", actor, yes=True)
        erase_mod.settle(db, proposal, actor)
        return
    who = _person(name, email, phone, address)
    if not (reason or "").strip():
        raise click.UsageError("--reason must say why")
    if four_eyes(ctx.config):
        number = erase_mod.propose(db, who, reason.strip(), actor)
        click.echo(f"erasure proposal {number} recorded (four eyes): another admin runs "
                   f"`crumail person erase --approve {number} --by NAME`")
        return
    _erase(ctx, who, reason.strip(), actor, yes)


def _erase(ctx: Context, who: Person, reason: str, actor: str, yes: bool) -> None:
    db, settings = ctx.db, ctx.config.settings
    found = person.find(db, who)
    record_search(db, who, found, actor=actor)
    click.echo(f"plan: {len(found.messages)} messages to erase, "
               f"{len({h.id for h in found.hits if h.kind == 'draft'})} drafts and "
               f"{len({h.where for h in found.hits if h.kind in ('question', 'advice', 'log')})} casebook logs "
               f"to mask; {sum(1 for h in found.hits if h.kind == 'audit')} audit rows kept (audit_days)")
    for hit in found.hits:
        click.echo(f"  {hit.kind:8} {hit.id:>7}  {hit.where}  {hit.message_id or ''}")
    if not found.hits:
        return
    if not yes:
        click.confirm("erase all of this?", abort=True)
    done = erase_mod.erase(db, who, found, settings.redaction, reason, actor=actor,
                           batch=settings.retention.batch)
    click.echo(_summary(done.counts, "erased or masked") + f" in {done.batches} batches")
