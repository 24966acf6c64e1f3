"""Jinja filters: dates as people read them, days left, JSON lists."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from jinja2 import Environment

from crumail import clock


def when(value: str | None) -> str:
    """An ISO timestamp as ``2026-11-25 13:05 UTC`` (dates stay dates)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if len(str(value)) <= 10:
        return moment.date().isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo else "")


def days_left(deadline: str | date | None, today: date | None = None) -> int | None:
    """Calendar days from today to ``deadline`` (negative when overdue)."""
    if not deadline:
        return None
    if isinstance(deadline, str):
        try:
            deadline = datetime.fromisoformat(deadline).date()
        except ValueError:
            return None
    elif isinstance(deadline, datetime):
        deadline = deadline.date()
    return (deadline - (today or clock.today())).days


def json_list(value) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if not value:
        return []
    try:
        loaded = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return loaded if isinstance(loaded, list) else [loaded]


def size(value: int | None) -> str:
    if value is None:
        return ""
    for unit in ("bytes", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return str(value)


def install(env: Environment) -> None:
    env.filters.update(when=when, days_left=days_left, json_list=json_list, size=size)
