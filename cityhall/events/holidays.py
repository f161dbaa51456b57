"""Japanese public holidays (国民の祝日), from the jpholiday package."""

from datetime import date, datetime

import jpholiday

from cityhall.core.jst import to_jst


def holiday_name(day: date | datetime) -> str | None:
    """The holiday's name (e.g. 勤労感謝の日) when the JST date is a public holiday, else None.
    Substitute holidays (振替休日) and citizens' holidays count."""
    if isinstance(day, datetime):
        day = to_jst(day).date()
    return jpholiday.is_holiday_name(day)
