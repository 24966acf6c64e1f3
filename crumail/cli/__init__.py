"""crumail's command line: ``main`` and every command registered on it."""

from crumail.cli.app import main
from crumail.cli import mailflow, quarantine  # noqa: F401  (they register commands)
from crumail.cli import casebook  # noqa: F401  (logs, search, similar, export)
from crumail.cli import evaluation  # noqa: F401  (eval)
from crumail.cli import web  # noqa: F401  (serve, user)
from crumail.cli import drafts  # noqa: F401  (drafts, redact, send)
from crumail.cli import check  # noqa: F401  (check)
from crumail.cli import backup  # noqa: F401  (backup, restore)
from crumail.cli import settings  # noqa: F401  (config check)
from crumail.cli import forces  # noqa: F401  (forces import, export, list)
from crumail.cli import figures  # noqa: F401  (report)
from crumail.cli import access  # noqa: F401  (access list, export)
from crumail.cli import privacy  # noqa: F401  (retention, person)
from crumail.cli import importing  # noqa: F401  (import)

__all__ = ["main"]
