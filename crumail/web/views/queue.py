"""The queue: drafts by state and deadline, days left, overdue in red."""

from __future__ import annotations

from datetime import date, timedelta

from werkzeug.wrappers import Response

from crumail import clock
from crumail.drafts import stage
from crumail.model import STATES
from crumail.store import desk, status
from crumail.web import params
from crumail.web.context import Ctx
from crumail.web.routes import route
from crumail.web.views.casebook import log_url

# The choices of the state filter: a name, and the states it shows.
STATE_FILTERS: dict[str, tuple[str, ...] | None] = {
    "review": ("drafted", "edited"),
    "attention": ("failed", "unconfirmed"),
    "approved": ("approved", "sending"),
    **{s: (s,) for s in STATES},
    "all": None,
}
FILTER_LABELS = {"review": "awaiting review (drafted, edited)",
                 "attention": "needing attention (failed, unconfirmed)",
                 "approved": "approved, not yet sent", "all": "all states"}
DUE_FILTERS = {"": None, "overdue": 0, "3": 3, "7": 7}


@route("/queue")
def queue(ctx: Ctx) -> Response:
    args = ctx.request.args
    state = params.choice(args, "state", STATE_FILTERS, "review")
    due = params.choice(args, "due", DUE_FILTERS, "")
    text = args.get("q", "").strip()[:200]
    page = params.page(args)
    size = ctx.settings.page_size
    today = clock.today()
    states = STATE_FILTERS[state]
    total, rows = desk.queue(ctx.db, list(states) if states else None,
                             due_before=_due_before(today, DUE_FILTERS[due]), text=text or None,
                             limit=size, offset=(page - 1) * size)
    pages = max(1, -(-total // size))
    return ctx.render("queue.html", rows=rows, total=total, page=page, pages=pages, state=state,
                      due=due, q=text, today=today, counts=status.drafts_by_state(ctx.db),
                      filters=[(k, FILTER_LABELS.get(k, k)) for k in STATE_FILTERS],
                      query={"state": state, "due": due, "q": text}, log_url=log_url,
                      undrafted=stage.problem_counts(ctx.db))


def _due_before(today: date, days: int | None) -> str | None:
    """Drafts due before this date: overdue ones (0), or due within ``days``."""
    if days is None:
        return None
    return (today + timedelta(days=days + 1 if days else 0)).isoformat()
