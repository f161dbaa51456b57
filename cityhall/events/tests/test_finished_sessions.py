"""A finished session reports how many attended and registered, never seats left."""

from datetime import timedelta

from django.urls import reverse

from cityhall.events.models import Attendance, Registration
from cityhall.events.tests.conftest import make_event


def page(client, event) -> str:
    return client.get(reverse("events:detail", args=[event.pk])).content.decode()


def register(event, user, position=1):
    return Registration.objects.create(
        event=event, user=user, status="confirmed", position=position
    )


def test_it_shows_attended_and_registered_for_a_finished_session(as_user, member, leader, staff):
    event = make_event(starts_in=-timedelta(days=2), capacity=200)
    register(event, member)
    register(event, leader, position=2)
    Attendance.objects.create(event=event, user=member, source="self")
    html = page(as_user(staff), event)
    assert "1 名が参加（申込 2 名）" in html
    assert "残り" not in html
    assert "定員" not in html


def test_it_shows_registrations_when_nobody_recorded_attendance(as_user, member):
    event = make_event(starts_in=-timedelta(days=2), capacity=200)
    register(event, member)
    html = page(as_user(member), event)
    assert "申込 1 名" in html
    assert "残り" not in html


def test_it_still_shows_seats_left_before_the_session(as_user, member):
    event = make_event(capacity=200)
    register(event, member)
    assert "200 名（残り 199 席）" in page(as_user(member), event)
