"""Pressing 申し込む twice (a double tap, a retry after the connection dropped) registers once
and answers the second press like the first."""

import uuid

from django.core import mail
from django.urls import reverse

from cityhall.events.models import Registration


def register(client, event, data):
    return client.post(reverse("events:register", args=[event.pk]), data, follow=True)


def test_the_registration_form_carries_a_key(as_user, member, event):
    html = as_user(member).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert 'type="hidden" name="submission_key"' in html


def test_it_registers_once_when_the_form_is_sent_twice(
    as_user, member, event, django_capture_on_commit_callbacks
):
    client = as_user(member)
    data = {"submission_key": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first, second = register(client, event, data), register(client, event, data)
    assert first.redirect_chain == second.redirect_chain
    assert "申し込みました" in first.content.decode()
    assert "申し込みました" in second.content.decode()
    assert "すでにこの勉強会に申し込んでいます" not in second.content.decode()
    assert Registration.objects.get().user == member
    assert len(mail.outbox) == 1


def test_without_a_key_the_second_press_is_refused_as_before(as_user, member, event):
    client = as_user(member)
    register(client, event, {})
    second = register(client, event, {})
    assert "すでにこの勉強会に申し込んでいます" in second.content.decode()
    assert Registration.objects.count() == 1


def test_a_key_never_reaches_another_members_registration(as_user, member, leader, event):
    key = str(uuid.uuid4())
    register(as_user(member), event, {"submission_key": key})
    register(as_user(leader), event, {"submission_key": key})
    assert set(Registration.objects.values_list("user", flat=True)) == {member.pk, leader.pk}


def test_it_refuses_a_malformed_key_with_a_message(as_user, member, event):
    response = as_user(member).post(
        reverse("events:register", args=[event.pk]), {"submission_key": "abc"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "送信キーが正しくない" in html and 'value="abc"' not in html
    assert not Registration.objects.exists()
