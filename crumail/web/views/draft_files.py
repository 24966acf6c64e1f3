"""Files attached to a draft on the desk (issue 10): upload, remove; each a call to crumail.review.

The findings per file are shown on the draft's page (views/drafts.py);
approval and sending read every file whole, whatever the page shows.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from crumail import review
from crumail.web.context import Ctx
from crumail.web.params import whole
from crumail.web.routes import route


@route("/drafts/<int:draft>/attach", ("POST",))
def draft_attach(ctx: Ctx, draft: int) -> Response:
    from crumail.web.views.drafts import page

    upload = ctx.request.files.get("file")
    limit = ctx.config.limits.max_draft_attachment_bytes
    if upload is None or not upload.filename:
        return page(ctx, draft, error="Choose a file to attach.", status=400)
    data = upload.stream.read(limit + 1)  # never more than the cap and one byte
    try:
        review.attach(ctx.db, draft, upload.filename, data, by=ctx.user["name"], limits=ctx.config.limits)
    except review.ReviewError as exc:
        return page(ctx, draft, error=str(exc), status=409)
    return ctx.redirect("draft_page", {"done": "attached"}, draft=draft)


@route("/drafts/<int:draft>/detach", ("POST",))
def draft_detach(ctx: Ctx, draft: int) -> Response:
    from crumail.web.views.drafts import page

    file_id = whole(ctx.request.form, "file")
    if file_id is None:
        return page(ctx, draft, error="Say which file to remove.", status=400)
    try:
        review.detach(ctx.db, draft, file_id, by=ctx.user["name"])
    except review.ReviewError as exc:
        return page(ctx, draft, error=str(exc), status=409)
    return ctx.redirect("draft_page", {"done": "detached"}, draft=draft)
