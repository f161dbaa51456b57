import time
from datetime import UTC, datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cityhall.accounts import tokens
from cityhall.accounts.tests.helpers import link_in

LINK = "/accounts/login/link/"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(email, **meta):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(LINK, {"email": email}, **meta)

    return ask


def test_it_answers_the_same_whether_or_not_the_address_is_registered(ask, applicant):
    known = ask(applicant.email)
    unknown = ask("nobody@example.jp")
    assert known["Location"] == unknown["Location"] == reverse("accounts:login_link_sent")
    assert [m.to for m in mail.outbox] == [[applicant.email]]


def test_it_says_if_registered_a_link_was_sent(client, db):
    body = client.get(reverse("accounts:login_link_sent")).content.decode()
    assert "登録されている場合は" in body


def test_it_mails_a_sign_in_link_to_an_account_without_a_password(ask, applicant):
    ask(applicant.email.upper())
    message = mail.outbox[0]
    assert "ログイン用リンク" in message.subject
    assert link_in(message).startswith("/accounts/login/link/")
    assert "30分間" in message.body


def test_it_mails_members_with_a_password_a_link_too(ask, client, member):
    """Their way in while password sign-in is slowed down by someone guessing."""
    ask(member.email)
    response = client.post(link_in(mail.outbox[0]))
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_it_does_not_sign_in_on_get(client, applicant):
    url = reverse("accounts:login_link_use", args=[tokens.make_sign_in_token(applicant)])
    response = client.get(url)
    assert response.status_code == 200
    assert "ログインする" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_signs_an_applicant_in_and_shows_their_status(client, applicant):
    url = reverse("accounts:login_link_use", args=[tokens.make_sign_in_token(applicant)])
    response = client.post(url)
    assert response["Location"] == reverse("members:status")
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_it_works_from_the_mail(ask, client, rejected):
    ask(rejected.email)
    response = client.post(link_in(mail.outbox[0]))
    assert response["Location"] == reverse("members:status")


def test_it_works_only_once(client, applicant):
    url = reverse("accounts:login_link_use", args=[tokens.make_sign_in_token(applicant)])
    client.post(url)
    client.post("/accounts/logout/")
    again = client.post(url)
    assert again.status_code == 400
    body = again.content.decode()
    assert "すでに使われた" in body
    assert reverse("accounts:login_link") in body
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_expired_link_and_offers_a_new_one(client, applicant):
    past = time.time() - settings.SIGN_IN_LINK_MAX_AGE - 5
    with mock.patch("django.core.signing.time.time", return_value=past):
        token = tokens.make_sign_in_token(applicant)
    response = client.post(reverse("accounts:login_link_use", args=[token]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "有効期限が切れています" in body
    assert "新しいリンクを受け取る" in body
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_tampered_link(client, applicant):
    token = tokens.make_sign_in_token(applicant)
    response = client.get(reverse("accounts:login_link_use", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "リンクが正しくありません" in response.content.decode()


def test_it_asks_members_with_two_factor_for_their_code(client, member):
    member.set_unusable_password()
    member.two_factor_enabled = True
    member.save()
    url = reverse("accounts:login_link_use", args=[tokens.make_sign_in_token(member)])
    response = client.post(url)
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_it_limits_how_many_links_one_address_receives(ask, applicant):
    for n in range(8):
        assert ask(applicant.email, REMOTE_ADDR=f"192.0.2.{n}").status_code == 302
    assert len(mail.outbox) == 5


@time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False)
def test_it_answers_a_flood_from_one_client_with_429(ask, applicant):
    for _ in range(3):
        assert ask(applicant.email).status_code == 302
    response = ask(applicant.email)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    body = response.content.decode()
    assert "ログイン用リンクのお申し込みが続いたため" in body
    assert f'value="{applicant.email}"' in body
    assert len(mail.outbox) == 3
    # Another client is not held up.
    assert ask(applicant.email, REMOTE_ADDR="192.0.2.9").status_code == 302


@time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False)
def test_it_answers_a_flood_the_same_for_an_unknown_address(ask, applicant):
    for _ in range(3):
        ask(applicant.email)
        ask("nobody@example.jp")
    known, unknown = ask(applicant.email), ask("nobody@example.jp")
    assert known.status_code == unknown.status_code == 429
    assert known["Retry-After"] == unknown["Retry-After"]


def test_it_limits_one_client_asking_for_many_addresses(ask, db):
    for n in range(20):
        assert ask(f"someone{n}@example.jp").status_code == 302
    assert ask("someone-else@example.jp").status_code == 429
    assert ask("someone-else@example.jp", REMOTE_ADDR="192.0.2.9").status_code == 302
