"""The send stage: approved drafts leave through SMTP, IMAP APPEND or the outbox folder.

``send_approved(config, db)`` is the one entry point (``crumail send`` and
the daemon's job both call it).
"""

from crumail.send.stage import SendReport, send_approved

__all__ = ["SendReport", "send_approved"]
