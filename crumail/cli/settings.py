"""``crumail config check``: the effective settings, or why the config is wrong."""

from __future__ import annotations

import json

import click

from crumail.cli.app import Context, main, pass_ctx
from crumail.errors import ConfigError
from crumail.settings.show import as_toml, effective


@main.group("config")
def config_group() -> None:
    """The config file."""


@config_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@pass_ctx
def check(ctx: Context, as_json: bool) -> None:
    """Load the config and print the effective settings: defaults filled in,
    paths resolved, secrets never shown.  Exit 1, saying which key of which
    file is wrong, when it cannot be used."""
    try:
        config = ctx.config
    except ConfigError as exc:
        if as_json:
            click.echo(json.dumps({"valid": False, "error": str(exc)}, indent=2))
        raise
    where = str(config.path.resolve()) if config.path else None
    if as_json:
        click.echo(json.dumps({"valid": True, "file": where, "settings": effective(config.settings)},
                              indent=2, ensure_ascii=False))
        return
    heading = (f"the effective settings of {where}" if where else
               f"no config file: the embedded default (relative paths from {config.base})")
    click.echo(as_toml(config.settings, f"{heading}\n(defaults filled in, paths resolved; "
                                        "a commented key is not set)"), nl=False)
