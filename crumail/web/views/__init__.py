"""The desk's pages; importing this package registers every route."""

from crumail.web.views import access, account, admin, audit, casebook, drafting, drafts, figures, ops, queue, templates  # noqa: F401
