from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cityhall.audit.models import AuditEntry
from cityhall.core.jst import JST
from cityhall.events.models import Event, EventHost, EventSeries, Registration, RegistrationQuestion
from cityhall.events.tests.conftest import make_event, make_series


def series_form(**overrides):
    data = {
        "title": "窓口DX 情報交換会", "slug": "madoguchi", "description": "毎週の情報交換",
        "organizer": "staff", "frequency": "weekly", "weekday": "2", "start_time": "20:00",
        "duration_minutes": "60", "starts_on": timezone.localdate().isoformat(),
        "capacity": "50", "venue_url": "https://zoom.example.jp/j/9", "is_active": "on",
        "hosts": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_it_lets_staff_create_a_series_that_generates_its_sessions(as_user, staff, member):
    response = as_user(staff).post(reverse("events:series_new"), series_form(hosts=member.email))
    series = EventSeries.objects.get(slug="madoguchi")
    assert response.url == reverse("events:series", args=["madoguchi"])
    sessions = Event.objects.filter(series=series)
    assert 8 <= sessions.count() <= 9
    assert all(e.starts_at.astimezone(JST).hour == 20 for e in sessions)
    assert EventHost.objects.filter(series=series, user=member).exists()
    assert AuditEntry.objects.filter(action="events.series.created").exists()


def test_it_lets_section_leaders_organise_only_for_their_section(as_user, leader, section):
    client = as_user(leader)
    response = client.post(reverse("events:series_new"), series_form(organizer="staff"))
    assert response.status_code == 200
    assert not EventSeries.objects.filter(slug="madoguchi").exists()
    client.post(reverse("events:series_new"), series_form(organizer="section", section=section.pk))
    assert EventSeries.objects.get(slug="madoguchi").section == section


def test_it_keeps_creation_from_ordinary_members(as_user, member):
    assert as_user(member).get(reverse("events:series_new")).status_code == 404
    assert as_user(member).get(reverse("events:new")).status_code == 404


def test_it_lets_named_hosts_and_section_leaders_manage_and_no_one_else(
    as_user, member, outsider, leader, section
):
    hosted = make_event()
    EventHost.objects.create(event=hosted, user=member)
    of_section = make_event(organizer="section", section=section)
    manage = lambda e: reverse("events:manage", args=[e.pk])  # noqa: E731
    assert as_user(member).get(manage(hosted)).status_code == 200
    assert as_user(outsider).get(manage(hosted)).status_code == 404
    assert as_user(leader).get(manage(of_section)).status_code == 200
    assert as_user(member).get(manage(of_section)).status_code == 404


def test_it_creates_a_one_off_event_in_japan_time(as_user, staff):
    response = as_user(staff).post(
        reverse("events:new"),
        {"title": "自治体DX特別講演", "organizer": "staff", "day": "2030-11-22",
         "start_time": "19:30", "duration_minutes": "90", "waitlist_enabled": "on",
         "capacity": "100", "materials": "スライド https://example.jp/slide.pdf", "hosts": ""},
    )  # fmt: skip
    event = Event.objects.get(title="自治体DX特別講演")
    assert response.url == reverse("events:manage", args=[event.pk])
    assert event.series is None
    assert event.starts_at == datetime(2030, 11, 22, 19, 30, tzinfo=JST)
    assert event.duration == timedelta(minutes=90)
    assert event.material_links() == [("スライド", "https://example.jp/slide.pdf")]


def test_it_flags_a_session_on_a_public_holiday_to_the_host(as_user, staff):
    event = make_event(starts_at=datetime(2030, 11, 4, 20, 0, tzinfo=JST))  # 振替休日
    html = as_user(staff).get(reverse("events:manage", args=[event.pk])).content.decode()
    assert "この日は祝日（文化の日 振替休日）です" in html


def registered(event, *users):
    for i, user in enumerate(users, start=1):
        Registration.objects.create(event=event, user=user, status="confirmed", position=i)


def test_it_moves_an_event_and_tells_everyone_registered(
    as_user, staff, member, outsider, django_capture_on_commit_callbacks
):
    event = make_event()
    registered(event, member, outsider)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(staff).post(
            reverse("events:move", args=[event.pk]),
            {"day": "2030-12-01", "start_time": "21:00", "duration_minutes": "60",
             "reason": "講師の都合"},
        )  # fmt: skip
    event.refresh_from_db()
    assert event.starts_at == datetime(2030, 12, 1, 21, 0, tzinfo=JST)
    assert event.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, outsider.email])
    assert "講師の都合" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="events.event.moved").exists()


def test_it_cancels_an_event_and_tells_everyone_registered(
    as_user, staff, member, django_capture_on_commit_callbacks
):
    event = make_event()
    registered(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(staff).post(reverse("events:cancel", args=[event.pk]), {"reason": "台風のため"})
    event.refresh_from_db()
    assert event.is_cancelled
    assert "中止のお知らせ" in mail.outbox[0].subject and "台風のため" in mail.outbox[0].body
    html = as_user(member).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "この勉強会は中止になりました。" in html
    assert "zoom.example.jp" not in html


def test_it_promotes_the_waitlist_when_hosts_add_seats(as_user, staff, member, outsider):
    event = make_event(capacity=1)
    registered(event, member)
    Registration.objects.create(event=event, user=outsider, status="waitlisted", position=2)
    as_user(staff).post(
        reverse("events:edit", args=[event.pk]),
        {"title": event.title, "capacity": "2", "waitlist_enabled": "on", "hosts": ""},
    )
    assert Registration.objects.get(user=outsider).status == "confirmed"


def test_it_adds_series_questions_asked_at_every_session(as_user, staff, member):
    series = make_series()
    as_user(staff).post(
        reverse("events:series_questions", args=[series.slug]),
        {"label": "取り上げてほしいテーマ", "kind": "long", "required": "on"},
    )
    question = RegistrationQuestion.objects.get()
    assert question.series == series
    session = make_event(series=series)
    html = as_user(member).get(reverse("events:detail", args=[session.pk])).content.decode()
    assert "取り上げてほしいテーマ" in html
    as_user(staff).post(reverse("events:question_delete", args=[question.pk]))
    assert not RegistrationQuestion.objects.exists()


@pytest.mark.parametrize("field", ["weekday", "start_time"])
def test_it_reschedules_future_sessions_nobody_registered_for(as_user, staff, member, field):
    as_user(staff).post(reverse("events:series_new"), series_form())
    series = EventSeries.objects.get(slug="madoguchi")
    kept = Event.objects.filter(series=series).order_by("starts_at").first()
    assert kept is not None
    registered(kept, member)
    change = {"weekday": "4"} if field == "weekday" else {"start_time": "21:30"}
    as_user(staff).post(reverse("events:series_edit", args=[series.slug]), series_form(**change))
    sessions = Event.objects.filter(series=series).exclude(pk=kept.pk)
    assert Event.objects.filter(pk=kept.pk).exists()
    local = [e.starts_at.astimezone(JST) for e in sessions]
    if field == "weekday":
        assert {t.weekday() for t in local} == {4}
    else:
        assert {(t.hour, t.minute) for t in local} == {(21, 30)}
