"""The casebook (logs, questions, advice): filled in by the extraction stage."""

from __future__ import annotations

from sqlite_utils import Database


def record(db: Database, message: int, parsed, extraction) -> None:
    """Record what ``extraction`` says about stored message ``message``."""


def forget(db: Database, message: int) -> None:
    """Remove everything recorded for ``message`` (before re-extraction)."""
