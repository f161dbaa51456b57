"""Hosts choose per series whether sessions falling on a public holiday (元日, 振替休日…) are
skipped or kept; new series skip them."""

import re
from datetime import date, datetime, time

import time_machine
from django.urls import reverse

from cityhall.core.jst import JST
from cityhall.events.briefing import briefing_series
from cityhall.events.models import Event, EventSeries
from cityhall.events.recurrence import generate_sessions
from cityhall.events.tests.conftest import make_series
from cityhall.events.tests.test_hosting import series_form

DECEMBER = datetime(2026, 12, 7, 9, 0, tzinfo=JST)  # a Monday; 2027-01-01 is a Friday
NEW_YEARS_DAY = date(2027, 1, 1)


def fridays(**fields):
    return make_series(
        slug="friday", weekday=4, start_time=time(21, 0), starts_on=date(2026, 12, 1), **fields
    )


def session_dates(series: EventSeries) -> list[date | None]:
    return list(
        Event.objects.filter(series=series)
        .order_by("starts_at")
        .values_list("occurrence_date", flat=True)
    )


def test_it_skips_new_years_day_for_a_series_that_skips_holidays(db):
    with time_machine.travel(DECEMBER, tick=False):
        series = fridays()
        generate_sessions(series)
    assert series.skip_holidays  # the default for a new series
    assert NEW_YEARS_DAY not in session_dates(series)
    assert date(2026, 12, 25) in session_dates(series)
    assert date(2027, 1, 8) in session_dates(series)


def test_it_keeps_holidays_for_a_series_that_keeps_them(db):
    with time_machine.travel(DECEMBER, tick=False):
        series = fridays(skip_holidays=False)
        generate_sessions(series)
    assert NEW_YEARS_DAY in session_dates(series)


def test_it_skips_holidays_for_the_friday_briefing(db):
    series = briefing_series()
    assert series is not None and series.skip_holidays
    with time_machine.travel(DECEMBER, tick=False):
        generate_sessions(series)
    assert NEW_YEARS_DAY not in session_dates(series)


def test_it_offers_the_choice_on_the_series_form_checked_for_a_new_series(as_user, staff):
    with time_machine.travel(DECEMBER, tick=False):
        html = as_user(staff).get(reverse("events:series_new")).content.decode()
    assert "祝日は休みにする" in html
    checkbox = re.search(r"<input[^>]*name=\"skip_holidays\"[^>]*>", html)
    assert checkbox and "checked" in checkbox.group(0)


def test_it_removes_an_unregistered_holiday_session_when_the_host_switches_to_skipping(
    as_user, staff
):
    with time_machine.travel(DECEMBER, tick=False):
        client = as_user(staff)
        form = series_form(slug="friday", weekday="4", starts_on="2026-12-01", start_time="21:00")
        client.post(reverse("events:series_new"), form)  # the box left unticked: keep holidays
        series = EventSeries.objects.get(slug="friday")
        assert not series.skip_holidays
        assert NEW_YEARS_DAY in session_dates(series)
        client.post(reverse("events:series_edit", args=["friday"]), {**form, "skip_holidays": "on"})
        series.refresh_from_db()
    assert series.skip_holidays
    assert NEW_YEARS_DAY not in session_dates(series)
    assert date(2027, 1, 8) in session_dates(series)
