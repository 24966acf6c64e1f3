"""The one clock: what time it is, in UTC, for everything that records a
moment or compares dates (arrivals, audit rows, sessions, deadlines,
backups, the send queue).

Reading the time in one place lets a test move it.  Inside a process,
``with clock.set_to(moment):`` stands the clock still at ``moment`` until
the block ends.  A process a test starts (the daemon, the desk, the CLI)
takes ``CRUMAIL_NOW`` (an ISO 8601 moment with its offset) from its
environment: its clock starts at that moment and runs on from there, so
that what waits for time to pass (a backoff, a session's idle limit) still
sees it pass.

Durations measured with ``time.monotonic`` (retry timers, IDLE renewal) are
not dates and do not read this clock: a test never needs to move them.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Iterator

from crumail.errors import ConfigError

#: The environment variable that starts a process's clock at another moment.
ENVIRONMENT = "CRUMAIL_NOW"

_fixed: list[datetime] = []  # the moments set_to stands the clock at, innermost last
_offset: list[timedelta] = []  # the CRUMAIL_NOW offset, read once per process


def now() -> datetime:
    """This moment, timezone-aware UTC."""
    if _fixed:
        return _fixed[-1]
    offset = _environment_offset()  # first: read after the real time, it would put the clock back
    return real_now() + offset


def today() -> date:
    """Today's date in UTC."""
    return now().date()


def stamp(moment: datetime | None = None, precise: bool = False) -> str:
    """``moment`` (default: now) as the store writes times: ISO 8601 in UTC,
    to the second (to the millisecond when ``precise``)."""
    moment = now() if moment is None else moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds" if precise else "seconds")


@contextmanager
def set_to(moment: datetime) -> Iterator[datetime]:
    """Stand the clock still at ``moment`` (naive means UTC) while the block runs."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    _fixed.append(moment.astimezone(timezone.utc))
    try:
        yield _fixed[-1]
    finally:
        _fixed.pop()


def _environment_offset() -> timedelta:
    if not _offset:
        _offset.append(_offset_from(os.environ.get(ENVIRONMENT, "")))
    return _offset[0]


def _offset_from(value: str) -> timedelta:
    """How far ``CRUMAIL_NOW`` is from the real time now (zero when unset)."""
    if not value.strip():
        return timedelta(0)
    try:
        start = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{ENVIRONMENT}={value!r} is not an ISO 8601 moment "
                          f"(e.g. 2025-03-03T09:00:00+00:00): correct or unset it") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    return start - real_now()


def real_now() -> datetime:
    """The machine's own time, never moved: only for what is compared with
    another program's reading of it (the scheduler that runs the daemon's jobs)."""
    return datetime.now(timezone.utc)
