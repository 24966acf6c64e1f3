"""The desk's pages; importing this package registers every route."""

from crumail.web.views import account, admin, ops  # noqa: F401
