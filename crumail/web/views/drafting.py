"""Messages drafting could not draft: the reasons, and trying again once fixed.

Drafting gives up on a message after a few failed attempts
(crumail.drafts.stage); it is never dropped: the queue carries a banner and
this page lists each one with its reason until it is drafted.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from crumail.drafts import stage
from crumail.web import params
from crumail.web.context import Ctx
from crumail.web.routes import route


@route("/drafting")
def drafting(ctx: Ctx) -> Response:
    said = ctx.said()
    return ctx.render("drafting.html", problems=stage.problems(ctx.db), result=said.get("result"))


@route("/drafting/retry", ("POST",))
def drafting_retry(ctx: Ctx) -> Response:
    form = ctx.request.form
    chosen = None if form.get("all") == "1" else params.ids(form, "message")
    queued, report = stage.retry_failed(ctx.config, ctx.db, chosen)
    result = (f"{queued} message(s) queued for drafting again: {len(report.drafts)} draft(s) made, "
              f"{len(report.failed)} failed.")
    return ctx.redirect_saying("drafting", {"result": result})
