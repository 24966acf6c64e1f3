"""crumail's one exception tree.

Every error crumail raises on purpose derives from :class:`CrumailError`::

    CrumailError
    ├── ConfigError            the configuration file is missing, unreadable or wrong
    ├── WeakPasswordError      a desk password the policy refuses (also a ValueError)
    ├── ParseError             bytes that cannot be turned into a ParsedMail (permanent)
    │   ├── NotMailError       an Outlook item that is not a mail (contact, appointment ...)
    │   ├── NestingTooDeepError messages nested deeper than the parser allows
    │   └── OverLimitError     a part over a cap that quarantines (crumail.limits), stage "size"
    ├── StoreError             the database refused or is not usable
    │   ├── AlreadyRunningError another crumail holds the database's run lock
    │   ├── StorageFaultError  the disk under the database fails it (state, path); the
    │   │   │                  daemon says so once and retries with backoff
    │   │   ├── StorageFullError   no space left on the database's filesystem
    │   │   ├── ReadOnlyStoreError the database, its WAL or its filesystem cannot be written
    │   │   └── StoreGoneError     the database file or its folder is no longer there
    │   ├── BackupError        a backup or a restore could not be made or verified
    │   └── DatabaseAliasError  a path is the database's own file under another name
    ├── SourceError            a mail source failed; the next cycle tries again
    │   ├── TransientSourceError  server down, timeout, dropped connection
    │   └── AuthError          login refused or a token could not be had
    ├── CheckError             an outbound check could not run at all
    │   └── UnreadableAttachmentError an attachment cannot be read (encrypted, corrupt,
    │                          over a cap): reported as an ``unreadable`` finding
    └── UnsafeFileError        a file or folder refused unread: a link, a FIFO, a device ...
        └── FileTooBigError    a file over its size limit (only the limit plus one byte read)

A *permanent* error (ParseError) quarantines the message in hand and the run
goes on; a *transient* one (TransientSourceError) leaves the message on the
server, unacknowledged, for the next cycle.  A StorageFaultError is transient
too: the batch in hand is rolled back, its sources are not acknowledged, and
the daemon tries again once the disk has room, can be written or is back.
"""

from __future__ import annotations


class CrumailError(Exception):
    """Root of every error crumail raises on purpose."""


class ConfigError(CrumailError):
    """Raised when the configuration cannot be read or holds a wrong value."""


class WeakPasswordError(CrumailError, ValueError):
    """Raised when a new desk password breaks the policy (crumail.web.passwords);
    the message says why.  A ValueError too, like every other refused value
    of an account."""


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


class StorageFaultError(StoreError):
    """Raised when the storage under the database fails it: nothing in hand is
    committed (so nothing is acknowledged) and the daemon retries later.

    ``state`` names the cause for ``crumail status`` and the desk ("full",
    "read-only", "gone", "io-error"); ``path`` is the file or folder at fault.
    """

    state = "io-error"

    def __init__(self, message: str, path: object = None):
        super().__init__(message)
        self.path = path


class StorageFullError(StorageFaultError):
    """Raised when the database's filesystem has no space left for a write."""

    state = "full"


class ReadOnlyStoreError(StorageFaultError):
    """Raised when the database, its WAL or its filesystem cannot be written."""

    state = "read-only"


class StoreGoneError(StorageFaultError):
    """Raised when the database file or its folder is no longer where it was opened."""

    state = "gone"


class BackupError(StoreError):
    """Raised when a backup cannot be written or verified, or a restore is refused."""


class DatabaseAliasError(StoreError):
    """Raised when a path crumail would run on, read or write is another name for
    the database's own files (a hard link, a file given to ``ingest`` or
    ``export``): opening and closing it would drop SQLite's locks."""


class SourceError(CrumailError):
    """Raised when a mail source fails."""


class TransientSourceError(SourceError):
    """Raised for failures worth retrying later: timeouts, a server that is down."""


class AuthError(SourceError):
    """Raised when the server refuses the login or no token can be obtained."""


class CheckError(CrumailError):
    """Raised when an outbound check cannot run at all (never for a finding)."""


class UnreadableAttachmentError(CheckError):
    """Raised inside the attachment inspectors for a file they cannot read; the
    inspector turns it into a blocking ``unreadable`` finding with this reason."""


class UnsafeFileError(CrumailError):
    """Raised when a file or folder is refused unread (crumail/files/untrusted.py): a
    symbolic link, a folder, a FIFO or device where a regular file should be."""


class FileTooBigError(UnsafeFileError):
    """Raised when a file holds more than its limit; ``size`` is what is known of it
    (its size on disk, or the limit plus one when it grew while being read)."""

    def __init__(self, message: str, size: int):
        super().__init__(message)
        self.size = size
