"""When a member's digest is due: their evening hour in Japan time, every day or on Fridays.

A slot is one such evening. A member gets at most one digest per period (the JST date of the
slot), even when they change the hour after today's digest went out.
"""

from datetime import date, datetime, time, timedelta

from cityhall.core.jst import JST
from cityhall.notifications.models import Frequency, Preference

WEEKLY_WEEKDAY = 4  # Friday: the week's round-up before the weekend


def _slot(day: date, pref: Preference) -> datetime:
    return datetime.combine(day, time(pref.digest_hour), tzinfo=JST)


def _fits(day: date, pref: Preference) -> bool:
    return pref.digest_frequency == Frequency.DAILY or day.weekday() == WEEKLY_WEEKDAY


def next_slot(pref: Preference, after: datetime) -> datetime | None:
    """The first evening strictly after `after` whose period has had no digest yet."""
    if pref.digest_frequency == Frequency.NONE:
        return None
    day = after.astimezone(JST).date()
    for _ in range(15):
        newer = pref.last_digest_period is None or day > pref.last_digest_period
        if _fits(day, pref) and newer and _slot(day, pref) > after:
            return _slot(day, pref)
        day += timedelta(days=1)
    raise AssertionError("no digest slot within two weeks")  # unreachable


def latest_slot(pref: Preference, now: datetime) -> datetime | None:
    """The most recent evening at or before `now` (the period a digest sent now is for)."""
    if pref.digest_frequency == Frequency.NONE:
        return None
    day = now.astimezone(JST).date()
    for _ in range(8):
        if _fits(day, pref) and _slot(day, pref) <= now:
            return _slot(day, pref)
        day -= timedelta(days=1)
    return None
