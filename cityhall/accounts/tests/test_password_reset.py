from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.accounts.models import User, UserSession
from cityhall.accounts.tests.helpers import link_in
from cityhall.audit.models import AuditEntry
from cityhall.core.models import OutboundEmail

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a-brand-new-passphrase-42"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(email, **meta):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, **meta)

    return ask


def set_password_from(client, message, password=NEW_PASSWORD):
    response = client.get(link_in(message))  # Django moves the token into the session
    assert response.status_code == 302
    form_url = response["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_it_answers_the_same_for_unknown_addresses(ask, member):
    known = ask(member.email)
    unknown = ask("nobody@example.jp")
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1


def test_it_sends_the_mail_through_the_queue(ask, member):
    ask(member.email)
    queued = OutboundEmail.objects.get(to=member.email)
    assert queued.status == OutboundEmail.Status.SENT
    assert mail.outbox[0].subject == queued.subject
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_it_lets_a_member_set_a_new_password(ask, client, member):
    testing.sign_in(Client(), member)  # another device, ended by the reset
    ask(member.email)
    response = set_password_from(client, mail.outbox[0])
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert authenticate(email=member.email, password=NEW_PASSWORD) is not None
    assert not UserSession.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(
        action="accounts.password.changed", subject_user=member
    ).exists()


def test_it_lets_an_approved_member_without_a_password_set_one(ask, client, db):
    newcomer = testing.make_user("newcomer@city.example.lg.jp", password=None)
    assert not newcomer.has_usable_password()
    ask(newcomer.email)
    assert len(mail.outbox) == 1
    set_password_from(client, mail.outbox[0])
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.password.changed")
    assert entry.data == {"first_time": True}


def test_it_sends_applicants_a_sign_in_link_instead(ask, applicant):
    ask(applicant.email)
    message = mail.outbox[0]
    assert "/accounts/login/link/" in link_in(message)
    applicant.refresh_from_db()
    assert not applicant.has_usable_password()


def test_it_refuses_a_used_link(ask, client, member):
    ask(member.email)
    link = link_in(mail.outbox[0])
    set_password_from(client, mail.outbox[0])
    response = client.get(link, follow=True)
    body = response.content.decode()
    assert "すでに使われています" in body
    assert reverse("accounts:password_reset") in body


def test_it_checks_the_new_password_and_keeps_the_form(ask, client, member):
    ask(member.email)
    response = set_password_from(client, mail.outbox[0], password="12345")
    assert response.status_code == 200
    assert "field__error" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(testing.PASSWORD)


def test_it_does_not_mail_inactive_accounts(ask, member):
    User.objects.filter(pk=member.pk).update(is_active=False)
    ask(member.email)
    assert mail.outbox == []


@time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False)
def test_it_answers_a_flood_from_one_client_with_429_keeping_the_address(ask, member):
    for _ in range(3):
        assert ask(member.email).status_code == 302
    response = ask(member.email)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    body = response.content.decode()
    assert "再設定のお申し込みが続いたため" in body
    assert "12月1日 12:15 以降" in body  # in Japan's time
    assert f'value="{member.email}"' in body
    assert len(mail.outbox) == 3
    assert ask(member.email, REMOTE_ADDR="192.0.2.9").status_code == 302


def test_it_answers_a_flood_the_same_for_an_unknown_address(ask, member):
    for _ in range(3):
        ask("nobody@example.jp")
    response = ask("nobody@example.jp")
    assert response.status_code == 429
    assert "再設定のお申し込みが続いたため" in response.content.decode()


def test_it_limits_one_client_asking_for_many_addresses(ask, db):
    for n in range(20):
        assert ask(f"someone{n}@example.jp").status_code == 302
    assert ask("someone-else@example.jp").status_code == 429
