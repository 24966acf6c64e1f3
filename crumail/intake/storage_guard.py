"""The daemon's one view of the disk under its database.

Every job of the daemon (each source, drafting and sending, housekeeping,
the daily backup) writes to the one database, so when its disk fills, turns
read-only or vanishes they all fail at once.  The guard turns that into one
log line naming the cause and the path (and one more when it clears), holds
every job back until the next try of an exponential backoff, and has each
thread open a fresh connection for that try: a connection SQLite opened
read-only stays read-only, and one whose folder was deleted writes into a
file nobody will see again.

Nothing is lost meanwhile: the batch in hand was rolled back (or committed
into a vanished file and not counted: crumail.store.db.transaction), so its
sources were never acknowledged and give the same mail again.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from pathlib import Path
from typing import Callable, TypeVar

from crumail.errors import StorageFaultError
from crumail.settings import DatabaseSettings
from crumail.sources.backoff import Backoff
from crumail.store import faults

log = logging.getLogger("crumail.storage")

RETRY_MIN_SECONDS = 1.0
RETRY_MAX_SECONDS: float = DatabaseSettings.retry_max   # [database] retry_max's default

T = TypeVar("T")


class StorageGuard:
    def __init__(self, database: Path, retry_max: float = RETRY_MAX_SECONDS):
        self.database = database
        self.fault: StorageFaultError | None = None
        self.generation = 0           # bumped at each fault: connections older than it are dropped
        self._backoff = Backoff(base=RETRY_MIN_SECONDS, cap=max(retry_max, RETRY_MIN_SECONDS))
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def fault_of(self, exc: BaseException) -> StorageFaultError | None:
        """The storage fault behind ``exc`` (None when the disk is not to blame)."""
        return faults.fault_from(exc, self.database)

    def blocked(self) -> bool:
        """True while a fault stands and its next try has not come."""
        with self._lock:
            return self.fault is not None and time.monotonic() < self._retry_at

    def wait(self, stop: threading.Event) -> bool:
        """Block until the next try may run (or ``stop``); True when stopped."""
        while self.blocked():
            with self._lock:
                left = self._retry_at - time.monotonic()
            if stop.wait(max(left, 0.01)):
                return True
        return stop.is_set()

    def failed(self, fault: StorageFaultError) -> None:
        """Note a fault: said once per cause, then retried with backoff."""
        with self._lock:
            new = self.fault is None or self.fault.state != fault.state
            self.fault = fault
            self.generation += 1
            delay = self._backoff.next_delay()
            self._retry_at = time.monotonic() + delay
        extra = {"event": "storage_fault", "cause": fault.state, "path": str(fault.path)}
        if new:
            log.error("%s; nothing is taken in or acknowledged until it clears (trying again "
                      "with backoff, at most every %g s)", fault, self._backoff.cap, extra=extra)
        else:
            log.debug("still: %s; next try in %.1f s", fault, delay, extra=extra)

    def succeeded(self) -> None:
        """A cycle committed its mail: the fault has cleared if the disk agrees.

        Only a cycle says so (it always writes): a job that wrote nothing
        proves nothing, and would have the fault said again at the next try.
        """
        if self.fault is None:
            return
        if faults.diagnose(self.database) is not None:
            return                        # it worked, but the disk still says full: keep pacing
        with self._lock:
            was, self.fault = self.fault, None
            self._backoff.reset()
        if was is not None:
            log.info("%s can be written again (it was: %s)", self.database, was,
                     extra={"event": "storage_ok", "cause": was.state, "path": str(self.database)})

    def guarded(self, job: Callable[..., T]) -> Callable[..., T | None]:
        """``job`` as a scheduler job: skipped while blocked, its storage faults noted
        here instead of reaching the scheduler as tracebacks."""
        @functools.wraps(job)
        def run(*args, **kwargs):
            if self.blocked():
                return None
            try:
                return job(*args, **kwargs)
            except Exception as exc:
                fault = self.fault_of(exc)
                if fault is None:
                    raise
                self.failed(fault)
                return None
        return run
