from datetime import date, datetime, time
from importlib import import_module

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from cityhall.core.jst import JST
from cityhall.events.briefing import BRIEFING_SLUG, briefing_attended, next_briefing
from cityhall.events.jobs import generate_all_sessions
from cityhall.events.models import Event, EventSeries
from cityhall.members.onboarding import checklist_for


def test_it_has_the_friday_briefing_series_in_a_fresh_install(db):
    series = EventSeries.objects.get(slug=BRIEFING_SLUG)
    assert (series.title, series.frequency, series.weekday) == ("説明会", "weekly", 4)
    assert (series.start_time, series.duration_minutes) == (time(21, 0), 60)
    assert series.created_by is None  # made before any staff account exists
    # A fixed Friday, not the day the migration ran: the rule is the same in every database.
    assert series.starts_on == date(2026, 1, 2) and series.starts_on.weekday() == 4


def test_it_moves_a_briefing_that_started_on_its_migration_day_to_the_fixed_friday(db):
    fix = import_module("cityhall.events.migrations.0005_briefing_fixed_start").forwards
    series = EventSeries.objects.get(slug=BRIEFING_SLUG)
    with time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=JST), tick=False):
        series.starts_on = date(2026, 11, 24)  # the day an install first migrated
        series.save(update_fields=["starts_on"])
        fix(apps, None)
        series.refresh_from_db()
        assert series.starts_on == date(2026, 1, 2)
        # A first date still to come was set by staff on purpose: it stays.
        series.starts_on = date(2027, 4, 2)
        series.save(update_fields=["starts_on"])
        fix(apps, None)
        series.refresh_from_db()
        assert series.starts_on == date(2027, 4, 2)


def test_it_offers_the_next_briefing_on_the_newcomer_checklist(as_user, member):
    generate_all_sessions(datetime.now(JST))
    session = next_briefing()
    assert session is not None
    assert session.starts_at.astimezone(JST).weekday() == 4
    row = next(r for r in checklist_for(member) if r.key == "orientation")
    assert "説明会に参加" in row.title
    assert row.state == "todo" and row.url == reverse("events:briefing")
    start = session.starts_at.astimezone(JST)
    assert f"{start.year}年{start.month}月{start.day}日" in row.description
    assert as_user(member).get(row.url).url == reverse("events:detail", args=[session.pk])


def test_it_shows_the_next_date_even_before_sessions_are_generated(as_user, member):
    row = next(r for r in checklist_for(member) if r.key == "orientation")
    assert "21:00〜22:00" in row.description
    assert as_user(member).get(reverse("events:briefing")).url == reverse(
        "events:series", args=[BRIEFING_SLUG]
    )


def test_it_does_not_tick_the_briefing_before_any_attendance(member):
    assert briefing_attended(member) is False


def test_it_loads_the_demo_vaccine_exchange_once(db, staff, member, settings):
    settings.DEBUG = True
    call_command("load_demo_events", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_events", stdout=open("/dev/null", "w"))  # noqa: SIM115
    vaccine = Event.objects.filter(series__slug="vaccine")
    now = datetime.now(JST)
    assert vaccine.filter(starts_at__lt=now).count() == 11
    assert vaccine.filter(starts_at__gt=now).count() == 1
    assert all(e.starts_at.astimezone(JST).weekday() == 6 for e in vaccine)
