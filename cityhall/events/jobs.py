"""The events app's periodic jobs (cityhall/core/periodic.py). Both are idempotent and catch up
after downtime: generation fills whatever is missing up to the horizon, and each reminder is
claimed on its registration row before it is mailed."""

from datetime import datetime, timedelta

from cityhall.core.periodic import periodic
from cityhall.events.actions import do_send_due_reminders
from cityhall.events.models import EventSeries
from cityhall.events.recurrence import generate_sessions


@periodic("events.generate_sessions", every=timedelta(hours=1))
def generate_all_sessions(now: datetime) -> int:
    return sum(len(generate_sessions(s, now=now)) for s in EventSeries.objects.active())


@periodic("events.send_reminders", every=timedelta(minutes=5))
def send_reminders(now: datetime) -> int:
    return do_send_due_reminders(now=now)
