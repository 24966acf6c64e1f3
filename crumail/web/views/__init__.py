"""The desk's pages; importing this package registers every route."""

from crumail.web.views import access, account, admin, audit, casebook, draft_files, drafting, drafts, figures, ops, queue, templates  # noqa: F401
from crumail.web.views import forces  # noqa: F401
from crumail.web.views import person  # noqa: F401
