"""What a view is given: the request's context, the ``[web]`` settings
(``crumail.settings.WebSettings``), the desk's cookies and files.

Views import this module, never ``crumail.web.app``: the application
imports the views (which register their routes), so this is what keeps the
two apart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

from jinja2 import Environment
from sqlite_utils import Database
from werkzeug.exceptions import NotFound
from werkzeug.routing import MapAdapter
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from crumail.config import Config
from crumail.settings import WebSettings
from crumail.store import faults
from crumail.web import security

HERE = Path(__file__).parent
COOKIE = "crumail_session"
LOGIN_COOKIE = "crumail_login"


class DeskApp(Protocol):
    """What a request's context uses of the desk (``crumail.web.app.Desk``)."""

    config: Config
    settings: WebSettings
    jinja: Environment

    def adapter(self, request: Request) -> MapAdapter: ...


@dataclass
class Ctx:
    """What a view needs for one request."""

    desk: DeskApp
    request: Request
    db: Database
    session: dict | None = None
    token: str | None = None

    @property
    def user(self) -> dict | None:
        if self.session is None:
            return None
        return {"id": self.session["user_id"], "name": self.session["name"],
                "role": self.session["role"]}

    @property
    def is_admin(self) -> bool:
        return bool(self.session and self.session["role"] == "admin")

    @property
    def csrf(self) -> str:
        return self.session["csrf"] if self.session else ""

    @property
    def config(self) -> Config:
        return self.desk.config

    @property
    def settings(self) -> WebSettings:
        return self.desk.settings

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        page = self.desk.jinja.get_template(template).render(
            user=self.user, csrf=self.csrf, request=self.request, path=self.request.path,
            is_admin=self.is_admin, url=self.url, settings=self.settings,
            storage=faults.probe(self.config.database), embedded_default=self.config.path is None,
            internal_domains=self.config.settings.redaction.internal_domains, **values)
        return Response(page, status=status, mimetype="text/html")

    def url(self, endpoint: str, _query: dict | None = None, **values: Any) -> str:
        built = self.desk.adapter(self.request).build(endpoint, values)
        query = {k: v for k, v in (_query or {}).items() if v not in (None, "")}
        return f"{built}?{urlencode(query, doseq=True)}" if query else built

    def redirect(self, endpoint: str, _query: dict | None = None, **values: Any) -> Response:
        return redirect(self.url(endpoint, _query, **values), code=303)

    def redirect_saying(self, endpoint: str, said: dict[str, Any], **values: Any) -> Response:
        """Redirect after a post, carrying what to tell the operator in the URL,
        signed with the session's secret so that no link can make the desk
        say something it did not."""
        text = json.dumps(said, sort_keys=True, separators=(",", ":"))
        return self.redirect(endpoint, {"said": text, "sig": self._signature(text)}, **values)

    def said(self) -> dict[str, Any]:
        """What the previous post asked to tell the operator (or {})."""
        text, sig = self.request.args.get("said", ""), self.request.args.get("sig", "")
        if not text or not self.session or not security.same_token(self._signature(text), sig):
            return {}
        try:
            found = json.loads(text)
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}

    def _signature(self, text: str) -> str:
        return hmac.new(self.csrf.encode(), text.encode(), hashlib.sha256).hexdigest()




def not_found(what: str) -> NotFound:
    return NotFound(f"There is no {what}.")
