"""Operations pages: quarantine, sources' health, /healthz, /metrics, static files."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Response

from crumail import clock
from crumail.store import backup, desk, faults, imports, quarantine, status
from crumail.store import drafts as drafts_store
from crumail.web import params
from crumail.web.context import HERE, Ctx, not_found
from crumail.web.routes import route


@route("/healthz", public=True)
def healthz(ctx: Ctx) -> Response:
    try:
        ok = desk.ping(ctx.db)
    except Exception:  # the point of /healthz is to say so, not to raise
        ok = False
    storage = faults.probe(ctx.config.database)
    good = ok and storage.ok
    body = {"status": "ok" if good else "error", "database": "ok" if ok else "unavailable",
            "storage": storage.state}
    return Response(json.dumps(body) + "\n", status=200 if good else 503, mimetype="application/json")


@route("/metrics", token=True)
def metrics(ctx: Ctx) -> Response:
    from crumail.web.metrics import exposition

    return Response(exposition(ctx.db, ctx.config),
                    content_type="text/plain; version=0.0.4; charset=utf-8")


@route("/static/<path:name>", public=True)
def static(ctx: Ctx, name: str) -> Response:
    response = send_from_directory(HERE / "static", name, ctx.request.environ, max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@route("/quarantine")
def quarantine_list(ctx: Ctx) -> Response:
    show_all = ctx.request.args.get("all") == "1"
    rows = quarantine.rows(ctx.db, include_released=show_all)
    return ctx.render("quarantine.html", rows=rows, show_all=show_all,
                      results=ctx.said().get("results", []))


@route("/quarantine/<int:entry>")
def quarantine_entry(ctx: Ctx, entry: int) -> Response:
    row = quarantine.get(ctx.db, entry)
    if row is None:
        raise not_found(f"quarantine entry {entry}")
    return ctx.render("quarantine_entry.html", row=row)


@route("/quarantine/retry", ("POST",))
def quarantine_retry(ctx: Ctx) -> Response:
    from crumail.intake.maintenance import retry

    form = ctx.request.form
    ids = quarantine.open_ids(ctx.db) if form.get("all") == "1" else params.ids(form, "entry")
    results = retry(ctx.db, ids)
    return ctx.redirect_saying("quarantine_list", {"results": [f"{k}: {v}" for k, v in results.items()][:50]})


@route("/quarantine/<int:entry>/raw")
def quarantine_raw(ctx: Ctx, entry: int) -> Response:
    raw = quarantine.raw(ctx.db, entry)
    if raw is None:
        raise not_found(f"quarantine entry {entry}")
    return attachment(raw.data, f"quarantine-{entry}{_suffix(raw.filename)}")


@route("/sources")
def sources(ctx: Ctx) -> Response:
    configured = {s.name: s for s in ctx.config.sources}
    rows = status.sources(ctx.db, list(configured))
    for row in rows:
        source = configured.get(row["source"])
        row["type"] = source.type if source else "?"
        row["health"] = _health(row, source.interval if source else 60.0)
    return ctx.render("sources.html", rows=rows, last_backup=backup.last(ctx.db),
                      backup_failure=backup.last_failure(ctx.db), imports=imports.listing(ctx.db),
                      not_drafted={"import": n} if (n := drafts_store.skipped_counts(ctx.db)["skipped_no_drafts"]) else {})


def attachment(data: bytes, filename: str) -> Response:
    """Raw mail as a download, never shown: the browser must not render it."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)[:100] or "message.bin"
    return Response(data, mimetype="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="{safe}"',
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


def _suffix(filename: str | None) -> str:
    if filename and "." in filename:
        ext = filename.rsplit(".", 1)[1].lower()
        if ext in ("eml", "msg"):
            return f".{ext}"
    return ".eml"


def _health(row: dict, interval: float) -> str:
    """"ok", "failing" (the last poll erred) , "stale" (no success lately) or "never"."""
    if row.get("last_error_at") and (not row.get("last_success")
                                     or row["last_error_at"] >= row["last_success"]):
        return "failing"
    if not row.get("last_success"):
        return "never"
    age = clock.now() - datetime.fromisoformat(row["last_success"])
    return "stale" if age > timedelta(seconds=max(interval * 5, 300)) else "ok"
