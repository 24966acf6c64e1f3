"""The send stage: approved drafts leave, each exactly once or visibly not at all.

For each approved draft whose retry time has come:

1. build its message again and compare the hash with the one approved:
   a draft changed behind the review desk's back is refused (failed);
2. run the checks over those exact bytes, as their recipients will read
   them; a blocking finding not released at approval refuses it (failed);
3. mark it ``sending`` in a committed transaction, with a token naming
   this process, *before* handing it over;
4. hand it over; record ``sent``, ``failed`` (a 5xx with the server's
   reply), ``approved`` again with a retry time (the mail certainly did not
   leave), or ``unconfirmed`` (it may have).

A draft left ``sending`` by a process that is gone (killed between handing
over and recording) becomes ``unconfirmed`` for an operator, unless the
transport can show it arrived; it is never sent again blindly.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Protocol

from sqlite_utils import Database

from crumail import clock, review
from crumail.config import Config
from crumail.errors import PermanentSendError, TransientSendError, UncertainSendError
from crumail.model import Draft
from crumail.settings import SendSettings
from crumail.review import message as outbound
from crumail.review.verify import envelope_recipients, unreleased, verify
from crumail.store import draft_files, drafts as store

log = logging.getLogger("crumail.send")

SYSTEM = "crumail"
STALE_SENDING = timedelta(hours=1)  # a 'sending' claim from another host is this old: unconfirmed


class Transport(Protocol):
    name: str

    def deliver(self, data: bytes, sender: str, recipients: list[str], message_id: str) -> str: ...

    def delivered(self, message_id: str) -> bool | None: ...


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    unconfirmed: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        pairs = lambda items: [{"draft": d, "reason": r} for d, r in items]  # noqa: E731
        return {"sent": self.sent, "retrying": pairs(self.retrying), "failed": pairs(self.failed),
                "refused": pairs(self.refused), "unconfirmed": pairs(self.unconfirmed)}


def build_transport(config: Config) -> Transport:
    """``[send] transport`` (settled at load: smtp if ``[smtp] host`` is set, else outbox)."""
    settings = config.settings
    if settings.send.transport == "smtp":
        from crumail.send.smtp import SmtpTransport

        return SmtpTransport(settings.smtp)
    if settings.send.transport == "imap":
        from crumail.send.imap import ImapAppendTransport

        return ImapAppendTransport(settings.send.imap)
    from crumail.send.outbox import OutboxTransport

    return OutboxTransport(settings.outbox.path)


def send_approved(config: Config, db: Database, *, transport: Transport | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> SendReport:
    """Settle drafts left 'sending' by a dead process, then send every approved draft due."""
    transport = transport or build_transport(config)
    settings = config.settings.send
    report = SendReport()
    recover(db, transport, report)
    stamp = clock.stamp()
    for draft in store.select(db, ["approved"], due_before=stamp):
        try:
            _send_one(config, db, draft, transport, settings, report, sleep)
        except Exception as exc:  # one draft's trouble never stops the others
            log.exception("sending draft %s failed unexpectedly", draft.id)
            report.unconfirmed.append((draft.id, f"{type(exc).__name__}: {exc}"))
    return report


def recover(db: Database, transport: Transport, report: SendReport) -> None:
    """Drafts a dead process left 'sending': sent if the transport shows it, else unconfirmed."""
    for draft in store.select(db, ["sending"]):
        if _claim_alive(draft):
            continue
        found = _delivered(transport, draft)
        if found:
            review.record(db, draft, "sent", actor=SYSTEM, action="sent", from_states=("sending",),
                          comment=f"found by {transport.name} after a restart", sent_at=clock.stamp())
            report.sent.append(draft.id)
            continue
        # Stored and shown on the desk too: the interfaces say how to settle it.
        reason = ("the process sending it stopped before recording the outcome: it may have left. "
                  "Check the recipient's mailbox, then record that it was sent or send it again")
        review.record(db, draft, "unconfirmed", actor=SYSTEM, action="unconfirmed",
                      from_states=("sending",), comment=reason, last_error=reason, sending_token=None)
        report.unconfirmed.append((draft.id, reason))


def _send_one(config, db, draft: Draft, transport: Transport, settings: SendSettings,
              report: SendReport, sleep) -> None:
    data = outbound.build_message(draft, files=draft_files.files(db, draft.id))
    refusal = _refusal(config, db, draft, data)
    if refusal:
        review.record(db, draft, "failed", actor=SYSTEM, action="refused", from_states=("approved",),
                      comment=refusal, last_error=refusal)
        report.refused.append((draft.id, refusal))
        return
    recipients = list(envelope_recipients(data))  # checked just above, in _refusal
    if not review.record(db, draft, "sending", actor=SYSTEM, action="sending", from_states=("approved",),
                         comment=f"handing over by {transport.name}", sending_token=_token(),
                         sending_at=clock.stamp(), transport=transport.name):
        return  # another process took it
    sending = store.get(db, draft.id)
    _hand_over(db, sending, data, recipients, transport, settings, report, sleep)


def _refusal(config, db, draft: Draft, data: bytes) -> str | None:
    if outbound.sha256(data) != draft.approved_sha256:
        return ("refused: the message that would leave differs from the one approved "
                "(approve it again after checking)")
    blocking = unreleased(verify(config, db, data, draft).report, draft.overrides)
    if blocking:
        return "refused by the checks at send: " + "; ".join(f"{f.check} {f.text!r}: {f.reason}" for f in blocking)
    return None


def _hand_over(db, draft: Draft, data: bytes, recipients: list[str], transport: Transport,
               settings: SendSettings, report: SendReport, sleep) -> None:
    sender = draft.from_address
    delays = list(settings.retry_delays)
    while True:
        try:
            receipt = transport.deliver(data, sender, recipients, draft.message_id or "")
        except TransientSendError as exc:
            if delays:
                log.info("draft %s: %s; trying again", draft.id, exc)
                sleep(delays.pop(0))
                continue
            _retry_later(db, draft, str(exc), settings, report)
        except PermanentSendError as exc:
            review.record(db, draft, "failed", actor=SYSTEM, action="failed", from_states=("sending",),
                          comment=str(exc), last_error=str(exc), sending_token=None)
            report.failed.append((draft.id, str(exc)))
        except UncertainSendError as exc:
            _uncertain(db, draft, str(exc), transport, report)
        except BaseException as exc:
            _uncertain(db, draft, f"{type(exc).__name__}: {exc}", transport, report)
            raise
        else:
            review.record(db, draft, "sent", actor=SYSTEM, action="sent", from_states=("sending",),
                          comment=receipt, detail={"recipients": recipients, "transport": transport.name},
                          sent_at=clock.stamp(), sending_token=None, last_error=None)
            report.sent.append(draft.id)
            log.info("draft %s sent by %s: %s", draft.id, transport.name, receipt,
                     extra={"event": "sent", "draft": draft.id})
        return


def _retry_later(db, draft: Draft, reason: str, settings: SendSettings, report: SendReport) -> None:
    attempts = draft.attempts + 1
    if attempts >= settings.max_attempts:
        reason = f"gave up after {attempts} runs: {reason}"
        review.record(db, draft, "failed", actor=SYSTEM, action="failed", from_states=("sending",),
                      comment=reason, last_error=reason, attempts=attempts, sending_token=None)
        report.failed.append((draft.id, reason))
        return
    wait = settings.retry_after * 2 ** (attempts - 1)
    when = clock.stamp(clock.now() + timedelta(seconds=wait))
    review.record(db, draft, "approved", actor=SYSTEM, action="deferred", from_states=("sending",),
                  comment=f"{reason}; next try after {when}", last_error=reason, attempts=attempts,
                  next_attempt=when, sending_token=None)
    report.retrying.append((draft.id, reason))


def _uncertain(db, draft: Draft, reason: str, transport: Transport, report: SendReport) -> None:
    if _delivered(transport, draft):
        review.record(db, draft, "sent", actor=SYSTEM, action="sent", from_states=("sending",),
                      comment=f"{reason}; found by {transport.name}", sent_at=clock.stamp(), sending_token=None)
        report.sent.append(draft.id)
        return
    review.record(db, draft, "unconfirmed", actor=SYSTEM, action="unconfirmed", from_states=("sending",),
                  comment=reason, last_error=reason, sending_token=None)
    report.unconfirmed.append((draft.id, reason))


def _delivered(transport: Transport, draft: Draft) -> bool:
    try:
        return bool(draft.message_id and transport.delivered(draft.message_id))
    except Exception:  # asking is a courtesy; unconfirmed is the safe answer
        return False


# -- who holds a 'sending' claim -----------------------------------------------

def _token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_started(os.getpid())}"


def _started(pid: int) -> str:
    """The process's start time (from /proc), so a reused pid is not mistaken for it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "?"


def _claim_alive(draft: Draft) -> bool:
    host, _, rest = (draft.sending_token or "").partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        sending_at = _row_time(draft)
        return sending_at is not None and clock.now() - sending_at < STALE_SENDING
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # another thread of this process may be handing it over right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return _started(pid) == started


def _row_time(draft: Draft) -> datetime | None:
    try:
        return datetime.fromisoformat(draft.updated_at)
    except ValueError:
        return None

