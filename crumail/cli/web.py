"""``crumail serve`` and ``crumail user``: the review desk and its accounts."""

from __future__ import annotations

import signal
import sys

import click

from crumail.cli import trail
from crumail.cli.app import Context, main, pass_ctx
from crumail.store import sessions, users
from crumail.store.db import transaction

LOOPBACK = ("127.0.0.1", "::1", "localhost")


@main.command()
@click.option("--host", help="Address to listen on (default: [web] host, 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default: [web] port, 8025).")
@pass_ctx
def serve(ctx: Context, host: str | None, port: int | None) -> None:
    """Serve the review desk (without the scheduler; `crumail run` does both)."""
    from crumail.web import make_server

    ctx.db  # migrate before serving, so a bad database fails here, loudly
    server = make_server(ctx.config, host, port)
    click.echo(f"review desk on {server.url} (Ctrl-C to stop)", err=True)
    if server.host not in LOOPBACK and not ctx.config.settings.web.trusted_proxy:
        click.echo("warning: the desk speaks plain HTTP and listens beyond this machine; "
                   "put it behind a TLS proxy ([web] trusted_proxy) or listen on 127.0.0.1", err=True)
    if not users.all_users(ctx.db):
        click.echo("no account yet: make one with `crumail user add NAME --role admin`", err=True)
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    click.echo("review desk stopped", err=True)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt     # waitress ends its loop on this, and the requests in hand finish


@main.group()
def user() -> None:
    """Accounts of the review desk."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(users.ROLES), default="operator", show_default=True)
@click.option("--password-file", type=click.File("r"),
              help="Read the password from the first line of this file ('-' for standard input).")
@pass_ctx
def user_add(ctx: Context, name: str, role: str, password_file) -> None:
    """Create an account (the password is prompted for unless given a file)."""
    from crumail.web.auth import hash_password

    password = _password(password_file)
    try:
        hashed = hash_password(password, name)
        with transaction(ctx.db):
            users.add(ctx.db, name, role, hashed)
    except ValueError as exc:
        click.echo(f"crumail: {exc}", err=True)
        sys.exit(1)
    trail.note(ctx, "admin_change", f"user {name}", command="user add", role=role)
    click.echo(f"account {name} created ({role})")


@user.command("password")
@click.argument("name")
@click.option("--password-file", type=click.File("r"), help="Read the new password from this file.")
@pass_ctx
def user_password(ctx: Context, name: str, password_file) -> None:
    """Set an account's password; its sessions are ended."""
    from crumail.web.auth import hash_password

    account = _account(ctx, name)
    try:
        hashed = hash_password(_password(password_file), name)
    except ValueError as exc:
        click.echo(f"crumail: {exc}", err=True)
        sys.exit(1)
    with transaction(ctx.db):
        users.set_password(ctx.db, account["id"], hashed)
        sessions.delete_for_user(ctx.db, account["id"])
    trail.note(ctx, "password_changed", f"user {name}", command="user password")
    click.echo(f"password of {name} changed")


@user.command("disable")
@click.argument("name")
@pass_ctx
def user_disable(ctx: Context, name: str) -> None:
    """Stop an account from logging in (it stays named in the audit trail)."""
    account = _account(ctx, name)
    with transaction(ctx.db):
        users.set_disabled(ctx.db, account["id"], True)
        sessions.delete_for_user(ctx.db, account["id"])
    trail.note(ctx, "admin_change", f"user {name}", command="user disable")
    click.echo(f"account {name} disabled")


@user.command("list")
@pass_ctx
def user_list(ctx: Context) -> None:
    """List accounts."""
    for account in users.all_users(ctx.db):
        state = f"disabled {account['disabled_at']}" if account["disabled_at"] else "active"
        click.echo(f"{account['name']:20} {account['role']:9} {state}")


def _account(ctx: Context, name: str) -> dict:
    account = users.get_by_name(ctx.db, name)
    if account is None:
        click.echo(f"crumail: no account named {name}", err=True)
        sys.exit(1)
    return account


def _password(password_file) -> str:
    if password_file is not None:
        return password_file.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)
