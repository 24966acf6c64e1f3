"""Statutory deadlines: twenty working days under FOIA s10 (FOISA s10 in Scotland).

Day one is the first working day after the day of receipt; the response is
due on the twentieth.  A working day is any day but a Saturday, a Sunday or
a bank holiday of the nation the request was made in (the ``holidays``
package's UK calendars: England and Wales, Scotland, Northern Ireland).
A request received on a non-working day therefore starts its count on the
next working day, as the ICO's guidance says.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from crumail import clock
from crumail.settings.tables import DEFAULT_NATION, NATIONS as NATION_KEYS, DraftsSettings

#: FOIA s10's twenty working days, unless ``[drafts] working_days`` says otherwise.
WORKING_DAYS: int = DraftsSettings.working_days
UK_TIME = ZoneInfo("Europe/London")

# The nations as the config names them -> holidays.UK subdivision, and as a
# letter names them.  Wales shares England's bank holidays.
NATIONS: dict[str, str] = dict(zip(NATION_KEYS, ("ENG", "SCT", "NIR"), strict=True))
NATION_NAMES: dict[str, str] = dict(zip(NATION_KEYS, ("England and Wales", "Scotland", "Northern Ireland"),
                                        strict=True))


@lru_cache(maxsize=64)
def _calendar(nation_name: str, year: int) -> holidays.HolidayBase:
    return holidays.UK(subdiv=NATIONS[nation_name], years=year)


def is_working_day(day: date, nation_name: str = DEFAULT_NATION) -> bool:
    return day.weekday() < 5 and day not in _calendar(nation_name, day.year)


def add_working_days(start: date, days: int, nation_name: str = DEFAULT_NATION) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, nation_name):
            counted += 1
    return day


def due_date(received: date, nation_name: str = DEFAULT_NATION, days: int = WORKING_DAYS) -> date:
    """The date a response is due for a request received on ``received``."""
    return add_working_days(received, days, nation_name)


def received_on(moment: datetime | None, fallback: datetime | None = None) -> date:
    """The UK calendar date of an arrival time (naive times are taken as UTC)."""
    moment = moment or fallback or clock.now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(UK_TIME).date()
