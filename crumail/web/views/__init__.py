"""The desk's pages; importing this package registers every route."""

from crumail.web.views import account, admin, audit, casebook, drafting, drafts, ops, person, queue, templates  # noqa: F401
