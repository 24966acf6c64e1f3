"""The ``crumail`` command group; commands live in sibling modules."""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator

import click

from crumail import config as config_mod
from crumail import logconfig
from crumail.cli.hints import said
from crumail.errors import CrumailError, OverLimitError
from crumail.intake.lock import RunLock
from crumail.store import faults, open_database


@dataclass
class Context:
    config_path: str | None

    @cached_property
    def config(self) -> config_mod.Config:
        return config_mod.load(self.config_path)

    @cached_property
    def db(self):
        return open_database(self.config.database)


pass_ctx = click.make_pass_decorator(Context)


@contextmanager
def run_lock(database: Path) -> Iterator[RunLock]:
    """The database's run lock, or one line saying why it cannot be had (a full
    or read-only disk), never a traceback."""
    lock = RunLock(database)
    try:
        lock.__enter__()
    except OSError as exc:
        raise faults.from_os_error(exc, lock.path) from None
    try:
        yield lock
    finally:
        lock.__exit__(None, None, None)


def read_input(name: str, limit: int) -> bytes:
    """A file's bytes (``-``: standard input), reading no more than ``limit`` + 1:
    a larger input is refused before it is held whole.  Raises OSError or
    OverLimitError."""
    if name == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with Path(name).open("rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise OverLimitError(f"more than {limit:,} bytes, over the limit ([intake] max_message_bytes)")
    return data


class Group(click.Group):
    """Turns crumail's own errors into one clear line (and a hint with the flags
    that answer it, crumail/cli/hints.py) and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CrumailError as exc:
            click.echo(f"crumail: {said(exc)}", err=True)
            sys.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar=config_mod.CONFIG_ENV, metavar="FILE",
              help="TOML config file (default: $CRUMAIL_CONFIG, ./crumail.toml, or the embedded default).")
@click.option("--log-format", type=click.Choice(["plain", "json"]), default="plain",
              show_default=True, help="Log lines as text or as JSON objects.")
@click.option("-v", "--verbose", is_flag=True, help="Log debugging detail.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, log_format: str, verbose: bool) -> None:
    """crumail: the mail daemon behind an FOI Central Referral Unit's mailbox."""
    logconfig.setup(log_format, logging.DEBUG if verbose else logging.INFO)
    ctx.obj = Context(config_path)
