"""Old mail is never drafted: a referral from 2015 needs no acknowledgement.

A message older than ``[drafts] max_age_days`` (by its Date header; by the
time it was received when the Date is missing or in the future, where a
sender's wrong clock or a forged header would put it) gets no draft and no
log number.  It is still stored, read and put in the casebook.  0 turns the
rule off.  Pure: the caller gives the moments and the clock's now.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

#: Why a queued message was passed over without drafts (the queue row says so).
SKIPPED_AGE = "age"
SKIPPED_NO_DRAFTS = "no_drafts"


def written_at(sent: datetime | None, received: datetime | None, now: datetime) -> datetime | None:
    """The moment a message's age counts from."""
    sent, received = _aware(sent), _aware(received)
    if sent is not None and sent <= now:
        return sent
    return received


def too_old(sent: datetime | None, received: datetime | None, now: datetime, max_age_days: int) -> bool:
    """True when the message is older than ``max_age_days`` (never when 0)."""
    if max_age_days <= 0:
        return False
    moment = written_at(sent, received, _aware(now) or now)
    return moment is not None and now - moment > timedelta(days=max_age_days)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)
