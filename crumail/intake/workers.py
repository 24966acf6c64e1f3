"""Parsing and extraction in worker processes, for large batches.

Parsing is pure and CPU-bound, so a backlog (a first sync, a folder of old
mail) is spread over the machine's cores while the main process commits the
previous batch.  Small batches (the daemon's usual trickle) stay in process.
A message that kills its worker process (a crash inside a C extension, the
memory limit) is quarantined on its own instead of stopping the run.  The
parser processes end with the daemon, even when it is SIGKILLed
(crumail/intake/lifeline.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from crumail.intake import lifeline
from crumail.intake.prepare import Prepared, prepare
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import RawMessage
from crumail.store.batch import Rejected

log = logging.getLogger("crumail.workers")

# Below this many messages a batch is parsed in process: starting workers
# and shipping bytes costs more than it saves.
POOL_THRESHOLD = 32
SLICE = 16


def default_workers() -> int:
    """One worker per core beyond the first, at most four; none on one core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, 4)


def _prepare_slice(raws: list[RawMessage], limits: Limits) -> list[Prepared]:
    return [prepare(raw, limits) for raw in raws]


def _start_worker(daemon: int) -> None:
    """A pool worker: quiet logs, and an end together with its forkserver and the daemon."""
    from crumail import logconfig
    from crumail.intake import lifeline

    logconfig.setup("plain", logging.WARNING)
    lifeline.die_with_parent()
    lifeline.watch(daemon)


class Preparer:
    """Turns chunks of raw messages into chunks of prepared ones, in order."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS, workers: int | None = None):
        self.limits = limits
        self.workers = default_workers() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Preparer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map(self, chunks: Iterable[list[RawMessage]]) -> Iterator[list[Prepared]]:
        """Prepared chunks; chunk n+1 is already being parsed while n is used."""
        pending: tuple[list[RawMessage], list[Future] | None] | None = None
        for chunk in chunks:
            started = (chunk, self._submit(chunk))
            if pending is not None:
                yield self._collect(*pending)
            pending = started
        if pending is not None:
            yield self._collect(*pending)

    def _submit(self, chunk: list[RawMessage]) -> list[Future] | None:
        if self.workers < 1 or len(chunk) < POOL_THRESHOLD:
            return None
        pool = self._ensure_pool()
        return [pool.submit(_prepare_slice, chunk[i:i + SLICE], self.limits)
                for i in range(0, len(chunk), SLICE)]

    def _collect(self, chunk: list[RawMessage], futures: list[Future] | None) -> list[Prepared]:
        if futures is None:
            return _prepare_slice(chunk, self.limits)
        try:
            return [item for future in futures for item in future.result()]
        except BrokenProcessPool:
            log.error("a parser process died; taking this batch one message at a time")
            self._pool = None
            return [self._isolated(raw) for raw in chunk]

    def _isolated(self, raw: RawMessage) -> Prepared:
        """One message in a fresh worker, so one that kills it is found and quarantined."""
        try:
            return self._ensure_pool().submit(prepare, raw, self.limits).result()
        except BrokenProcessPool:
            self._pool = None
            return Rejected(raw, "parse", "the parser process died while reading this message")

    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver, not fork: the daemon has threads and open connections.
            # The preload warms the parser and ties the forkserver to this
            # process, named in the environment it inherits (crumail/intake/lifeline.py).
            os.environ[lifeline.PARENT_ENV] = str(os.getpid())
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crumail.intake.forkserver"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                             initializer=_start_worker, initargs=(os.getpid(),))
        return self._pool
