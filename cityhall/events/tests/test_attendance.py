from datetime import timedelta

import pytest
from django.urls import reverse

from cityhall.audit.models import AuditEntry
from cityhall.events.briefing import BRIEFING_SLUG, briefing_attended
from cityhall.events.models import Attendance, EventSeries, Registration
from cityhall.events.tests.conftest import join, make_event
from cityhall.members.onboarding import checklist_for

VENUE = "https://zoom.example.jp/j/123"


def confirm(event, user, status="confirmed"):
    return Registration.objects.create(event=event, user=user, status=status, position=1)


def check_in(client, event):
    return client.post(reverse("events:check_in", args=[event.pk]), follow=True)


def test_it_checks_in_a_confirmed_registrant_from_15_minutes_before_the_start(as_user, member):
    event = make_event(starts_in=timedelta(minutes=10))
    confirm(event, member)
    html = as_user(member).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "出席を登録する" in html
    assert "出席を登録しました" in check_in(as_user(member), event).content.decode()
    row = Attendance.objects.get(event=event, user=member)
    assert row.source == "self"
    html = check_in(as_user(member), event).content.decode()
    assert "すでに出席登録しています" in html
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize(
    ("starts_in", "message"),
    [
        (timedelta(minutes=20), "開始の15分前から"),
        (-timedelta(hours=2), "終了したため"),
    ],
)
def test_it_refuses_check_in_outside_the_window(as_user, member, starts_in, message):
    event = make_event(starts_in=starts_in)
    confirm(event, member)
    assert message in check_in(as_user(member), event).content.decode()
    assert not Attendance.objects.exists()


def test_it_refuses_check_in_at_a_cancelled_session(as_user, member):
    event = make_event(starts_in=timedelta(minutes=5), status="cancelled")
    confirm(event, member)
    assert "中止になりました" in check_in(as_user(member), event).content.decode()
    assert not Attendance.objects.exists()


def test_it_refuses_walk_ins_unless_the_host_allows_them(as_user, member, outsider):
    event = make_event(starts_in=timedelta(minutes=5), venue_url=VENUE)
    confirm(event, outsider, status="waitlisted")
    for user in (member, outsider):
        assert "参加が確定した方だけ" in check_in(as_user(user), event).content.decode()
    event.walk_ins = True
    event.save()
    html = check_in(as_user(member), event).content.decode()
    assert "出席を登録しました" in html and VENUE in html  # a walk-in then sees the venue


def test_it_refuses_walk_ins_when_the_session_is_full(as_user, member, outsider):
    event = make_event(starts_in=timedelta(minutes=5), capacity=1, walk_ins=True)
    confirm(event, outsider)
    assert "満席のため" in check_in(as_user(member), event).content.decode()
    assert check_in(as_user(outsider), event).status_code == 200
    assert list(Attendance.objects.values_list("user", flat=True)) == [outsider.pk]


def test_it_answers_404_to_outsiders_of_a_closed_section(as_user, outsider, closed_section):
    event = make_event(
        starts_in=timedelta(minutes=5), organizer="section", section=closed_section, walk_ins=True
    )
    assert as_user(outsider).post(reverse("events:check_in", args=[event.pk])).status_code == 404
    url = reverse("events:attendance_mark", args=[event.pk])
    assert as_user(outsider).post(url, {"present": [outsider.pk]}).status_code == 404
    assert not Attendance.objects.exists()


def test_it_lets_hosts_mark_attendance_by_hand(as_user, member, outsider, leader, staff):
    event = make_event(starts_in=-timedelta(minutes=30))
    for user in (member, outsider, leader):
        confirm(event, user)
    Attendance.objects.create(event=event, user=leader, source="self")
    manage = as_user(staff).get(reverse("events:manage", args=[event.pk])).content.decode()
    assert f'name="present" value="{leader.pk}" checked' in manage
    url = reverse("events:attendance_mark", args=[event.pk])
    listed = [member.pk, outsider.pk, leader.pk]
    as_user(staff).post(url, {"listed": listed, "present": [member.pk, outsider.pk]})
    assert set(Attendance.objects.values_list("user", flat=True)) == {member.pk, outsider.pk}
    assert Attendance.objects.get(user=member).source == "host"
    entry = AuditEntry.objects.get(action="events.attendance.marked")
    assert entry.data == {"added": 2, "removed": 1}


def test_it_keeps_attendance_marks_for_hosts_only_and_not_before_the_window(as_user, member, staff):
    event = make_event(starts_in=timedelta(hours=2))
    confirm(event, member)
    url = reverse("events:attendance_mark", args=[event.pk])
    data = {"listed": [member.pk], "present": [member.pk]}
    assert as_user(member).post(url, data).status_code == 404
    response = as_user(staff).post(url, data, follow=True)
    assert "開始の15分前から記録" in response.content.decode()
    assert not Attendance.objects.exists()


def test_it_ticks_the_briefing_item_when_a_newcomer_attended(member):
    series = EventSeries.objects.get(slug=BRIEFING_SLUG)
    other = make_event(starts_in=-timedelta(days=2))
    Attendance.objects.create(event=other, user=member, source="host")
    assert briefing_attended(member) is False
    session = make_event(starts_in=-timedelta(days=1), series=series, title="説明会")
    Attendance.objects.create(event=session, user=member, source="report")
    assert briefing_attended(member) is True
    row = next(r for r in checklist_for(member) if r.key == "orientation")
    assert row.state == "done"


def test_it_lets_a_section_leader_record_attendance_of_the_sections_event(
    as_user, member, leader, section
):
    event = make_event(starts_in=-timedelta(minutes=5), organizer="section", section=section)
    join(section, member)
    confirm(event, member)
    url = reverse("events:attendance_mark", args=[event.pk])
    as_user(leader).post(url, {"listed": [member.pk], "present": [member.pk]})
    assert Attendance.objects.filter(user=member).exists()
