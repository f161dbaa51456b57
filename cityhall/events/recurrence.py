"""A series' recurrence: which dates it falls on, and generating its sessions ahead of time.

Dates and times are Japan time: "every Friday at 21:00" is 21:00 in Tokyo whatever the server's
clock. Generation is idempotent (one session per series and date, see the unique constraint on
Event), so the periodic job, a series save and a rerun after downtime never duplicate a session,
and a session that was moved or cancelled is never generated again.
"""

import calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.utils import timezone

from cityhall.core.jst import JST, to_jst
from cityhall.events.holidays import holiday_name
from cityhall.events.models import Event, EventSeries, Frequency, WeekOfMonth

# How far ahead sessions exist, so members can register and see them in their calendar.
HORIZON = timedelta(weeks=8)


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1-4) or last (5) given weekday of a month."""
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if nth == WeekOfMonth.LAST:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def occurrence_dates(series: EventSeries, start: date, end: date) -> Iterator[date]:
    """The series' dates from `start` to `end` inclusive (within its own start and end),
    leaving out public holidays when the series skips them (元日 on a Friday, say)."""
    for day in _rule_dates(series, start, end):
        if not (series.skip_holidays and holiday_name(day)):
            yield day


def _rule_dates(series: EventSeries, start: date, end: date) -> Iterator[date]:
    start = max(start, series.starts_on)
    if series.ends_on is not None:
        end = min(end, series.ends_on)
    if start > end:
        return
    if series.frequency == Frequency.MONTHLY:
        year, month = start.year, start.month
        while date(year, month, 1) <= end:
            day = _nth_weekday(year, month, series.weekday, series.week_of_month or 1)
            if day is not None and start <= day <= end:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    step = timedelta(weeks=2 if series.frequency == Frequency.BIWEEKLY else 1)
    # Every other week counts from the series' first date, not from today.
    day = _first_on_or_after(series.starts_on, series.weekday)
    if day < start:
        day += step * ((start - day) // step)
        if day < start:
            day += step
    while day <= end:
        yield day
        day += step


def start_of(series: EventSeries, day: date) -> datetime:
    return datetime.combine(day, series.start_time, tzinfo=JST)


def next_occurrence(series: EventSeries, now: datetime | None = None) -> datetime | None:
    """When the series next meets by its rule, whether or not the session exists yet."""
    now = now or timezone.now()
    today = to_jst(now).date()
    for day in occurrence_dates(series, today, today + timedelta(days=62)):
        start = start_of(series, day)
        if start + series.duration > now:
            return start
    return None


def generate_sessions(series: EventSeries, *, now: datetime | None = None) -> list[Event]:
    """Create the series' missing sessions from today until HORIZON ahead. Returns them."""
    if not series.is_active:
        return []
    now = now or timezone.now()
    today = to_jst(now).date()
    wanted = [
        day
        for day in occurrence_dates(series, today, today + HORIZON)
        if start_of(series, day) > now
    ]
    if not wanted:
        return []
    existing = set(
        Event.objects.filter(series=series, occurrence_date__in=wanted).values_list(
            "occurrence_date", flat=True
        )
    )
    new = [
        Event(
            series=series,
            occurrence_date=day,
            title=series.title,
            description=series.description,
            organizer=series.organizer,
            section_id=series.section_id,
            starts_at=start_of(series, day),
            ends_at=start_of(series, day) + series.duration,
            capacity=series.capacity,
            venue_url=series.venue_url,
            created_by_id=series.created_by_id,
        )
        for day in wanted
        if day not in existing
    ]
    # ignore_conflicts: a generator running at the same moment elsewhere may have made one.
    Event.objects.bulk_create(new, ignore_conflicts=True)
    return new
