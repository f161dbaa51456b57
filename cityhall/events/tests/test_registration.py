from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.events.models import Registration, RegistrationAnswer, RegistrationQuestion
from cityhall.events.tests.conftest import make_event

VENUE = "https://zoom.example.jp/j/123?pwd=secret"


def register(client, event, data=None):
    return client.post(reverse("events:register", args=[event.pk]), data or {}, follow=True)


def page(client, event) -> str:
    return client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_it_confirms_a_seat_and_mails_the_member(
    as_user, member, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(as_user(member), event)
    assert "申し込みました" in response.content.decode()
    registration = Registration.objects.get(event=event, user=member)
    assert registration.status == "confirmed"
    assert mail.outbox[0].to == [member.email]
    assert "申し込みを受け付けました" in mail.outbox[0].subject
    assert VENUE in mail.outbox[0].body  # unescaped, usable


def test_it_shows_the_venue_only_to_confirmed_registrants_and_hosts(
    as_user, member, outsider, staff, event
):
    assert VENUE.split("?")[0] not in page(as_user(member), event)
    register(as_user(member), event)
    assert VENUE.split("?")[0] in page(as_user(member), event)
    assert VENUE.split("?")[0] not in page(as_user(outsider), event)
    assert VENUE.split("?")[0] in page(as_user(staff), event)  # staff manage every event


def test_it_waitlists_when_full_and_promotes_in_order_when_a_seat_frees(
    as_user, member, outsider, leader, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    others = [testing.make_user(f"w{i}@city.example.lg.jp") for i in range(2)]
    register(as_user(member), event)
    for user in others:
        response = register(as_user(user), event)
    assert "キャンセル待ちに登録しました（2番目）" in response.content.decode()
    assert VENUE.split("?")[0] not in page(as_user(others[0]), event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        as_user(member).post(reverse("events:cancel_registration", args=[event.pk]))
    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {
        member.pk: "cancelled",
        others[0].pk: "confirmed",
        others[1].pk: "waitlisted",
    }
    assert [m.to for m in mail.outbox] == [[others[0].email]]
    assert "参加が確定しました" in mail.outbox[0].subject
    assert VENUE in mail.outbox[0].body


def test_it_refuses_a_second_registration(as_user, member, event):
    register(as_user(member), event)
    response = register(as_user(member), event)
    assert "すでにこの勉強会に申し込んでいます。" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_it_lets_a_member_register_again_after_cancelling(as_user, member, event):
    register(as_user(member), event)
    as_user(member).post(reverse("events:cancel_registration", args=[event.pk]))
    register(as_user(member), event)
    registration = Registration.objects.get(event=event, user=member)
    assert (registration.status, registration.position) == ("confirmed", 2)


def test_it_refuses_when_full_and_there_is_no_waitlist(as_user, member, outsider):
    event = make_event(capacity=1, waitlist_enabled=False)
    register(as_user(member), event)
    response = register(as_user(outsider), event)
    assert "満席のため、申し込みを締め切りました。" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "cancelled"}, "この勉強会は中止になったため、申し込みできません。"),
        ({"starts_in": -timedelta(hours=3)}, "この勉強会はすでに終了しています。"),
        ({"registration_closes_at_in": -timedelta(hours=1)}, "申し込みの受付は締め切りました。"),
        ({"registration_opens_at_in": timedelta(days=1)}, "申し込みの受付は"),
    ],
)
def test_it_explains_why_registration_is_not_possible(as_user, member, fields, message):
    now = timezone.now()
    if "registration_closes_at_in" in fields:
        fields = {"registration_closes_at": now + fields.pop("registration_closes_at_in")}
    if "registration_opens_at_in" in fields:
        fields = {"registration_opens_at": now + fields.pop("registration_opens_at_in")}
    event = make_event(**fields)
    assert message in page(as_user(member), event)  # said on the page, instead of the form
    response = register(as_user(member), event)
    assert message in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()


def test_it_asks_the_hosts_questions_and_keeps_what_was_typed(as_user, member, event):
    question = RegistrationQuestion.objects.create(
        event=event, label="聞きたいこと", kind="long", required=True
    )
    choice = RegistrationQuestion.objects.create(
        event=event, label="参加形式", kind="choice", choices="顔出しあり\n顔出しなし"
    )
    client = as_user(member)
    url = reverse("events:register", args=[event.pk])
    response = client.post(url, {f"q_{choice.pk}": "顔出しなし"})
    assert response.status_code == 400
    assert "このフィールドは必須です" in response.content.decode()
    assert 'value="顔出しなし" selected' in response.content.decode()
    client.post(url, {f"q_{question.pk}": "接種券の再発行", f"q_{choice.pk}": "顔出しなし"})
    answers = dict(RegistrationAnswer.objects.values_list("question__label", "answer"))
    assert answers == {"聞きたいこと": "接種券の再発行", "参加形式": "顔出しなし"}


def test_it_shows_seats_left_and_the_time_in_japan(as_user, member, event):
    register(as_user(member), event)
    html = page(as_user(member), event)
    assert "3 名（残り 2 席）" in html
    assert "（60分）" in html


def test_it_does_not_let_members_cancel_after_the_start(as_user, member):
    event = make_event(starts_in=timedelta(days=1))
    register(as_user(member), event)
    event.starts_at = timezone.now() - timedelta(minutes=10)
    event.save()
    response = as_user(member).post(
        reverse("events:cancel_registration", args=[event.pk]), follow=True
    )
    assert "開始後は申し込みを取り消せません。" in response.content.decode()
