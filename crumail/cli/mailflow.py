"""The commands on the flow of mail: parse and ingest files, run the daemon, reprocess, status.

(Named apart from the crumail.intake package, which is what these commands run.)"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from crumail.cli.app import Context, main, pass_ctx, read_input, run_lock
from crumail.errors import CrumailError, ParseError, StoreError
from crumail.extract import extract
from crumail.extract.contract import contract
from crumail.parse import parse_bytes
from crumail.store import open_database


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the contract's form).")
@pass_ctx
def parse(ctx: Context, files: tuple[str, ...], as_json: bool) -> None:
    """Parse .eml/.msg FILES (or - for standard input) without touching the database."""
    results, failed = [], False
    limits = ctx.config.limits
    for name in files:
        try:
            data = read_input(name, limits.max_message_bytes)
            parsed = parse_bytes(data, None if name == "-" else Path(name).name, limits)
        except (OSError, ParseError) as exc:
            click.echo(f"crumail parse: {name}: {_reason(exc)}", err=True)
            failed = True
            continue
        results.append(contract(parsed, extract(parsed, limits=limits), name))
    _print_parsed(results, len(files) > 1, as_json)
    sys.exit(1 if failed else 0)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _print_parsed(results: list[dict], several: bool, as_json: bool) -> None:
    if as_json:
        if results:
            click.echo(json.dumps(results if several else results[0], indent=2, ensure_ascii=False))
        return
    for item in results:
        click.echo(_summary(item))


def _summary(item: dict, indent: str = "") -> str:
    sender = item["from"] or {}
    lines = [
        f"{indent}{item['file'] or ''}: {item['kind']}",
        f"{indent}  subject: {item['subject']}",
        f"{indent}  from:    {sender.get('name')} <{sender.get('address')}>",
        f"{indent}  date:    {item['date']}",
        f"{indent}  logs:    {', '.join(item['log_numbers']) or '-'}",
        f"{indent}  questions: {len(item['questions'])}, advice blocks: {len(item['advice'])}",
    ]
    lines += [f"{indent}  attachment: {a['filename']} ({a['content_type']}, {a['size']} bytes)"
              for a in item["attachments"]]
    lines += [_summary(n, indent + "  ") for n in item["nested"]]
    return "\n".join(lines)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...]) -> None:
    """Take in .eml/.msg files and folders (files stay where they are)."""
    from crumail.intake.pipeline import run_source
    from crumail.sources.directory import FileSource, mail_files

    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # The progress bar stands for the per-message lines; problems still show.
        logging.getLogger("crumail.pipeline").setLevel(logging.WARNING)
    source = FileSource(paths, name="ingest", max_bytes=ctx.config.max_message_bytes)
    total = sum(1 for _ in mail_files(source.paths))
    with click.progressbar(length=total, label="ingesting", file=sys.stderr) as bar:
        report = run_source(ctx.db, source, progress=lambda raw: bar.update(1),
                            limits=ctx.config.limits,
                            workers=ctx.config.settings.intake.workers)
    counts = report.counts
    click.echo(f"{counts['stored']} stored, {counts['duplicate']} already stored, "
               f"{counts['quarantined']} quarantined")
    from crumail.drafts.stage import draft_pending

    drafted = draft_pending(ctx.config, ctx.db)
    if drafted.drafts:
        click.echo(f"{len(drafted.drafts)} draft(s) made; see `crumail drafts list`")


@main.command()
@click.option("--once", is_flag=True, help="Run one cycle of every job, then exit.")
@pass_ctx
def run(ctx: Context, once: bool) -> None:
    """Run the daemon: every source on its schedule, and the review desk beside it."""
    from crumail.intake.daemon import Daemon

    with run_lock(ctx.config.database):
        daemon = Daemon(ctx.config)
        if once:
            reports = daemon.run_once()
            for name, report in reports.items():
                click.echo(f"{name}: {report.counts if report else 'failed (see log)'}")
            sys.exit(0 if all(reports.values()) else 1)
        desk = _start_desk(ctx.config)
        try:
            daemon.run_forever()
        finally:
            if desk is not None:
                desk.close()


def _start_desk(config):
    """The review desk beside the scheduler, unless ``[web] enabled = false``."""
    from crumail import web

    if not web.enabled(config):
        return None
    try:
        return web.start_in_thread(config)
    except OSError as exc:
        web = config.settings.web
        raise CrumailError(f"the review desk cannot listen on {web.host}:{web.port}: "
                           f"{exc.strerror or exc}; free that port, "
                           "choose another in [web], or set [web] enabled = false") from None


@main.command()
@pass_ctx
def reprocess(ctx: Context) -> None:
    """Parse and extract every stored message again with the current code."""
    from crumail.intake.maintenance import reprocess as run_reprocess

    tally = run_reprocess(ctx.db, ctx.config.limits)
    click.echo(f"{tally.done} message(s) reprocessed, {len(tally.failed)} failed")
    for message, reason in tally.failed:
        click.echo(f"  message {message}: {reason}")
    sys.exit(1 if tally.failed else 0)


def _print_drafting(drafting: dict) -> None:
    click.echo(f"drafting: {drafting['waiting']} waiting, {drafting['failing']} failing, "
               f"{drafting['given_up']} given up; no drafts for {drafting['skipped_age']} too old "
               f"([drafts] max_age_days), {drafting['skipped_no_drafts']} imported")
    for f in drafting["failures"]:
        state = "given up" if f["given_up"] else "will retry"
        click.echo(f"  message {f['message']} ({(f['subject'] or '')[:60]!r}): {f['reason']} "
                   f"[{f['attempts']} attempt(s), {state}]")
    if drafting["given_up"]:
        click.echo("  fix the cause, then run `crumail drafts retry`")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def status(ctx: Context, as_json: bool) -> None:
    """What the store holds and how each source is doing."""
    from crumail.cli.backup import storage_report
    from crumail.drafts.stage import problems
    from crumail.store import status as store_status

    try:   # never a new, empty database where one has gone
        db, unreadable = open_database(ctx.config.database, create=False), None
    except StoreError as exc:
        db, unreadable = None, exc
    report = {
        "database": str(ctx.config.database),
        "counts": store_status.counts(db) if db else {},
        "drafts": store_status.drafts_by_state(db) if db else {},
        "drafting": problems(db) if db else {},
        "sources": store_status.sources(db, [s.name for s in ctx.config.sources]) if db else [],
        **storage_report(ctx.config, db),
    }
    if unreadable is not None:
        report["error"] = str(unreadable)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print_status(report)
    sys.exit(1 if unreadable else 0)


def _print_status(report: dict) -> None:
    from crumail.cli.backup import storage_lines

    click.echo(f"database: {report['database']}")
    if "error" in report:
        click.echo(f"  cannot be read: {report['error']}")
    for line in storage_lines(report):
        click.echo(line)
    for name, count in report["counts"].items():
        click.echo(f"  {name}: {count}")
    for state, count in report["drafts"].items():
        click.echo(f"  drafts {state}: {count}")
    if report["drafting"]:
        _print_drafting(report["drafting"])
    for src in report["sources"]:
        where = f"{src['source']} {src.get('folder') or ''}".rstrip()
        click.echo(f"source {where}: last poll {src.get('last_poll')}, last success "
                   f"{src.get('last_success')}, last error {src.get('last_error')}, "
                   f"backlog {src.get('backlog')}, ledger {src['ledger_size']}")
        acts = src["server_actions"]
        if acts["pending"] or acts["void"]:
            click.echo(f"  server actions: {acts['pending']} pending, {acts['failed']} failed, "
                       f"{acts['void']} void" + (f"; last error: {acts['last_error']}" if acts["last_error"] else ""))
