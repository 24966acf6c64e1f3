"""The audit trail of every draft, with filters."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from crumail.store import desk
from crumail.web import params
from crumail.web.context import Ctx
from crumail.web.routes import route


@route("/audit")
def audit(ctx: Ctx) -> Response:
    args = ctx.request.args
    filters = {
        "actor": args.get("actor", "").strip()[:100],
        "action": args.get("action", "").strip()[:50],
        "draft": params.whole(args, "draft") or "",
        "since": params.day(args, "since") or "",
        "until": params.day(args, "until") or "",
    }
    page = params.page(args)
    size = ctx.settings.page_size * 2
    total, rows = desk.audit_trail(ctx.db, actor=filters["actor"] or None,
                                   action=filters["action"] or None,
                                   draft=int(filters["draft"]) if filters["draft"] else None,
                                   since=filters["since"] or None, until=filters["until"] or None,
                                   limit=size, offset=(page - 1) * size)
    for row in rows:
        row["detail"] = _detail(row.get("detail"))
    actors, actions = desk.audit_choices(ctx.db)
    return ctx.render("audit.html", rows=rows, total=total, page=page,
                      pages=max(1, -(-total // size)), filters=filters, actors=actors,
                      actions=actions, query=filters)


def _detail(value) -> dict:
    try:
        loaded = json.loads(value) if isinstance(value, str) else (value or {})
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}
