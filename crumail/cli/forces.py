"""``crumail forces import|export|list``: the force register from the shell."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from crumail.cli.app import Context, main, pass_ctx
from crumail.errors import CrumailError
from crumail.files.private import private_file
from crumail.register import apply
from crumail.settings.tables import nation as canonical_nation
from crumail.store import forces as store


def _actor() -> str:
    """Who the register's audit names for a change made from the shell."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@main.group()
def forces() -> None:
    """The force register: who mail comes from, where circulations go."""


@forces.command("import")
@click.argument("file", metavar="FILE.csv")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; change nothing.")
@click.option("--if-empty", is_flag=True, help="Only when the register holds no force yet (`make run` "
                                                "loads the example so).")
@pass_ctx
def import_command(ctx: Context, file: str, dry_run: bool, if_empty: bool) -> None:
    """Load FILE.csv into the register: every row checked first, then all
    applied in one transaction (forces matched by name; forces not in the
    file are kept as they are).  Columns: see data/forces.example.md."""
    if if_empty and (held := store.count(ctx.db)):
        click.echo(f"the register already holds {held} force(s): {file} not imported")
        return
    try:
        text = apply.read_file(file)
    except OSError as exc:
        raise CrumailError(f"cannot read {file}: {exc.strerror or exc}") from None
    result = apply.import_text(ctx.db, text, actor=_actor(), dry_run=dry_run)
    counts = result.summary()
    prefix = "would be " if dry_run else ""
    click.echo(f"{prefix}added {counts['added']}, {prefix}changed {counts['changed']}, "
               f"unchanged {counts['unchanged']}; {counts['kept']} force(s) not in the file kept")
    for before, after in result.changed:
        fields = [k for k, v in after.as_dict().items() if k != "id" and before.as_dict()[k] != v]
        click.echo(f"  {prefix}changed {after.name}: {', '.join(fields)}")


@forces.command("export")
@click.option("--output", "-o", metavar="FILE", default="-", show_default=True,
              help="Where to write the CSV (mode 0600); '-' is standard output.")
@pass_ctx
def export_command(ctx: Context, output: str) -> None:
    """Write the register as CSV, in the columns `crumail forces import` reads."""
    text = apply.export_text(ctx.db)
    if output == "-":
        sys.stdout.write(text)
        return
    try:
        with private_file(Path(output), "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as exc:
        raise CrumailError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"{store.count(ctx.db)} force(s) -> {output}")


@forces.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of forces).")
@click.option("--nation", help="Only this nation's forces (england-and-wales, scotland, northern-ireland).")
@click.option("--region", help="Only this region's forces.")
@click.option("--inactive", is_flag=True, help="Include inactive forces.")
@pass_ctx
def list_command(ctx: Context, as_json: bool, nation: str | None, region: str | None, inactive: bool) -> None:
    """The register, by name."""
    wanted = canonical_nation(nation) if nation else None
    found = store.list_forces(ctx.db, nation=wanted, region=region, active=None if inactive else True)
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in found], indent=2, ensure_ascii=False))
        return
    for f in found:
        state = "" if f.active else "  (inactive)"
        click.echo(f"{f.short_name:<18} {f.nation:<17} {f.region or '-':<26} {f.kind:<15} "
                   f"{';'.join(f.domains) or '-'}{state}")
    click.echo(f"{len(found)} force(s)")
