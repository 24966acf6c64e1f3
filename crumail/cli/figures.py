"""``crumail report``: the unit's figures for a period, for a quarterly return."""

from __future__ import annotations

from pathlib import Path

import click

from crumail import clock
from crumail.cli import trail
from crumail.cli.app import Context, main, pass_ctx
from crumail.errors import CrumailError
from crumail.files import marking
from crumail.files.private import private_file
from crumail.store import own_files


@main.command()
@click.option("--period", required=True, metavar="PERIOD",
              help="2025Q1 (a quarter), 2025-03 (a month) or 2025 (a year).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "html"]), default="xlsx", show_default=True)
@click.option("--output", "-o", metavar="FILE",
              help="File to write (default: OFFICIAL_crumail-report-PERIOD.xlsx|html here).")
@pass_ctx
def report(ctx: Context, period: str, fmt: str, output: str | None) -> None:
    """The figures of the desk's Figures page for PERIOD, as XLSX (a sheet per
    table) or one HTML page (charts inline); written 0600, marked OFFICIAL."""
    from crumail.figures import compute, period as periods, report as reports

    chosen, label = periods.parse(period)
    figures = compute.compute(ctx.db, chosen, label, clock.today())
    path = Path(output or marking.file_name(reports.MARKING, f"crumail-report-{label}.{fmt}"))
    own_files.refuse(path, "write a report to")
    body = (reports.xlsx_bytes(figures) if fmt == "xlsx"
            else reports.html(figures, clock.stamp()).encode("utf-8"))
    try:
        with private_file(path) as stream:
            stream.write(body)
    except OSError as exc:
        raise CrumailError(f"cannot write {path}: {exc.strerror or exc}") from None
    trail.note(ctx, "export", f"report.{fmt}", period=label, output=str(path), marking=reports.MARKING)
    click.echo(f"{reports.MARKING}: figures for {label} -> {path}")
