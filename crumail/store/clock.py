"""The store's clock: UTC, ISO 8601, one place to read it."""

from datetime import datetime, timezone


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
