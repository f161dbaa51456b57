from datetime import timedelta

from django.core import mail
from django.utils import timezone

from cityhall.events.actions import do_send_due_reminders
from cityhall.events.hosting import do_move_event
from cityhall.events.models import Registration
from cityhall.events.tests.conftest import make_event


def confirmed(event, user, ago=timedelta(days=5)) -> Registration:
    return Registration.objects.create(
        event=event, user=user, status="confirmed", position=1,
        confirmed_at=timezone.now() - ago,
    )  # fmt: skip


def subjects() -> list[str]:
    return [str(m.subject) for m in mail.outbox]


def test_it_sends_the_day_before_and_hour_before_reminders_once_each(
    member, django_capture_on_commit_callbacks
):
    now = timezone.now()
    event = make_event(starts_at=now + timedelta(days=2))
    confirmed(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_send_due_reminders(now=now) == 0
        assert do_send_due_reminders(now=now + timedelta(hours=25)) == 1
        assert do_send_due_reminders(now=now + timedelta(hours=26)) == 0
        assert do_send_due_reminders(now=now + timedelta(hours=47, minutes=5)) == 1
        assert do_send_due_reminders(now=now + timedelta(hours=47, minutes=30)) == 0
    assert len(mail.outbox) == 2
    assert "明日開催" in mail.outbox[0].subject and "まもなく開始" in mail.outbox[1].subject
    assert "https://zoom.example.jp/j/123?pwd=secret" in mail.outbox[1].body


def test_it_catches_up_after_downtime_but_never_after_the_start(member, outsider):
    now = timezone.now()
    event = make_event(starts_at=now + timedelta(hours=30))
    confirmed(event, member)
    # Down for the whole day-before window and into the last hour: only the hour reminder.
    assert do_send_due_reminders(now=now + timedelta(hours=29, minutes=30)) == 1
    registration = Registration.objects.get(user=member)
    assert registration.reminded_hour_at is not None and registration.reminded_day_at is None
    # Down until after the start: nothing at all for a session already under way.
    late = make_event(starts_at=now + timedelta(hours=2))
    confirmed(late, outsider)
    assert do_send_due_reminders(now=now + timedelta(hours=2, minutes=1)) == 0


def test_it_skips_cancelled_events_waitlisted_and_late_registrants(member, outsider, staff):
    now = timezone.now()
    cancelled = make_event(starts_at=now + timedelta(hours=20), status="cancelled")
    confirmed(cancelled, member)
    event = make_event(starts_at=now + timedelta(hours=20))
    Registration.objects.create(event=event, user=outsider, status="waitlisted", position=1)
    confirmed(event, staff, ago=timedelta(hours=1))  # registered after "the day before" came
    assert do_send_due_reminders(now=now) == 0
    assert Registration.objects.get(event=event, user=staff).reminded_day_at is not None


def test_it_sends_the_reminders_again_after_a_move(
    member, staff, django_capture_on_commit_callbacks
):
    now = timezone.now()
    event = make_event(starts_at=now + timedelta(hours=20))
    confirmed(event, member)
    assert do_send_due_reminders(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        do_move_event(
            event, starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=1),
            actor=staff,
        )  # fmt: skip
    assert "日時が変更になりました" in mail.outbox[-1].subject
    assert do_send_due_reminders(now=now + timedelta(days=2, hours=1)) == 1
