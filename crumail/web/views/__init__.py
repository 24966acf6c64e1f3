"""The desk's pages; importing this package registers every route."""

from crumail.web.views import account, admin, audit, casebook, drafts, ops, queue  # noqa: F401
