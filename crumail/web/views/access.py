"""The access trail (administrators): who logged in, saw, searched, exported
or changed what, filtered by person, action, where from and date, and
exported (marked OFFICIAL-SENSITIVE: it is about people; the export is a
row of its own)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from crumail import clock
from crumail.files import export, marking
from crumail.store import access
from crumail.web import params, trail
from crumail.web.context import Ctx
from crumail.web.routes import route
from crumail.web.views.casebook import download

EXPORT_LIMIT = 200_000     # a year of a busy unit; more is asked for by date


@route("/access", admin=True)
def access_page(ctx: Ctx) -> Response:
    wanted, shown = _filter(ctx)
    page = params.page(ctx.request.args)
    size = ctx.settings.page_size * 2
    total, rows = access.rows(ctx.db, wanted, limit=size, offset=(page - 1) * size)
    actors, actions = access.choices(ctx.db)
    return ctx.render("access.html", rows=rows, total=total, page=page,
                      pages=max(1, -(-total // size)), filters=shown, actors=actors,
                      actions=actions, vias=access.VIA, query=shown)


@route("/access.<any(csv, xlsx):fmt>", admin=True)
def access_export(ctx: Ctx, fmt: str) -> Response:
    wanted, shown = _filter(ctx)
    total, rows = access.rows(ctx.db, wanted, limit=EXPORT_LIMIT)
    table = access.as_table(rows)
    marked = marking.OFFICIAL_SENSITIVE
    trail.note(ctx, "export", f"access.{fmt}", filters={k: v for k, v in shown.items() if v},
               rows={"access": len(table), "matching": total}, marking=marked)
    body = export.table_bytes(fmt, "Access trail", access.TABLE_COLUMNS, table, marked)
    return download(body, marking.file_name(marked, f"crumail-access-{clock.today().isoformat()}.{fmt}"), fmt)


def _filter(ctx: Ctx) -> tuple[access.Filter, dict[str, str]]:
    args = ctx.request.args
    shown = {"actor": args.get("actor", "").strip()[:200],
             "action": args.get("action", "").strip()[:100],
             "via": params.choice(args, "via", access.VIA, None) or "",
             "since": params.day(args, "since") or "",
             "until": params.day(args, "until") or ""}
    return access.Filter(**{k: v or None for k, v in shown.items()}), shown
