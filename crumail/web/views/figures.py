"""Figures at a glance: the unit's figures for a period, each chart (SVG,
drawn on the server) beside its table, with CSV and XLSX downloads.

Counting a 10,000-log casebook takes longer than a page may, so the
figures are kept per database, period and day, and counted again only
when :func:`crumail.store.figures.version` says something counted changed
(a message stored, a log or question added, a draft changed).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response

from crumail import clock
from crumail.errors import PeriodError
from crumail.figures import compute, period, report, svg
from crumail.files import marking
from crumail.store import figures as store_figures
from crumail.web import trail
from crumail.web.context import Ctx
from crumail.web.routes import route
from crumail.web.views.casebook import download

KEPT = 16        # periods remembered per desk process
_cache: OrderedDict[tuple, compute.Figures] = OrderedDict()
_topics: dict[str, compute.TopicMemo] = {}      # per database: each log's topic, read once
_lock = threading.Lock()


@route("/figures")
def figures_page(ctx: Ctx) -> Response:
    figures, text = _figures(ctx)
    charts = {t.name: Markup(svg.bars(t)) if t.chart else "" for t in figures.tables}
    return ctx.render("figures.html", figures=figures, charts=charts, period=text,
                      marking=report.MARKING)


@route("/figures/<table>.<any(csv, xlsx):fmt>")
def figures_download(ctx: Ctx, table: str, fmt: str) -> Response:
    figures, _ = _figures(ctx)
    chosen = None if table == "all" else figures.table(table)
    if table != "all" and chosen is None:
        raise NotFound("There is no such table.")
    if chosen is None and fmt == "csv":
        raise BadRequest("All the figures are one workbook: ask for all.xlsx, or one table as CSV.")
    body = report.xlsx_bytes(figures, chosen) if fmt == "xlsx" else report.csv_bytes(chosen)
    trail.note(ctx, "export", f"figures/{table}.{fmt}", period=figures.period, marking=report.MARKING)
    label = figures.period.replace(" ", "-")
    return download(body, marking.file_name(report.MARKING, f"crumail-figures-{table}-{label}.{fmt}"), fmt)


def _figures(ctx: Ctx) -> tuple[compute.Figures, str]:
    text = ctx.request.args.get("period", "").strip()[:20]
    try:
        chosen, label = period.parse(text)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None
    today = clock.today()
    key = (str(ctx.config.database), label, store_figures.version(ctx.db), today)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found, text
    with _lock:
        memo = _topics.setdefault(key[0], {})
    # Two threads counting at once may both read a log's topic: each writes
    # the same answer under the same key, which a dict takes whole.
    found = compute.compute(ctx.db, chosen, label, today, memo)
    with _lock:
        _cache[key] = found
        while len(_cache) > KEPT:
            _cache.popitem(last=False)
    return found, text
