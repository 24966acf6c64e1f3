"""crumail's one exception tree.

Every error crumail raises on purpose derives from :class:`CrumailError`::

    CrumailError
    ├── ConfigError            the configuration file is missing, unreadable or wrong
    ├── ParseError             bytes that cannot be turned into a ParsedMail (permanent)
    │   ├── NotMailError       an Outlook item that is not a mail (contact, appointment ...)
    │   ├── NestingTooDeepError messages nested deeper than the parser allows
    │   └── OverLimitError     a part over a cap that quarantines (crumail.limits), stage "size"
    ├── StoreError             the database refused or is not usable
    │   └── AlreadyRunningError another crumail holds the database's run lock
    ├── SourceError            a mail source failed; the next cycle tries again
    │   ├── TransientSourceError  server down, timeout, dropped connection
    │   └── AuthError          login refused or a token could not be had
    └── CheckError             an outbound check could not run at all

A *permanent* error (ParseError) quarantines the message in hand and the run
goes on; a *transient* one (TransientSourceError) leaves the message on the
server, unacknowledged, for the next cycle.
"""

from __future__ import annotations


class CrumailError(Exception):
    """Root of every error crumail raises on purpose."""


class ConfigError(CrumailError):
    """Raised when the configuration cannot be read or holds a wrong value."""


class ParseError(CrumailError):
    """Raised when bytes cannot be parsed as mail; the message is quarantined."""


class NotMailError(ParseError):
    """Raised for an Outlook item that is not a mail message (a contact, say)."""


class NestingTooDeepError(ParseError):
    """Raised when attached messages nest deeper than ``MAX_NESTING``."""


class OverLimitError(ParseError):
    """Raised when a message holds more than an ``[intake]`` cap lets crumail read
    (an attachment over ``max_attachment_bytes``, Outlook streams larger than
    their file); the message is quarantined with stage "size"."""


class StoreError(CrumailError):
    """Raised when the database cannot be opened, migrated or written."""


class AlreadyRunningError(StoreError):
    """Raised when another crumail daemon already runs on the same database."""


class SourceError(CrumailError):
    """Raised when a mail source fails."""


class TransientSourceError(SourceError):
    """Raised for failures worth retrying later: timeouts, a server that is down."""


class AuthError(SourceError):
    """Raised when the server refuses the login or no token can be obtained."""


class CheckError(CrumailError):
    """Raised when an outbound check cannot run at all (never for a finding)."""
