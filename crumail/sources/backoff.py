"""Exponential backoff with jitter, for reconnecting to a server.

Each wait is drawn between half and all of the capped exponential delay
("equal jitter"): never a burst of instant retries, and folders or daemons
that lost the same server do not all come back in lock step.

Any progress resets it: the daemon calls :meth:`Backoff.reset` for every
message committed, not only after a whole cycle succeeds.  A server that
comes back after an outage and drops the connection again mid-sync is then
retried after the shortest pause, instead of after a delay that kept
doubling across outages (five outages once took 51.6 s to recover from).
"""

from __future__ import annotations

import random

from crumail.settings import SourceSettings


class Backoff:
    def __init__(self, base: float = 1.0, cap: float = 300.0, rng: random.Random | None = None):
        self.base, self.cap = base, cap
        self.failures = 0
        self._rng = rng or random.Random()

    @classmethod
    def for_source(cls, source: SourceSettings) -> "Backoff":
        """From a source's ``reconnect_min`` and ``reconnect_max`` (seconds)."""
        return cls(source.reconnect_min, source.reconnect_max)

    def next_delay(self) -> float:
        """Seconds to wait after one more failure."""
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** (self.failures - 1))
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        """Progress was made: the next failure waits the shortest pause again."""
        self.failures = 0
