"""``crumail backup DEST`` and ``crumail restore SRC``; the storage and backup
lines of ``crumail status``."""

from __future__ import annotations

from pathlib import Path

import click
from sqlite_utils import Database

from crumail import clock
from crumail.cli.app import Context, main, pass_ctx, run_lock
from crumail.config import Config
from crumail.errors import StoreError
from crumail.intake.daily_backup import Schedule
from crumail.store import backup as store_backup
from crumail.store import faults, open_database


@main.command("backup")
@click.argument("dest")
@pass_ctx
def backup_command(ctx: Context, dest: str) -> None:
    """Copy the live database to DEST (a file, or a folder: a dated name in it).

    Safe while crumail runs: SQLite's online backup, checked with
    integrity_check, mode 0600; nothing is left at DEST when it fails.
    """
    started = clock.now()
    db = open_database(ctx.config.database, create=False)
    verified = store_backup.backup(db, dest, started)
    click.echo(f"backup written: {verified.path} ({verified.bytes:,} bytes, mode 0600); "
               f"integrity_check ok; {verified.messages} messages; schema {verified.schema}")
    try:
        store_backup.record(db, started, verified.path, verified)
    except StoreError as exc:
        click.echo(f"crumail backup: the backup is good, but `crumail status` will not show it: {exc}",
                   err=True)


@main.command()
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def restore(ctx: Context, src: Path) -> None:
    """Replace the database with the backup SRC, once SRC is checked.

    Refused while crumail runs on the database or another process has it
    open.  The database it replaces is kept beside it as
    DATABASE.pre-restore-TIME, with its -wal and -shm.
    """
    database = ctx.config.database
    with run_lock(database):
        done = store_backup.restore(src, database)
    checked = done.verified
    click.echo(f"checked {src}: integrity_check ok; {checked.messages} messages; schema {checked.schema}")
    if done.aside:
        click.echo(f"kept the database it replaces as {', '.join(str(p) for p in done.aside)}")
    else:
        click.echo(f"there was no database at {database} to keep")
    click.echo(f"restored {database} (mode 0600); mail taken in since the backup comes again from IMAP "
               "sources on the next run (see the README on drop folders and move_to)")


def storage_report(config: Config, db: Database | None) -> dict[str, object]:
    """The ``storage`` and ``backup`` parts of ``crumail status``."""
    schedule = Schedule.from_config(config)
    report: dict[str, object] = {"storage": faults.probe(config.database).as_dict()}
    backups: dict[str, object] = {"dir": str(schedule.folder) if schedule else None,
                                  "keep": schedule.keep if schedule else None,
                                  "last": None, "last_failure": None}
    if db is not None and "backups" in db.table_names():
        backups["last"] = store_backup.last(db)
        backups["last_failure"] = store_backup.last_failure(db)
    report["backup"] = backups
    return report


def storage_lines(report: dict) -> list[str]:
    """The plain form of :func:`storage_report`."""
    storage, backups = report["storage"], report["backup"]
    lines = [f"storage: {storage['state']}: {storage['detail']}"]
    last, failed = backups["last"], backups["last_failure"]
    lines.append(f"backup: last {last['finished_at']} {last['path']} ({last['bytes']:,} bytes, "
                 f"{last['messages']} messages)" if last else "backup: none recorded")
    if failed:
        lines.append(f"backup: FAILED {failed['finished_at']}: {failed['error']}")
    if backups["dir"]:
        lines.append(f"backup: daily to {backups['dir']}, keeping {backups['keep']}")
    return lines
