"""The daemon: an APScheduler 3 scheduler with one job per source.

* A polled source (a drop folder, an IMAP account in ``mode = "poll"``) is
  an interval job; an IMAP account in ``mode = "idle"`` (the default) has a
  watcher job per folder that keeps its connection and IDLEs between
  cycles.  Housekeeping jobs checkpoint the database and ping systemd's
  watchdog; with a ``[backup] dir``, a job takes the daily backup.  Every
  job runs with ``max_instances=1``, coalescing and a misfire grace time.
* A full, read-only or vanished disk under the database stops every job at
  once: the storage guard (crumail/intake/storage_guard.py) says so in one line,
  holds the jobs back with a backoff, and has them reconnect to try again.
* SIGTERM and SIGINT set a stop flag: the message in hand is finished and
  committed, connections are logged out, and the process exits 0.
* Under systemd (``Type=notify``) the daemon sends ``READY=1`` once its jobs
  are scheduled, ``WATCHDOG=1`` while they still run, ``STOPPING=1`` on a
  signal (crumail/intake/notify.py).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlite_utils import Database

from crumail import clock
from crumail.config import Config
from crumail.errors import CrumailError, StorageFaultError
from crumail.intake.daily_backup import CHECK_SECONDS as BACKUP_CHECK_SECONDS, DailyBackup, Schedule
from crumail.intake.notify import Notifier
from crumail.intake.pipeline import CycleReport, run_source
from crumail.intake.storage_guard import StorageGuard
from crumail.settings import SourceSettings
from crumail.sources import factory
from crumail.sources.backoff import Backoff, retry_delay
from crumail.sources.base import Source
from crumail.store import actions, ledger, open_database
from crumail.store.db import transaction

log = logging.getLogger("crumail.daemon")

MISFIRE_GRACE_SECONDS = 30
CHECKPOINT_SECONDS = 3600
FAILURES_KEPT_DAYS = 30
WATCHER_RESTART_SECONDS = 30      # a watcher job that ever returns is started again


class Daemon:
    def __init__(self, config: Config, notifier: Notifier | None = None):
        self.config = config
        self.stopping = threading.Event()
        self.notifier = notifier or Notifier()
        self.batch_size = config.settings.daemon.batch_size
        self._db_local = threading.local()
        self._backoffs: dict[str, Backoff] = {}
        self._retry_at: dict[str, float] = {}
        self.guard = StorageGuard(config.database, config.settings.database.retry_max)
        schedule = Schedule.from_config(config)
        self.daily_backup = DailyBackup(schedule) if schedule else None
        self._opened = False

    def db(self) -> Database:
        """One connection per thread: APScheduler runs jobs in a pool.

        After a storage fault each thread reconnects, and never creates a new
        database where the one it used has gone.
        """
        local = self._db_local
        if getattr(local, "db", None) is not None and local.generation != self.guard.generation:
            _close_quietly(local.db)
            local.db = None
        if getattr(local, "db", None) is None:
            generation = self.guard.generation
            local.db = open_database(self.config.database, create=not self._opened)
            local.generation, self._opened = generation, True
        return local.db

    # -- one cycle -----------------------------------------------------------
    def cycle(self, config: SourceSettings, source: Source, backoff: Backoff | None = None) -> CycleReport:
        """Run ``source`` through the pipeline once; raises CrumailError on failure.

        Every committed message resets ``backoff``: a server that dropped the
        connection after some progress is tried again after the shortest
        pause, however many outages came before."""
        started = time.monotonic()
        report = run_source(self.db(), source, batch_size=self.batch_size, stop=self.stopping.is_set,
                            limits=self.config.limits,
                            workers=self.config.settings.intake.workers,
                            progress=(lambda raw: backoff.reset()) if backoff else None)
        self._record(config, duration=time.monotonic() - started)
        self.guard.succeeded()            # committed: a storage fault, if any, has cleared
        if report.counts["stored"]:
            self.outbound()  # new mail is drafted at once, not at the next outbound run
        if report.total:
            log.info("source %s: %s", config.name, report.counts,
                     extra={"event": "poll", "source": config.name})
        return report

    def poll(self, config: SourceSettings, *, scheduled: bool = False) -> CycleReport | None:
        """One cycle of one source; errors are logged and recorded, never raised.

        A scheduled poll of a failing source waits out an exponential backoff
        with jitter (beyond its interval) before it connects again."""
        backoff = self.backoff(config.name, config)
        if scheduled and time.monotonic() < self._retry_at.get(config.name, 0.0):
            return None
        try:
            report = self.cycle(config, factory.build(self.config, config, self.db()), backoff)
        except StorageFaultError:
            raise                 # not the source's fault: the storage guard says it once
        except CrumailError as exc:   # AuthError waits longer than TransientSourceError: retry_delay
            self.record_error(config, str(exc))
            delay = retry_delay(exc, backoff)
            self._retry_at[config.name] = time.monotonic() + delay
            log.error("source %s failed: %s; next try in %.1f s at the earliest (attempt %d)",
                      config.name, exc, delay, backoff.failures,
                      extra={"event": "poll_failed", "source": config.name,
                             "retry_in": round(delay, 3), "attempt": backoff.failures})
            return None
        backoff.reset()
        self._retry_at.pop(config.name, None)
        return report

    def backoff(self, key: str, config: SourceSettings) -> Backoff:
        """The reconnect backoff of one poll job or IDLE watcher, kept across its cycles."""
        return self._backoffs.setdefault(key, Backoff.for_source(config))

    def record_error(self, config: SourceSettings, error: str) -> None:
        self._record(config, error)

    def _record(self, config: SourceSettings, error: str | None = None,
                duration: float | None = None) -> None:
        stamp = clock.stamp()
        values: dict[str, object] = {"last_poll": stamp}
        if duration is not None:
            values["last_duration"] = round(duration, 3)
        values.update({"last_error": error, "last_error_at": stamp} if error
                      else {"last_success": stamp, "last_error": None})
        db = self.db()
        folders = [s for s in ledger.all_states(db) if s["source"] == config.name and s["folder"]]
        if folders:   # the source's backlog: what its folders have seen and not yet stored
            values["backlog"] = sum(s["backlog"] or 0 for s in folders)
        with transaction(db):
            ledger.update_state(db, config.name, "", **values)

    def run_once(self) -> dict[str, CycleReport | None]:
        """One cycle of every source (watched ones too), drafting and sending, housekeeping."""
        reports = {s.name: self.guard.guarded(self.poll)(s) for s in self.config.sources}
        self.guard.guarded(self.outbound)()
        self.guard.guarded(self.checkpoint)()
        self.guard.guarded(self.retention)()
        return reports

    def outbound(self) -> None:
        """Draft what was stored, then send what operators approved; never raises."""
        from crumail.drafts.stage import draft_pending
        from crumail.send import send_approved

        for name, stage in (("drafting", draft_pending), ("sending", send_approved)):
            try:
                stage(self.config, self.db())
            except Exception as exc:  # one stage's trouble must not stop the daemon
                if self.guard.fault_of(exc) is not None:
                    raise         # the disk's: the storage guard says it once
                log.exception("%s failed: %s", name, exc, extra={"event": f"{name}_failed"})

    # -- the scheduler ---------------------------------------------------------
    def watch(self, config: SourceSettings, folder: str) -> None:
        """An IDLE watcher job: runs until the stop flag is set."""
        from crumail.sources.imap.idle import FolderWatcher

        backoff = self.backoff(f"{config.name}/{folder}", config)
        try:
            watcher = FolderWatcher(config, folder, self.db,
                                    lambda source: self._watched_cycle(config, source, backoff),
                                    self.stopping, backoff=backoff,
                                    on_error=lambda error: self._note_error(config, error),
                                    on_storage_fault=lambda fault: None,   # the guard has said it
                                    max_bytes=self.config.max_message_bytes)
        except CrumailError as exc:
            self.record_error(config, str(exc))
            log.error("source %s cannot be watched: %s", config.name, exc,
                      extra={"event": "watch_failed", "source": config.name, "folder": folder})
            return
        watcher.run()

    def _watched_cycle(self, config: SourceSettings, source: Source, backoff: Backoff) -> CycleReport | None:
        """A watcher's cycle: waits out a storage fault's backoff, reports faults to the guard."""
        if self.guard.wait(self.stopping):
            return None
        try:
            report = self.cycle(config, source, backoff)
        except Exception as exc:
            fault = self.guard.fault_of(exc)
            if fault is None:
                raise
            self.guard.failed(fault)
            raise fault from None
        return report

    def _note_error(self, config: SourceSettings, error: str) -> None:
        """Record a source's error, unless the database cannot take it now."""
        try:
            self.record_error(config, error)
        except Exception as exc:
            fault = self.guard.fault_of(exc)
            if fault is None:
                raise
            self.guard.failed(fault)

    def backup(self) -> None:
        """The daily backup, when ``[backup]`` asks for one and it is due."""
        if self.daily_backup is not None:
            self.daily_backup.run(self.db())

    def retention(self) -> None:
        """The day's retention run (crumail.privacy.retention), when ``[retention]
        enabled``: batch by batch beside the other jobs, each batch its own transaction."""
        from crumail.privacy.retention import daily

        settings = self.config.settings
        try:
            daily(self.db(), settings.retention, settings.redaction)
        except Exception as exc:
            if self.guard.fault_of(exc) is not None:
                raise
            log.warning("retention run failed: %s", exc, extra={"event": "retention_failed"})

    def checkpoint(self) -> None:
        """Housekeeping: forget stale failure counts and settled server actions,
        fold the write-ahead log back."""
        db = self.db()
        try:
            stale = clock.stamp(clock.now() - timedelta(days=FAILURES_KEPT_DAYS))
            with transaction(db):
                ledger.prune_failures(db, stale)
                actions.prune(db, stale)
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception as exc:
            if self.guard.fault_of(exc) is not None:
                raise
            log.warning("housekeeping failed: %s", exc, extra={"event": "housekeeping_failed"})

    def schedule(self, scheduler: BackgroundScheduler) -> int:
        """Add every job; returns how many.  Each runs first at once: the
        machine's real time, which the scheduler compares with its own."""
        jobs = 0
        for source in self.config.sources:
            for folder in source.watched:
                scheduler.add_job(self.watch, "interval", args=[source, folder],
                                  id=f"watch:{source.name}:{folder}", name=f"watch:{source.name}:{folder}",
                                  seconds=WATCHER_RESTART_SECONDS,
                                  next_run_time=clock.real_now())
                jobs += 1
            if not source.watched:
                scheduler.add_job(self.guard.guarded(self.poll), "interval", args=[source],
                                  kwargs={"scheduled": True},
                                  id=f"poll:{source.name}",
                                  seconds=source.interval, next_run_time=clock.real_now())
                jobs += 1
        scheduler.add_job(self.guard.guarded(self.outbound), "interval", id="outbound",
                          seconds=self.config.settings.send.interval,
                          next_run_time=clock.real_now())
        scheduler.add_job(self.guard.guarded(self.checkpoint), "interval", id="housekeeping:checkpoint",
                          seconds=CHECKPOINT_SECONDS)
        if self.daily_backup is not None:
            scheduler.add_job(self.guard.guarded(self.backup), "interval", id="housekeeping:backup",
                              seconds=BACKUP_CHECK_SECONDS, next_run_time=clock.real_now())
            jobs += 1
        if self.config.settings.retention.enabled:
            scheduler.add_job(self.guard.guarded(self.retention), "interval", id="housekeeping:retention",
                              seconds=BACKUP_CHECK_SECONDS, next_run_time=clock.real_now())
            jobs += 1
        if self.notifier.watchdog_seconds:
            scheduler.add_job(self.notifier.watchdog, "interval", id="housekeeping:watchdog",
                              seconds=max(self.notifier.watchdog_seconds / 2, 0.5), next_run_time=clock.real_now())
        return jobs + 3

    def run_forever(self) -> None:
        jobs = len(self.config.sources) + sum(len(s.watched) for s in self.config.sources)
        scheduler = BackgroundScheduler(
            executors={"default": {"type": "threadpool", "max_workers": jobs + 4}},
            job_defaults={"max_instances": 1, "coalesce": True,
                          "misfire_grace_time": MISFIRE_GRACE_SECONDS})
        _quiet_skipped_watchers()
        self.schedule(scheduler)
        self._install_signals()
        scheduler.start()
        log.info("crumail running with %d source(s)", len(self.config.sources), extra={"event": "start"})
        self.notifier.ready(f"{len(self.config.sources)} source(s)")
        self.stopping.wait()
        self.notifier.stopping()
        log.info("stopping: finishing the message in hand", extra={"event": "stopping"})
        scheduler.shutdown(wait=True)
        log.info("crumail stopped", extra={"event": "stop"})

    def _install_signals(self) -> None:
        def stop(signum, frame):
            self.stopping.set()

        if threading.current_thread() is not threading.main_thread():
            return  # run from a thread (tests): the caller sets ``stopping``
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)


def _close_quietly(db: Database) -> None:
    try:
        db.close()
    except Exception:
        pass  # a connection on a vanished or broken disk: nothing more to do with it


class _SkipWatcherRuns(logging.Filter):
    """A watcher job runs for as long as the daemon: its skipped re-runs are expected."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not ("watch:" in record.getMessage() and "maximum number of running instances" in record.getMessage())


def _quiet_skipped_watchers() -> None:
    logger = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _SkipWatcherRuns) for f in logger.filters):
        logger.addFilter(_SkipWatcherRuns())
