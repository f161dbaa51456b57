from datetime import date, datetime, time, timedelta

from cityhall.core.jst import JST
from cityhall.events.holidays import holiday_name
from cityhall.events.jobs import generate_all_sessions
from cityhall.events.models import Event
from cityhall.events.recurrence import generate_sessions, next_occurrence, occurrence_dates
from cityhall.events.tests.conftest import make_series

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=JST)  # a Monday


def dates(series, start=date(2026, 11, 1), end=date(2026, 12, 31)):
    return list(occurrence_dates(series, start, end))


def test_it_repeats_weekly_on_the_weekday(db):
    series = make_series(weekday=6)  # Sunday
    assert dates(series, end=date(2026, 11, 30)) == [
        date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15), date(2026, 11, 22),
        date(2026, 11, 29),
    ]  # fmt: skip


def test_it_repeats_every_other_week_counting_from_the_first_date(db):
    series = make_series(frequency="biweekly", weekday=2, starts_on=date(2026, 11, 4))
    assert dates(series, start=date(2026, 11, 10), end=date(2026, 12, 10)) == [
        date(2026, 11, 18), date(2026, 12, 2),
    ]  # fmt: skip


def test_it_repeats_monthly_on_the_nth_or_last_weekday(db):
    second_tuesday = make_series(slug="m2", frequency="monthly", weekday=1, week_of_month=2)
    last_friday = make_series(slug="m5", frequency="monthly", weekday=4, week_of_month=5)
    assert dates(second_tuesday) == [date(2026, 11, 10), date(2026, 12, 8)]
    assert dates(last_friday) == [date(2026, 11, 27), date(2026, 12, 25)]


def test_it_stops_at_the_series_end(db):
    series = make_series(ends_on=date(2026, 11, 10))
    assert dates(series) == [date(2026, 11, 1), date(2026, 11, 8)]


def test_it_generates_sessions_eight_weeks_ahead_in_japan_time_once(db):
    series = make_series(weekday=6, capacity=100, venue_url="https://zoom.example.jp/j/1")
    created = generate_sessions(series, now=NOW)
    assert len(created) == 8
    first = Event.objects.filter(series=series).order_by("starts_at").first()
    assert first is not None
    assert first.starts_at == datetime(2026, 11, 8, 21, 0, tzinfo=JST)
    assert first.ends_at - first.starts_at == timedelta(hours=1)
    assert (first.capacity, first.venue_url) == (100, "https://zoom.example.jp/j/1")
    assert generate_sessions(series, now=NOW) == []  # idempotent
    assert Event.objects.filter(series=series).count() == 8


def test_it_never_regenerates_a_moved_or_cancelled_session(db):
    series = make_series()
    generate_sessions(series, now=NOW)
    first = Event.objects.filter(series=series).order_by("starts_at").first()
    assert first is not None
    first.starts_at += timedelta(days=1)
    first.ends_at += timedelta(days=1)
    first.save()
    Event.objects.filter(series=series).exclude(pk=first.pk).update(status="cancelled")
    assert generate_sessions(series, now=NOW) == []


def test_it_catches_up_from_the_periodic_job_for_every_active_series(db):
    make_series()
    make_series(slug="paused", is_active=False)
    # The 説明会 series from the data migration is generated too.
    made = generate_all_sessions(NOW)
    assert Event.objects.filter(series__slug="briefing").exists()
    assert not Event.objects.filter(series__slug="paused").exists()
    assert made == Event.objects.count()
    assert generate_all_sessions(NOW) == 0


def test_it_knows_the_next_occurrence_before_sessions_exist(db):
    series = make_series(weekday=4, start_time=time(21, 0))
    friday = datetime(2026, 11, 6, 21, 0, tzinfo=JST)
    assert next_occurrence(series, NOW) == friday
    # During the session it is still "next"; once it ends, the following Friday is.
    assert next_occurrence(series, friday + timedelta(minutes=30)) == friday
    assert next_occurrence(series, friday + timedelta(hours=1)) == friday + timedelta(days=7)


def test_it_knows_japanese_public_holidays():
    assert holiday_name(date(2026, 11, 23)) == "勤労感謝の日"
    assert holiday_name(date(2026, 11, 24)) is None
    # 2026-11-22 15:30 UTC is already the 23rd in Japan.
    assert holiday_name(datetime.fromisoformat("2026-11-22T15:30:00+00:00")) == "勤労感謝の日"
