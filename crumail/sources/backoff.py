"""Exponential backoff with jitter, for reconnecting to a server.

Each wait is drawn between half and all of the capped exponential delay
("equal jitter"): never a burst of instant retries, and folders or daemons
that lost the same server do not all come back in lock step.
"""

from __future__ import annotations

import random
import threading


class Backoff:
    def __init__(self, base: float = 1.0, cap: float = 300.0, rng: random.Random | None = None):
        self.base, self.cap = base, cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        """Seconds to wait after one more failure."""
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** (self.failures - 1))
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0

    def wait(self, stop: threading.Event) -> bool:
        """Sleep the next delay unless ``stop`` is set first; True when stopped."""
        return stop.wait(self.next_delay())
