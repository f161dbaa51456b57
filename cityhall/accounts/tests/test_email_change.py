import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from cityhall import testing
from cityhall.accounts import tokens
from cityhall.accounts.tests.helpers import link_in
from cityhall.audit.models import AuditEntry

CHANGE = "/accounts/email/"
NEW = "new.address@city.example.lg.jp"


@pytest.fixture
def request_change(as_user, member, django_capture_on_commit_callbacks):
    client = as_user(member)

    def request_change(new_email=NEW, password=testing.PASSWORD):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(CHANGE, {"new_email": new_email, "password": password})

    return request_change


def confirm(link):
    return Client().post(link)


def test_it_asks_for_the_current_password(request_change, member):
    response = request_change(password="wrong")
    assert response.status_code == 200
    body = response.content.decode()
    assert "パスワードが正しくありません。" in body
    assert f'value="{NEW}"' in body
    assert mail.outbox == []


def test_it_refuses_the_current_address(request_change, member):
    response = request_change(new_email=member.email.upper())
    assert "現在と同じメールアドレスです。" in response.content.decode()


def test_it_sends_a_link_to_the_new_address_only(request_change, member):
    response = request_change()
    assert response["Location"] == "/accounts/email/sent/"
    assert [m.to for m in mail.outbox] == [[NEW]]
    member.refresh_from_db()
    assert member.email == "member@vill.sarufutsu.lg.jp"  # unchanged until the link is opened


def test_it_changes_the_address_when_the_link_is_confirmed(request_change, member):
    request_change(new_email="New.Address@City.Example.LG.JP")
    link = link_in(mail.outbox[0])
    assert "変更前" in Client().get(link).content.decode()  # GET changes nothing
    mail.outbox.clear()
    response = confirm(link)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == NEW
    assert member.email_verified
    entry = AuditEntry.objects.get(action="accounts.email.changed")
    assert entry.subject_user == member
    assert entry.data == {"old_email": "member@vill.sarufutsu.lg.jp", "new_email": NEW}


def test_it_tells_the_old_address(request_change, member, django_capture_on_commit_callbacks):
    request_change()
    link = link_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        confirm(link)
    notice = mail.outbox[-1]
    assert notice.to == ["member@vill.sarufutsu.lg.jp"]
    assert NEW in notice.body


def test_it_refuses_a_used_link(request_change, member):
    request_change()
    link = link_in(mail.outbox[0])
    confirm(link)
    again = confirm(link)
    assert again.status_code == 400
    assert "すでに使われています" in again.content.decode()


def test_it_refuses_a_link_superseded_by_a_newer_request(request_change, member):
    request_change()
    request_change(new_email="second@city.example.lg.jp")
    first, second = (link_in(m) for m in mail.outbox)
    response = confirm(first)
    assert response.status_code == 400
    assert "新しい変更の申し込みがあった" in response.content.decode()
    confirm(second)
    member.refresh_from_db()
    assert member.email == "second@city.example.lg.jp"


def test_it_refuses_an_expired_link(member):
    member.email_change_nonce = "abc"
    member.save()
    past = time.time() - settings.EMAIL_CHANGE_MAX_AGE - 5
    with mock.patch("django.core.signing.time.time", return_value=past):
        token = tokens.make_email_change_token(member, NEW)
    response = confirm(f"/accounts/email/confirm/{token}/")
    assert response.status_code == 400
    assert "有効期限が切れています" in response.content.decode()
    member.refresh_from_db()
    assert member.email != NEW


def test_it_refuses_an_address_taken_meanwhile(request_change, member, outsider):
    request_change(new_email="someone@example.jp")
    outsider.email = "SomeOne@Example.jp"
    outsider.save()
    response = confirm(link_in(mail.outbox[0]))
    assert response.status_code == 409
    assert "すでに別のアカウントで使われています" in response.content.decode()
    member.refresh_from_db()
    assert member.email == "member@vill.sarufutsu.lg.jp"


def test_it_does_not_reveal_a_taken_address_on_the_page(request_change, outsider):
    response = request_change(new_email=outsider.email.upper())
    assert response["Location"] == "/accounts/email/sent/"
    message = mail.outbox[0]
    assert message.to == [outsider.email]
    assert "すでに別のアカウントで使われている" in message.body
    assert "/accounts/email/confirm/" not in message.body


def test_it_audits_the_request(request_change, member):
    request_change()
    assert AuditEntry.objects.filter(
        action="accounts.email.change_requested", subject_user=member
    ).exists()
