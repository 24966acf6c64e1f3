"""The desk's WSGI application: sessions, CSRF, access rules, headers.

Every request gets its own :class:`~crumail.web.context.Ctx` (the database
connection of the serving thread, the account logged in, the CSRF token).
Views hold no SQL: they call the store and the review functions shared with
the CLI.  The views import the context, never this module; the desk imports
the views, which register their routes.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlite_utils import Database
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from crumail import clock
from crumail.config import Config
from crumail.store import faults, open_database, sessions
from crumail.store.db import transaction
from crumail.web import filters, params, security, trail
from crumail.web import views  # noqa: F401  (importing the views registers their routes)
from crumail.web.context import COOKIE, HERE, LOGIN_COOKIE, Ctx
from crumail.web.routes import ROUTES, Route, url_map

log = logging.getLogger("crumail.web")

TOUCH_EVERY = timedelta(seconds=60)


class Desk:
    """The WSGI application."""

    def __init__(self, config: Config):
        self.config = config
        self.settings = config.settings.web
        self.routes = url_map()
        self.jinja = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True, lstrip_blocks=True)
        filters.install(self.jinja)
        self._local = threading.local()
        self._opened = False

    def db(self) -> Database:
        """One connection per serving thread (SQLite connections stay in theirs);
        once the desk has used the database it never creates a new, empty one.

        A connection opened while the disk was at fault is replaced once the
        fault clears: SQLite opens a file it cannot write read-only, for good.
        """
        local = self._local
        db = getattr(local, "db", None)
        if db is not None and getattr(local, "suspect", False) and faults.diagnose(self.config.database) is None:
            db = local.db = None
        if db is None:
            db = local.db = open_database(self.config.database, create=not self._opened)
            local.suspect = faults.diagnose(self.config.database) is not None
            self._opened = True
        return db

    def adapter(self, request: Request):
        return self.routes.bind_to_environ(request.environ)

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_form_memory_size = 4 * 1024 * 1024
        # room for a draft's file ([drafts] max_draft_attachment_bytes) and the form around it
        request.max_content_length = max(8 * 1024 * 1024, self.config.limits.max_draft_attachment_bytes + 65536)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = self.error_page(request, exc.code or 500, exc.description or exc.name)
        except Exception as exc:
            fault = faults.fault_from(exc, self.config.database)
            if fault is None:
                log.exception("desk error on %s %s", request.method, request.path)
                response = self.error_page(request, 500, "Something went wrong; the error is in the log.")
            else:
                response = self.storage_page(request, fault)
        return security.apply_headers(response, self.is_secure(request))(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if not params.utf8_address(request.environ):
            raise BadRequest("This address is not valid UTF-8.")
        endpoint, values = self.adapter(request).match()
        route = ROUTES[endpoint]
        ctx = Ctx(self, request, self.db())
        self.load_session(ctx)
        refused = self.refuse(ctx, route)
        if refused is not None:
            return refused
        response = route.view(ctx, **values)
        trail.after(ctx, route, values, response)
        return response

    def refuse(self, ctx: Ctx, route: Route) -> Response | None:
        """The response that stops this request, or None to let it through."""
        request = ctx.request
        if route.public:
            return self.check_public_post(ctx)
        if ctx.session is None:
            if route.token and self.bearer_ok(request):
                return None
            if route.token:
                return Response("a session or a bearer token is needed\n", 401,
                                {"WWW-Authenticate": "Bearer"}, mimetype="text/plain")
            target = request.full_path.rstrip("?") if request.method == "GET" else "/"
            return redirect(f"/login?{urlencode({'next': target})}", code=303)
        if request.method not in security.SAFE_METHODS:
            if not self.same_origin(request) or not security.same_token(
                    ctx.csrf, request.form.get(security.CSRF_FIELD)):
                return self.error_page(request, 403, "This form was not sent from the desk (its "
                                       "security token is missing or stale). Reload the page and try again.",
                                       ctx)
        if route.admin and not ctx.is_admin:
            return self.error_page(request, 403, "Only administrators may do this.", ctx)
        return None

    def check_public_post(self, ctx: Ctx) -> Response | None:
        """The login form carries a token matching a cookie set with the form."""
        request = ctx.request
        if request.method in security.SAFE_METHODS:
            return None
        if not self.same_origin(request) or not security.same_token(
                request.cookies.get(LOGIN_COOKIE), request.form.get(security.CSRF_FIELD)):
            return self.error_page(request, 403, "The login form had expired. Please try again.", ctx)
        return None

    def same_origin(self, request: Request) -> bool:
        """A browser names the page a form came from; refuse other sites."""
        origin = request.headers.get("Origin")
        if not origin or origin == "null":
            return origin is None
        return urlsplit(origin).netloc == request.host

    def bearer_ok(self, request: Request) -> bool:
        env = self.settings.metrics_token_env
        expected = os.environ.get(env) if env else None
        given = request.headers.get("Authorization", "")
        return bool(expected) and security.same_token(f"Bearer {expected}", given)

    def load_session(self, ctx: Ctx) -> None:
        token = ctx.request.cookies.get(COOKIE)
        if not token:
            return
        found = sessions.find(ctx.db, token)
        if found is None:
            return
        last_seen = datetime.fromisoformat(found["last_seen"])
        now = clock.now()
        if now - last_seen > timedelta(minutes=self.settings.idle_minutes):
            with transaction(ctx.db):
                sessions.delete(ctx.db, token)
            return
        if now - last_seen > TOUCH_EVERY:
            with transaction(ctx.db):
                sessions.touch(ctx.db, found["token_sha256"])
        ctx.session, ctx.token = found, token

    def is_secure(self, request: Request) -> bool:
        choice = self.settings.secure_cookies
        return request.is_secure if choice == "auto" else bool(choice)

    def set_session_cookie(self, request: Request, response: Response, token: str) -> None:
        response.set_cookie(COOKIE, token, max_age=int(self.settings.session_hours * 3600),
                            httponly=True, secure=self.is_secure(request), samesite="Strict",
                            path="/")

    def storage_page(self, request: Request, fault: Exception) -> Response:
        """503 for a full, read-only or vanished disk: said plainly, no traceback; the
        thread's connection is dropped so that the next request connects afresh."""
        self._local.db = None
        log.warning("desk: %s (%s %s)", fault, request.method, request.path,
                    extra={"event": "storage_fault"})
        message = (f"The database cannot be used: {fault}. Nothing you do here can be saved "
                   "until that is fixed; the daemon takes in no mail meanwhile and loses none.")
        return self.error_page(request, 503, message, Ctx(self, request, None))  # type: ignore[arg-type]

    def error_page(self, request: Request, status: int, message: str,
                   ctx: Ctx | None = None) -> Response:
        if ctx is None:
            ctx = Ctx(self, request, self.db())
            if status != 500:
                self.load_session(ctx)
        try:
            return ctx.render("error.html", status=status, status_code=status, message=message)
        except Exception:
            log.exception("error page failed")
            return Response(message, status=status, mimetype="text/plain")
