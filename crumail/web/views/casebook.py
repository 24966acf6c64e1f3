"""The casebook: search, a log with its questions and advice, a message, exports."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from crumail import clock
from crumail.files import export, marking
from crumail.lognumber import LogNumber
from crumail.store import desk, markings, messages, search
from crumail.web import params, trail
from crumail.web.context import Ctx, not_found
from crumail.web.filters import days_left
from crumail.web.highlight import snippet
from crumail.web.routes import route
from crumail.web.views.ops import attachment

SEARCH_LIMIT = 50
MAX_YEAR = 9999          # "23" or "2023"
KINDS = ("circulation", "forwarded_circulation", "referral", "force_query", "referenced")


@route("/search")
def search_page(ctx: Ctx) -> Response:
    args = ctx.request.args
    query = args.get("q", "").strip()[:500]
    year = params.whole(args, "year", low=0, high=MAX_YEAR)
    force = args.get("force", "").strip()[:200] or None
    kind = params.choice(args, "kind", KINDS, None)
    wanted = LogNumber.parse(query)
    if wanted and search.get_log(ctx.db, str(wanted)) is not None:
        return Response(status=303, headers={"Location": wanted.url})
    hits = search.search(ctx.db, query, limit=SEARCH_LIMIT) if query else []
    logs = [] if query else search.list_logs(ctx.db, year=year, force=force, kind=kind,
                                             limit=ctx.settings.page_size * 2)
    if query or year is not None or force or kind:
        trail.note(ctx, "search", query=query, year=year, force=force, kind=kind,
                   results=len(hits) if query else len(logs))
    return ctx.render("search.html", query=query, hits=hits, logs=logs, year=year or "",
                      force=force or "", kind=kind or "", kinds=KINDS, snippet=snippet,
                      log_url=log_url)


@route("/logs/<int:number>/<int:year>")
def log_page(ctx: Ctx, number: int, year: int) -> Response:
    log = LogNumber.of(number, year)
    record = search.get_log(ctx.db, str(log)) if log else None
    if record is None:
        raise not_found(f"log {number}/{year:02d} in the casebook")
    drafts = desk.drafts_for_log(ctx.db, record["log"])
    similar = search.similar(ctx.db, record["log"], limit=3) if ctx.request.args.get("similar") else None
    trail.note(ctx, "view_log", f"log {record['log']}")
    return ctx.render("log.html", log=record, drafts=drafts, similar=similar, log_url=log_url)


@route("/messages/<int:message>")
def message_page(ctx: Ctx, message: int) -> Response:
    row = messages.get(ctx.db, message)
    if row is None:
        raise not_found(f"message {message}")
    row.pop("raw", None)
    return ctx.render("message.html", message=row, to=_addresses(row.get("to_json")),
                      cc=_addresses(row.get("cc_json")), logs=desk.logs_of_message(ctx.db, message),
                      drafts=desk.drafts_of_message(ctx.db, message), log_url=log_url)


@route("/messages/<int:message>/raw")
def message_raw(ctx: Ctx, message: int) -> Response:
    data = messages.raw_bytes(ctx.db, message)
    if data is None:
        raise not_found(f"message {message}")
    row = messages.get(ctx.db, message) or {}
    suffix = ".msg" if row.get("format") == "msg" else ".eml"
    return attachment(data, f"message-{message}{suffix}")


@route("/exports")
def exports(ctx: Ctx) -> Response:
    return ctx.render("exports.html", deadlines=True)


@route("/exports/<any(logs, questions, casebook, deadlines):what>.<any(csv, xlsx):fmt>")
def export_file(ctx: Ctx, what: str, fmt: str) -> Response:
    if what == "deadlines":
        return _deadline_export(ctx, fmt)
    if what == "casebook" and fmt == "csv":
        raise BadRequest("The whole casebook is one workbook: ask for casebook.xlsx, or logs.csv and questions.csv.")
    args = ctx.request.args
    chosen = {"year": params.whole(args, "year", low=0, high=MAX_YEAR),
              "force": args.get("force", "").strip()[:200] or None,
              "kind": params.choice(args, "kind", KINDS, None)}
    data = export.tables(ctx.db, **chosen)
    with tempfile.TemporaryDirectory(prefix="crumail-export-") as folder:
        path = Path(folder) / f"{what}.{fmt}"
        if fmt == "xlsx":
            export.write_xlsx(data, path)
        else:
            export.write_csv(data, path, what)
        body = path.read_bytes()
    counted = {"logs": len(data.logs), "questions": len(data.questions)}
    if what != "casebook":
        counted = {what: counted[what]}
    trail.note(ctx, "export", f"{what}.{fmt}", filters=chosen, rows=counted, marking=data.marking)
    return download(body, marking.file_name(data.marking, f"crumail-{what}.{fmt}"), fmt)


DEADLINE_COLUMNS = ("draft", "log", "subject", "force", "state", "received", "due", "days_left",
                    "overdue", "approved_by", "updated_at")


def _deadline_export(ctx: Ctx, fmt: str) -> Response:
    """Open drafts by due date, with days left: the unit's deadline report."""
    today = clock.today()
    rows, found = [], desk.deadline_rows(ctx.db)
    for d in found:
        left = days_left(d["due_date"], today)
        rows.append([d["id"], d["log"], d["subject"], d["force"], d["state"], d["received_date"],
                     d["due_date"], left, "yes" if left is not None and left < 0 else "no",
                     d["approved_by"], d["updated_at"]])
    marked = marking.highest(markings.of_logs(ctx.db, (d["log"] for d in found)))
    trail.note(ctx, "export", f"deadlines.{fmt}", rows={"deadlines": len(rows)}, marking=marked)
    return download(export.table_bytes(fmt, "Deadlines", DEADLINE_COLUMNS, rows, marked),
                     marking.file_name(marked, f"crumail-deadlines-{today.isoformat()}.{fmt}"), fmt)


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(body: bytes, filename: str, fmt: str) -> Response:
    return Response(body, content_type=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def log_url(log: str | None) -> str | None:
    """Where the desk shows ``log`` (``/logs/43/23``); None for no log number."""
    parsed = LogNumber.parse(log)
    return parsed.url if parsed else None


def _addresses(value: str | None) -> list[dict]:
    try:
        return json.loads(value or "[]")
    except ValueError:
        return []
