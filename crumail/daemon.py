"""The daemon: an APScheduler 3 scheduler with one job per source.

Each job runs with ``max_instances=1``, coalescing and a misfire grace time.
SIGTERM and SIGINT set a stop flag: the message in hand is finished and
committed, then the scheduler shuts down and the process exits 0.
"""

from __future__ import annotations

import logging
import signal
import threading

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlite_utils import Database

from crumail.config import Config, SourceConfig
from crumail.errors import CrumailError
from crumail.pipeline import CycleReport, run_source
from crumail.sources import factory
from crumail.store import ledger, open_database
from crumail.store.clock import now
from crumail.store.db import transaction

log = logging.getLogger("crumail.daemon")

MISFIRE_GRACE_SECONDS = 30


class Daemon:
    def __init__(self, config: Config):
        self.config = config
        self.stopping = threading.Event()
        self._db_local = threading.local()

    def db(self) -> Database:
        """One connection per thread: APScheduler runs jobs in a pool."""
        if not hasattr(self._db_local, "db"):
            self._db_local.db = open_database(self.config.database)
        return self._db_local.db

    def poll(self, source: SourceConfig) -> CycleReport | None:
        """One cycle of one source; errors are logged and recorded, never raised."""
        db = self.db()
        try:
            report = run_source(db, factory.build(self.config, source, db), stop=self.stopping.is_set,
                                max_bytes=self.config.max_message_bytes)
        except CrumailError as exc:
            self._record(db, source, error=str(exc))
            log.error("source %s failed: %s", source.name, exc,
                      extra={"event": "poll_failed", "source": source.name})
            return None
        self._record(db, source)
        if report.total:
            log.info("source %s: %s", source.name, report.counts,
                     extra={"event": "poll", "source": source.name})
        return report

    def _record(self, db: Database, source: SourceConfig, error: str | None = None) -> None:
        stamp = now()
        values = {"last_poll": stamp}
        values.update({"last_error": error, "last_error_at": stamp} if error else {"last_success": stamp})
        with transaction(db):
            ledger.update_state(db, source.name, "", **values)

    def run_once(self) -> dict[str, CycleReport | None]:
        return {s.name: self.poll(s) for s in self.config.sources}

    def run_forever(self) -> None:
        scheduler = BlockingScheduler(job_defaults={
            "max_instances": 1, "coalesce": True, "misfire_grace_time": MISFIRE_GRACE_SECONDS})
        for source in self.config.sources:
            scheduler.add_job(self.poll, "interval", args=[source], id=source.name,
                              seconds=factory.interval(source), next_run_time=_now())
        self._install_signals(scheduler)
        log.info("crumail running with %d source(s)", len(self.config.sources),
                 extra={"event": "start"})
        scheduler.start()
        log.info("crumail stopped", extra={"event": "stop"})

    def _install_signals(self, scheduler: BlockingScheduler) -> None:
        def stop(signum, frame):
            log.info("signal %s: finishing the message in hand", signum, extra={"event": "stopping"})
            self.stopping.set()
            threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
