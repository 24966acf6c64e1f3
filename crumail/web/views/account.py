"""Logging in and out, and the front door."""

from __future__ import annotations

from datetime import timedelta

from werkzeug.wrappers import Response

from crumail.web import auth, security, trail
from crumail.web.context import LOGIN_COOKIE, COOKIE, Ctx
from crumail.web.routes import route


@route("/login", ("GET", "POST"), public=True)
def login(ctx: Ctx) -> Response:
    request = ctx.request
    target = security.local_path(request.values.get("next"))
    if request.method == "GET":
        if ctx.session:
            return Response(status=303, headers={"Location": target})
        return _login_form(ctx, target)
    name = request.form.get("name", "").strip()
    result = auth.attempt_login(ctx.db, name, request.form.get("password", ""), request.remote_addr)
    if not result.ok:
        trail.note(ctx, "login_failed", actor=name[:200], throttled=result.throttled, wait=result.wait)
        message = "" if result.throttled else "That name and password do not match. "
        if result.wait:
            message += f"Too many failed attempts: wait {result.wait} seconds before trying again."
            response = _login_form(ctx, target, name, message, status=429)
            response.headers["Retry-After"] = str(result.wait)
            return response
        return _login_form(ctx, target, name, message.strip(), status=401)
    lifetime = timedelta(hours=ctx.settings.session_hours)
    token = auth.open_session(ctx.db, result.user, lifetime, request.remote_addr,
                              idle=timedelta(minutes=ctx.settings.idle_minutes))
    trail.note(ctx, "login", actor=name)
    response = Response(status=303, headers={"Location": target})
    ctx.desk.set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@route("/logout", ("POST",))
def logout(ctx: Ctx) -> Response:
    trail.note(ctx, "logout")
    auth.close_session(ctx.db, ctx.token)
    response = Response(status=303, headers={"Location": "/login"})
    response.delete_cookie(COOKIE, path="/")
    return response


@route("/")
def home(ctx: Ctx) -> Response:
    return ctx.redirect("queue")


def _login_form(ctx: Ctx, target: str, name: str = "", error: str | None = None,
                status: int = 200) -> Response:
    token = security.new_token()
    response = ctx.render("login.html", status=status, login_csrf=token, name=name,
                          error=error, next=target)
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, httponly=True, path="/login",
                        secure=ctx.desk.is_secure(ctx.request), samesite="Strict")
    return response

