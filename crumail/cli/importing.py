"""``crumail import``: whole archives of old mail, stored and read, never drafted."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from crumail.cli.app import Context, main, pass_ctx



@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--again", is_flag=True,
              help="Read archives an earlier import finished again (what is stored stays once).")
@pass_ctx
def import_(ctx: Context, paths: tuple[Path, ...], again: bool) -> None:
    """Take in PST/OST files, mbox files, Maildirs and folders of .eml/.msg (recursively).

    Imported mail is history: it is stored, read and entered in the casebook,
    but never drafted and never given a log number.  An import stopped half-way
    goes on where it stopped when started again."""
    from crumail.intake.pipeline import run_source
    from crumail.sources.archive import ArchiveSource

    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # The progress bar stands for the per-message lines; problems still show.
        logging.getLogger("crumail.pipeline").setLevel(logging.WARNING)
    meter = _Meter()
    source = ArchiveSource(ctx.db, paths, ctx.config.max_message_bytes, again=again)
    with click.progressbar(length=max(1, source.total_bytes), label="importing", file=sys.stderr,
                           show_eta=True, item_show_func=meter.show) as bar:
        source.progress = lambda weight: bar.update(weight)
        report = run_source(ctx.db, source, progress=lambda raw: meter.tick(),
                            limits=ctx.config.limits, workers=ctx.config.settings.intake.workers,
                            drafts=False)
    counts = report.counts
    click.echo(f"{counts['stored']} stored, {counts['duplicate']} already stored, "
               f"{counts['quarantined']} quarantined, {source.skipped} skipped, "
               f"{source.archives_done} archive(s) finished earlier; none drafted "
               f"({meter.rate():.0f} messages/s)")
    sys.exit(1 if counts["quarantined"] else 0)


class _Meter:
    """Messages per second since the import began, for the bar and the summary."""

    def __init__(self) -> None:
        self.started, self.messages = time.monotonic(), 0

    def tick(self) -> None:
        self.messages += 1

    def rate(self) -> float:
        return self.messages / max(time.monotonic() - self.started, 1e-6)

    def show(self, _item: object = None) -> str:
        return f"{self.messages:,} messages, {self.rate():,.0f}/s"
