"""crumail's one exception tree.

Every error crumail raises on purpose derives from :class:`CrumailError`,
and every one is defined here (``tests/test_errors.py`` fails on a class
defined anywhere else, or missing from this drawing)::

    CrumailError
    ├── ConfigError            the configuration file is missing, unreadable or wrong
    ├── WeakPasswordError      a desk password the policy refuses (also a ValueError)
    ├── PeriodError            a reporting period not written 2025Q1, 2025-03 or 2025 (a ValueError)
    ├── ParseError             bytes that cannot be turned into a ParsedMail (permanent)
    │   ├── NotMailError       an Outlook item that is not a mail (contact, appointment ...)
    │   ├── NestingTooDeepError messages nested deeper than the parser allows
    │   ├── OverLimitError     a part over a cap that quarantines (crumail.limits), stage "size"
    │   └── RtfError           an Outlook compressed RTF body that cannot be unpacked; the
    │                          parsers record it as a defect and keep the rest of the mail
    ├── StoreError             the database refused or is not usable
    │   ├── AlreadyRunningError another crumail holds the database's run lock
    │   ├── StorageFaultError  the disk under the database fails it (state, path); the
    │   │   │                  daemon says so once and retries with backoff
    │   │   ├── StorageFullError   no space left on the database's filesystem
    │   │   ├── ReadOnlyStoreError the database, its WAL or its filesystem cannot be written
    │   │   └── StoreGoneError     the database file or its folder is no longer there
    │   ├── BackupError        a backup or a restore could not be made or verified
    │   └── DatabaseAliasError  a path is the database's own file under another name
    ├── SourceError            a mail source failed (only its two kinds are raised)
    │   ├── TransientSourceError  the connection failed (refused, timed out, dropped) or a
    │   │                         folder could not be opened: worth trying again soon
    │   └── AuthError          the login was refused, no token could be had, or the server's
    │                          certificate is not trusted: a person must act
    ├── TemplateError          a draft template missing, malformed or naming an unknown value
    ├── CheckError             an outbound check could not run at all
    │   └── UnreadableAttachmentError an attachment cannot be read (encrypted, corrupt,
    │                          over a cap): reported as an ``unreadable`` finding
    ├── ReviewError            a review action refused; nothing changed (the message says why)
    │   ├── DraftNotFound      no draft has that id (``draft``)
    │   ├── InvalidTransition  the draft's state does not allow it, or changed meanwhile
    │   ├── MissingInput       something the action needs was not given (``field``, ``what``)
    │   ├── SecondApproverNeeded  four eyes: whoever wrote the draft cannot approve it
    │   ├── UnknownActor       the command line names no active desk account (``given``, ``login``)
    │   └── ApprovalBlocked    the checks block approval (``report``, ``overridable``)
    ├── SendError              a transport could not hand a mail over
    │   ├── TransientSendError   it certainly did not leave: tried again with backoff
    │   ├── PermanentSendError   the server refused it (5xx): the draft is failed
    │   └── UncertainSendError   it may have left (reply lost, crash): unconfirmed, for a
    │                            person to settle, never sent again blindly
    ├── UnsafeFileError        a file or folder refused unread: a link, a FIFO, a device ...
    │   └── FileTooBigError    a file over its size limit (only the limit plus one byte read)
    ├── RegisterError          the force register refused a CSV file or a desk edit; nothing
    │                          changed (``problems``: each with its line)
    └── ErasureRefused         an erasure on request refused: not an admin, no such proposal,
                               or (four eyes) its proposer approving it; nothing erased

What each kind does to the mail in hand:

* *Permanent* (ParseError): the message is quarantined with its stage, the
  reason and its bytes, and the run goes on (crumail/intake/prepare.py).  A
  message an IMAP server will not give (refused three times, or over
  ``max_message_bytes`` by its RFC822.SIZE) and an entry of the drop folder
  that is refused unread are quarantined the same way, as a note saying
  where the mail is: the source does it, no error is raised.
* *Transient* (TransientSourceError): what was committed before it is
  acknowledged, nothing after; the daemon tries again after a backoff that
  starts at the source's ``reconnect_min`` and grows to its
  ``reconnect_max`` (``retry_delay`` in crumail/sources/backoff.py chooses
  the pause by the error's name, for crumail/intake/daemon.py and
  crumail/sources/imap/idle.py).  A folder that cannot be opened is
  transient too: the source's other folders are still taken.
* *Auth* (AuthError): nothing is fetched; the error is recorded as the
  account's (``crumail status``, the desk's *Sources* page) and the next
  login waits at least half of ``AUTH_RETRY_SECONDS`` (crumail/sources/backoff.py):
  a wrong password retried every second would lock the account.
* StorageFaultError is transient for the whole daemon: the batch in hand is
  rolled back, its sources are not acknowledged, and every job waits until
  the disk has room, can be written or is back.
* ReviewError changes nothing.  It carries facts, never an interface's
  words: the command line adds its flags as a hint (crumail/cli/hints.py),
  the desk its own words about its buttons and fields
  (crumail/web/views/drafts.py).  The desk answers a bad address or form
  value with werkzeug's HTTP errors (400, 404), outside this tree.
"""

from __future__ import annotations

from typing import Any


class CrumailError(Exception):
    """Root of every error crumail raises on purpose."""


class ConfigError(CrumailError):
    """Raised when the configuration cannot be read or holds a wrong value."""


