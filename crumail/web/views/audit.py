"""The audit trail of every draft, with filters."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from crumail.store import desk
from crumail.web.app import Ctx
from crumail.web.routes import route


@route("/audit")
def audit(ctx: Ctx) -> Response:
    args = ctx.request.args
    filters = {
        "actor": args.get("actor", "").strip()[:100],
        "action": args.get("action", "").strip()[:50],
        "draft": args.get("draft", "").strip() if args.get("draft", "").strip().isdigit() else "",
        "since": _date(args.get("since")),
        "until": _date(args.get("until")),
    }
    page = max(1, int(args["page"])) if args.get("page", "").isdigit() else 1
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


def _date(value: str | None) -> str:
    value = (value or "").strip()
    return value if len(value) == 10 and value[4] == "-" and value[7] == "-" and \
        value.replace("-", "").isdigit() else ""


def _detail(value) -> dict:
    try:
        loaded = json.loads(value) if isinstance(value, str) else (value or {})
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}
