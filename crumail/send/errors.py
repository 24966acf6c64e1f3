"""What can go wrong handing a mail over, sorted by what it means for a resend.

    SendError (CrumailError)
    ├── TransientSendError   the mail certainly did not leave: retry with backoff
    ├── PermanentSendError   the server refused it (5xx): the draft is failed
    └── UncertainSendError   it may have left (reply lost, crash): unconfirmed,
                             for an operator to settle, never re-sent blindly
"""

from __future__ import annotations

from crumail.errors import CrumailError


class SendError(CrumailError):
    """Raised when a transport cannot hand a mail over."""


class TransientSendError(SendError):
    """Raised when the mail did not leave and trying again later may work."""


class PermanentSendError(SendError):
    """Raised when the server refuses the mail for good (its reply is the message)."""


class UncertainSendError(SendError):
    """Raised when the mail may or may not have left: nobody can tell from here."""