class WeakPasswordError(CrumailError, ValueError):
    """Raised when a new desk password breaks the policy (crumail.web.passwords);
    the message says why.  A ValueError too, like every other refused value
    of an account."""


class PeriodError(CrumailError, ValueError):
    """Raised when a reporting period (``crumail report --period``, the
    figures page) is not written 2025Q1, 2025-03 or 2025."""


# -- parsing ------------------------------------------------------------------

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


class RtfError(ParseError):
    """Raised when a compressed RTF stream (crumail/parse/rtf.py) is not readable:
    too short, an unknown compression, a failed CRC.  The .msg and winmail.dat
    readers catch it and record a defect: the rest of the mail is kept."""


# -- the store ------------------------------------------------------------------

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


# -- sources ------------------------------------------------------------------------

class SourceError(CrumailError):
    """A mail source failed.  Only its two kinds are raised, because the daemon
    acts on each by name: see the module's docstring."""


class TransientSourceError(SourceError):
    """Raised for failures worth trying again soon: a server down, a timeout, a
    dropped connection, a folder that cannot be opened (yet)."""


class AuthError(SourceError):
    """Raised when the server refuses the login, no token can be had, or the
    server's certificate is not trusted: trying again changes nothing until a
    person acts, so the daemon tries again slowly."""


# -- drafting, checking, review and sending -------------------------------------------

class TemplateError(CrumailError):
    """Raised when a draft template is missing, malformed or names an unknown value
    (crumail/drafts/render.py); drafting that message is tried again, then given up
    and shown in ``crumail status`` and on the desk."""


class CheckError(CrumailError):
    """Raised when an outbound check cannot run at all (never for a finding)."""


class UnreadableAttachmentError(CheckError):
    """Raised inside the attachment inspectors for a file they cannot read; the
    inspector turns it into a blocking ``unreadable`` finding with this reason."""


class ReviewError(CrumailError):
    """Raised when a review action cannot be done (crumail/review/machine.py).

    The message says what and why in words any interface can show; what to
    type or click next is for the interface to add (crumail/cli/hints.py)."""


class DraftNotFound(ReviewError):
    """Raised for a draft id that does not exist; ``draft`` is the id asked for."""

    def __init__(self, draft: int):
        super().__init__(f"there is no draft {draft}")
        self.draft = draft


class InvalidTransition(ReviewError):
    """Raised when a draft's state does not allow the action (or it changed meanwhile)."""


class MissingInput(ReviewError):
    """Raised when an action lacks something only its caller can give: ``field`` is
    the review function's argument (``by``, ``comment``), ``what`` says what it is
    for ("why it is rejected")."""

    def __init__(self, field: str, what: str):
        super().__init__(f"say {what}")
        self.field = field
        self.what = what


class SecondApproverNeeded(ReviewError):
    """Raised under four eyes when someone who drafted or edited a draft tries to approve it."""


class UnknownActor(ReviewError):
    """Raised when the name a command line action is recorded under is no active
    desk account: ``given`` is the name asked for (None: none was), ``login`` the
    OS user running it, ``accounts`` whether the desk has any account at all."""

    def __init__(self, message: str, *, given: str | None, login: str, accounts: bool):
        super().__init__(message)
        self.given = given
        self.login = login
        self.accounts = accounts


class ApprovalBlocked(ReviewError):
    """Raised when the checks block approval.  ``report`` is the checks' report
    (a crumail.checks.CheckReport: not imported, as this module sits below every
    stage), ``overridable`` whether a written justification of at least
    ``min_justification`` characters would release it."""

    def __init__(self, message: str, report: Any, overridable: bool, min_justification: int = 0,
                 unconfirmed: tuple[str, ...] = ()):
        super().__init__(message)
        self.report = report
        self.overridable = overridable
        self.min_justification = min_justification
        #: recipients to confirm (``confirm_recipients``) before the draft may be approved
        self.unconfirmed = unconfirmed


class SendError(CrumailError):
    """Raised when a transport cannot hand a mail over (crumail/send/); the send
    stage acts on each kind by name."""


class TransientSendError(SendError):
    """Raised when the mail did not leave and trying again later may work."""


class PermanentSendError(SendError):
    """Raised when the server refuses the mail for good (its reply is the message)."""


class UncertainSendError(SendError):
    """Raised when the mail may or may not have left: nobody can tell from here."""


# -- files ---------------------------------------------------------------------------

class UnsafeFileError(CrumailError):
    """Raised when a file or folder is refused unread (crumail/files/untrusted.py): a
    symbolic link, a folder, a FIFO or device where a regular file should be."""


class FileTooBigError(UnsafeFileError):
    """Raised when a file holds more than its limit; ``size`` is what is known of it
    (its size on disk, or the limit plus one when it grew while being read)."""

    def __init__(self, message: str, size: int):
        super().__init__(message)
        self.size = size


# -- the force register ----------------------------------------------------------

class RegisterError(CrumailError):
    """Raised when a force register CSV or a desk edit of a force is refused:
    ``problems`` lists every one found ("line 7: nation 'wales-ish' ..."), so
    that a file is mended in one go; nothing was changed."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = "; ".join(self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} problem(s): {shown}{more}")


class ErasureRefused(CrumailError):
    """An erasure on request refused before anything was erased (crumail.privacy.erase)."""
