"""Accounts: administrators manage them; everyone may change their own password."""

from __future__ import annotations

from datetime import timedelta

from werkzeug.wrappers import Response

from crumail.store import sessions, users
from crumail.store.db import transaction
from crumail.web import auth, trail
from crumail.web.context import Ctx, not_found
from crumail.web.routes import route


@route("/users", admin=True)
def users_list(ctx: Ctx) -> Response:
    said = ctx.said()
    return ctx.render("users.html", users=users.all_users(ctx.db), roles=users.ROLES,
                      notice=said.get("notice"), error=said.get("error"))


@route("/users", ("POST",), admin=True, endpoint="users_add")
def users_add(ctx: Ctx) -> Response:
    form = ctx.request.form
    name = form.get("name", "").strip()
    try:
        hashed = auth.hash_password(form.get("password", ""), name)
        with transaction(ctx.db):
            users.add(ctx.db, name, form.get("role", ""), hashed)
    except ValueError as exc:
        return ctx.redirect_saying("users_list", {"error": str(exc)})
    return ctx.redirect_saying("users_list", {"notice": f"Account {form.get('name', '').strip()} created."})


@route("/users/<int:user>", ("POST",), admin=True)
def users_change(ctx: Ctx, user: int) -> Response:
    account = users.get(ctx.db, user)
    if account is None:
        raise not_found(f"account {user}")
    form = ctx.request.form
    action = form.get("action")
    try:
        with transaction(ctx.db):
            notice = _change(ctx, account, action, form)
    except ValueError as exc:
        return ctx.redirect_saying("users_list", {"error": str(exc)})
    return ctx.redirect_saying("users_list", {"notice": notice})


def _change(ctx: Ctx, account: dict, action: str | None, form) -> str:
    user, name = account["id"], account["name"]
    if action in ("disable", "demote") and account["role"] == "admin" and users.count_admins(ctx.db) <= 1:
        raise ValueError("the last administrator cannot be disabled or demoted")
    if action == "disable":
        users.set_disabled(ctx.db, user, True)
        sessions.delete_for_user(ctx.db, user)
        return f"{name} can no longer log in."
    if action == "enable":
        users.set_disabled(ctx.db, user, False)
        return f"{name} can log in again."
    if action in ("promote", "demote"):
        users.set_role(ctx.db, user, "admin" if action == "promote" else "operator")
        return f"{name} is now {'an administrator' if action == 'promote' else 'an operator'}."
    if action == "password":
        users.set_password(ctx.db, user, auth.hash_password(form.get("password", ""), name))
        sessions.delete_for_user(ctx.db, user)
        return f"{name}'s password was changed; their sessions were ended."
    raise ValueError(f"unknown action {action!r}")


@route("/account", ("GET", "POST"))
def account(ctx: Ctx) -> Response:
    if ctx.request.method == "GET":
        return ctx.render("account.html", error=None, notice=None)
    form = ctx.request.form
    me = ctx.user
    check = auth.attempt_login(ctx.db, me["name"], form.get("current", ""), ctx.request.remote_addr)
    if not check.ok:
        trail.note(ctx, "password_change_failed", f"user {me['name']}", wait=check.wait)
        return ctx.render("account.html", status=400, notice=None,
                          error="The current password is wrong." if not check.wait else
                          f"Too many failed attempts; wait {check.wait} seconds.")
    if form.get("new") != form.get("again"):
        return ctx.render("account.html", status=400, notice=None, error="The new passwords differ.")
    try:
        hashed = auth.hash_password(form.get("new", ""), me["name"])
    except ValueError as exc:
        return ctx.render("account.html", status=400, notice=None, error=str(exc))
    token = auth.change_password(ctx.db, me["id"], hashed, timedelta(hours=ctx.settings.session_hours),
                                 ctx.request.remote_addr)
    trail.note(ctx, "password_changed", f"user {me['name']}")
    # The page's forms must carry the new session's token: the old one is gone.
    ctx.session, ctx.token = sessions.find(ctx.db, token), token
    response = ctx.render("account.html", error=None,
                          notice="Your password was changed; your other sessions were ended.")
    ctx.desk.set_session_cookie(ctx.request, response, token)
    return response
