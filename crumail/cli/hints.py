"""What to type next, for the errors whose facts the command line can act on.

Errors carry facts (crumail/errors.py); the flags and commands that answer
them are the command line's, so they are written here and nowhere else.
The desk says the same facts in words about its own buttons and boxes
(crumail/web/views/drafts.py).
"""

from __future__ import annotations

from crumail.errors import ApprovalBlocked, CrumailError, DraftNotFound, MissingInput, UnknownActor


def hint(error: CrumailError) -> str | None:
    """One line saying what to type next, or None when the message is enough."""
    match error:
        case MissingInput(field=field):
            return f"give it with --{field}"
        case ApprovalBlocked(overridable=True, min_justification=least):
            return f'or approve with --override "a written justification" (at least {least} characters)'
        case DraftNotFound():
            return "see 'crumail drafts list'"
        case UnknownActor(accounts=False):
            return "leave out --by, or create desk accounts with 'crumail user add'"
        case UnknownActor():
            return "say --by NAME with your own desk account (see 'crumail user list')"
    return None


def said(error: CrumailError) -> str:
    """The error as the command line prints it: the message, then the hint."""
    found = hint(error)
    return f"{error}\n  {found}" if found else str(error)
