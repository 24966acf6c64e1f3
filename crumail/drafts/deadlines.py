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
from crumail.errors import ConfigError

WORKING_DAYS = 20
UK_TIME = ZoneInfo("Europe/London")

# nation -> holidays.UK subdivision.  Wales shares England's bank holidays.
NATIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
NATION_NAMES = {
    "england-and-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
ALIASES = {
    "england": "england-and-wales", "wales": "england-and-wales", "eng": "england-and-wales",
    "wls": "england-and-wales", "england and wales": "england-and-wales",
    "sct": "scotland", "scot": "scotland",
    "nir": "northern-ireland", "ni": "northern-ireland", "northern ireland": "northern-ireland",
}
DEFAULT_NATION = "england-and-wales"


def nation(value: str | None) -> str:
    """A nation's canonical name from what an operator wrote in the config."""
    if value is None:
        return DEFAULT_NATION
    key = " ".join(str(value).lower().replace("_", "-").split())
    key = ALIASES.get(key, ALIASES.get(key.replace("-", " "), key))
    if key not in NATIONS:
        raise ConfigError(f"unknown nation {value!r}: use one of {', '.join(NATIONS)}")
    return key


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
