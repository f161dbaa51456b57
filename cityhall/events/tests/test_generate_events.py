"""The benchmark generator makes consistent queues: never more confirmed than seats, a waitlist
only when full, positions 1…n, attendance only by the confirmed at sessions held."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cityhall.events.models import Attendance, Event, EventSeries, Registration


def generate(**options: object) -> str:
    out = StringIO()
    call_command("generate_events", force=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def community(db):
    call_command("generate_members", members=80, force=True, stdout=StringIO())


def test_it_fills_sessions_without_overbooking(community):
    generate(events=40, registrations=1200, seed=3)

    events = {e.pk: e for e in Event.objects.all()}
    assert len(events) == 40
    assert Registration.objects.count() == 1200
    assert Event.objects.filter(series__isnull=False).exists()
    assert Event.objects.filter(series__isnull=True).exists()
    assert Event.objects.filter(starts_at__gt=timezone.now()).exists()
    queues: dict[int, list[Registration]] = defaultdict(list)
    for registration in Registration.objects.order_by("event_id", "position"):
        queues[registration.event_id].append(registration)
    for event_id, queue in queues.items():
        event = events[event_id]
        assert [r.position for r in queue] == list(range(1, len(queue) + 1))
        assert len({r.user_id for r in queue}) == len(queue)
        statuses = [r.status for r in queue if r.status != Registration.Status.CANCELLED]
        confirmed = statuses.count(Registration.Status.CONFIRMED)
        if event.capacity is not None:
            assert confirmed <= event.capacity
        if Registration.Status.WAITLISTED in statuses:
            assert event.waitlist_enabled and confirmed == event.capacity
            # Promoted in order: every confirmed place is ahead of every waiting one.
            first_waiting = statuses.index(Registration.Status.WAITLISTED)
            assert Registration.Status.CONFIRMED not in statuses[first_waiting:]
    for attendance in Attendance.objects.select_related("event"):
        assert attendance.event.ends_at <= timezone.now()
        assert attendance.event.status == Event.Status.SCHEDULED
        assert Registration.objects.filter(
            event=attendance.event, user=attendance.user, status=Registration.Status.CONFIRMED
        ).exists()
    assert Attendance.objects.exists()


def test_it_is_decided_by_the_seed(community):
    generate(events=20, registrations=300, seed=5)
    first = list(Event.objects.order_by("starts_at", "title").values_list("title", "capacity"))
    Event.objects.all().delete()
    EventSeries.objects.exclude(slug="briefing").delete()

    generate(events=20, registrations=300, seed=5)

    assert (
        list(Event.objects.order_by("starts_at", "title").values_list("title", "capacity")) == first
    )


def test_it_refuses_a_database_with_events(community):
    generate(events=5, registrations=20)

    with pytest.raises(CommandError):
        generate(events=5, registrations=20)
