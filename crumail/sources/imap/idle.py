"""Watching an IMAP folder with IDLE, so new mail is taken within seconds.

One watcher per (account, folder) keeps its own connection: it takes what
is new, then waits in IDLE until the server reports mail (``EXISTS``), and
re-issues IDLE before the server's 29-minute limit.  A server without the
IDLE capability is polled on the same connection every ``interval``
seconds instead.  A lost connection is re-made after an exponential backoff
with jitter; the stop flag ends the watcher within about a second.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from crumail.errors import CrumailError, StorageFaultError, TransientSourceError
from crumail.limits import DEFAULT as DEFAULT_LIMITS
from crumail.sources.backoff import Backoff, retry_delay
from crumail.sources.imap.auth import login_for
from crumail.sources.imap.connect import NETWORK_ERRORS, ImapSettings, as_source_error, connect, logout
from crumail.sources.imap.source import ImapSource

log = logging.getLogger("crumail.source.imap")

CHECK_SECONDS = 1.0            # how often the stop flag is looked at while idling
NEWS = (b"EXISTS", b"RECENT")

# run_cycle(source) runs one pipeline cycle and raises CrumailError on failure
CycleRunner = Callable[[ImapSource], object]


class FolderWatcher:
    def __init__(self, config: ImapSettings, folder: str, db_for_thread: Callable[[], object],
                 run_cycle: CycleRunner, stop: threading.Event,
                 backoff: Backoff | None = None,
                 on_error: Callable[[str], None] | None = None,
                 on_storage_fault: Callable[[StorageFaultError], None] | None = None,
                 max_bytes: int = DEFAULT_LIMITS.max_message_bytes):
        self.config, self.folder = config, folder
        self.max_bytes = max_bytes
        self.settings = config
        self.db_for_thread, self.run_cycle, self.stop = db_for_thread, run_cycle, stop
        self.backoff = backoff or Backoff.for_source(config)
        self.login = login_for(config)
        self.on_error = on_error or (lambda error: None)
        self.on_storage_fault = on_storage_fault   # the daemon's storage guard, which says it once
        self.retry_in = 0.0            # the pause chosen after the last failure

    def run(self) -> None:
        """Watch until the stop flag is set; never raises."""
        context = {"source": self.config.name, "folder": self.folder}
        while not self.stop.is_set():
            client = None
            try:
                client = connect(self.settings, self.login)
                self._watch(client)
            except StorageFaultError as exc:
                if self.on_storage_fault is None:
                    self._failed(exc, context)
                else:
                    self.on_storage_fault(exc)
            except CrumailError as exc:           # AuthError, TransientSourceError: retry_delay tells
                self._failed(exc, context)
            except (*NETWORK_ERRORS, IMAPClientError) as exc:
                self._failed(as_source_error(exc, f"{self.settings.host}:{self.settings.port}"), context)
            except Exception as exc:  # a bug must not end the watch for good
                log.exception("watcher failed unexpectedly", extra={"event": "watch_failed", **context})
                self._failed(CrumailError(f"internal error: {type(exc).__name__}"), context)
            finally:
                logout(client)
            if not self.stop.is_set():
                self.stop.wait(self.retry_in)
        log.info("watcher stopped", extra={"event": "watch_stopped", **context})

    def _failed(self, exc: CrumailError, context: dict) -> None:
        """Say so, record it, and choose the pause before reconnecting (longer
        after a refused login: crumail/sources/backoff.py)."""
        error = str(exc)
        self.retry_in = retry_delay(exc, self.backoff)
        log.error("%s; reconnecting in %.1f s (attempt %d)", error, self.retry_in, self.backoff.failures,
                  extra={"event": "watch_failed", "retry_in": round(self.retry_in, 3),
                         "attempt": self.backoff.failures, **context})
        try:
            self.on_error(error)
        except Exception:
            log.exception("could not record the error", extra={"event": "record_failed", **context})

    def _watch(self, client: IMAPClient) -> None:
        idle = client.has_capability("IDLE") and self.settings.mode == "idle"
        if not idle:
            log.info("no IDLE: polling every %g s", self.settings.interval,
                     extra={"event": "polling", "source": self.config.name, "folder": self.folder})
        while not self.stop.is_set():
            source = ImapSource(self.config, self.db_for_thread(), folders=(self.folder,),
                                session=client, login=self.login, max_bytes=self.max_bytes)
            self.run_cycle(source)        # raises on failure: reconnect
            self.backoff.reset()
            if self.stop.is_set():
                return
            if idle and not source.quiet:
                continue                  # news may have come and gone in our own commands
            if idle:
                self._idle(client)
            else:
                self.stop.wait(self.settings.interval)

    def _idle(self, client: IMAPClient) -> None:
        """Wait in IDLE until news, the renew time or the stop flag."""
        client.idle()
        started = time.monotonic()
        quick_empty = 0
        try:
            while not self.stop.is_set() and time.monotonic() - started < self.settings.idle_renew:
                asked = time.monotonic()
                responses = client.idle_check(timeout=CHECK_SECONDS)
                if any(len(r) > 1 and r[1] in NEWS for r in responses):
                    return
                # imapclient returns [] at once, again and again, on a closed
                # connection: that is the only sign of it.
                quick = not responses and time.monotonic() - asked < CHECK_SECONDS / 2
                quick_empty = quick_empty + 1 if quick else 0
                if quick_empty >= 3 or any(r and r[0] == b"BYE" for r in responses):
                    raise TransientSourceError("the server closed the connection during IDLE")
        finally:
            client.idle_done()
