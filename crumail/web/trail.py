"""What the desk writes in the access trail (crumail/store/access.py).

Views of records are noted here, by endpoint, after the view has answered
(so a page that was not found or was refused notes nothing): one table
below says which endpoints are views of what.  Every change posted to an
administrators' route is noted the same way, whatever it is (accounts,
templates, and any admin page added later), with the fields that say what
was done and never a password.  Logins, logouts, password changes,
searches and exports say more than an endpoint can, so their views call
:func:`note` themselves.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from crumail.store import access
from crumail.web.context import Ctx
from crumail.web.routes import Route

#: endpoint -> (action, the URL value naming what was seen)
VIEWED: dict[str, tuple[str, str]] = {
    "message_page": ("view_message", "message"),
    "message_raw": ("download_raw_message", "message"),
    "draft_page": ("view_draft", "draft"),
    "draft_redact_preview": ("view_draft_redaction", "draft"),
    "quarantine_entry": ("view_quarantine", "entry"),
    "quarantine_raw": ("download_raw_quarantine", "entry"),
}
#: Form fields an admin change is described by; passwords and the CSRF token never.
SAID_FIELDS = ("action", "name", "role", "enabled", "force", "key")
SECRET_WORDS = ("password", "csrf", "token", "secret", "current", "new", "again")


def note(ctx: Ctx, action: str, target: str | None = None, /, *, actor: str | None = None,
         **detail: Any) -> None:
    """One row for this request: by the account logged in (or ``actor``, the
    name tried at a failed login), from the client's address."""
    who = actor if actor is not None else (ctx.user or {}).get("name", "anonymous")
    access.record(ctx.db, actor=who or "(blank)", via="desk", action=action, target=target,
                  client=ctx.request.remote_addr, detail=detail)


def after(ctx: Ctx, route: Route, values: dict[str, Any], response: Response) -> None:
    """Note a view of a record or an admin change once the view has answered."""
    if response.status_code >= 400 or ctx.session is None:
        return
    viewed = VIEWED.get(route.endpoint)
    if viewed is not None and ctx.request.method == "GET":
        action, key = viewed
        note(ctx, action, f"{key} {values.get(key)}")
        return
    if route.admin and ctx.request.method not in ("GET", "HEAD"):
        target = " ".join(f"{k} {v}" for k, v in sorted(values.items())) or None
        note(ctx, "admin_change", target, endpoint=route.endpoint, **_said(ctx))


def _said(ctx: Ctx) -> dict[str, str]:
    form = ctx.request.form
    return {k: form[k][:200] for k in SAID_FIELDS
            if k in form and not any(word in k for word in SECRET_WORDS)}
