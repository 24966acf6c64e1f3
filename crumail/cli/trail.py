"""What the command line writes in the access trail (crumail/store/access.py).

The person is the desk account named by ``--by`` where a command has it,
else ``$CRUMAIL_USER``, else the OS user running the command; the OS user
(from the process's user id: ``$USER`` can say anything) is always kept as
the row's client, so a ``--by`` never hides who typed it.
"""

from __future__ import annotations

import os
import pwd
from typing import Any

from crumail.cli.app import Context
from crumail.store import access


def os_login() -> str:
    """The OS user running the command."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid {os.geteuid()}"


def note(ctx: Context, action: str, target: str | None = None, /, *, by: str | None = None,
         **detail: Any) -> None:
    login = os_login()
    access.record(ctx.db, actor=by or os.environ.get("CRUMAIL_USER") or login, via="cli",
                  action=action, target=target, client=f"os user {login}", detail=detail)
