import pytest
from django.test import override_settings
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.members import tokens
from cityhall.members.actions import do_approve_application
from cityhall.members.tests.joining_helpers import pending_application

PASSWORD = "hokkaido-sarufutsu-2026"


@pytest.fixture
def approved(staff):
    application = pending_application()
    do_approve_application(application, actor=staff)
    return User.objects.get(pk=application.user_id)


def activate_url(user: User) -> str:
    return reverse("members:activate", args=[tokens.activation_token(user)])


def test_it_asks_the_approved_member_for_a_password(client, approved):
    page = client.get(activate_url(approved)).content.decode()
    assert "パスワードを設定して参加を完了する" in page
    assert approved.email in page


def test_it_sets_the_password_signs_in_and_welcomes(client, approved):
    response = client.post(
        activate_url(approved), {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.url == reverse("members:welcome")
    approved.refresh_from_db()
    assert approved.check_password(PASSWORD)
    assert AuditEntry.objects.filter(
        action="members.account.activated", subject_user=approved
    ).exists()
    welcome = client.get(reverse("members:welcome"))
    assert welcome.status_code == 200
    assert welcome.context["user"] == approved


def test_it_applies_the_password_rules_in_japanese(client, approved):
    response = client.post(
        activate_url(approved), {"new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "このパスワードは短すぎます" in page
    assert "数字しか使われていません" in page
    response = client.post(
        activate_url(approved), {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"}
    )
    assert "確認用のパスワードが一致しません。" in response.content.decode()
    approved.refresh_from_db()
    assert not approved.has_usable_password()


def test_it_works_only_once(client, approved):
    url = activate_url(approved)
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    for response in (
        client.get(url),
        client.post(
            url, {"new_password1": "another-long-pass-1", "new_password2": "another-long-pass-1"}
        ),
    ):
        assert response.status_code == 200
        assert "このリンクは使用済みです" in response.content.decode()
    approved.refresh_from_db()
    assert approved.check_password(PASSWORD)


@override_settings(ACTIVATION_MAX_AGE=-1)
def test_it_points_an_expired_link_to_password_reset(client, approved):
    response = client.get(activate_url(approved))
    page = response.content.decode()
    assert "有効期限が切れています" in page
    assert reverse("accounts:password_reset") in page
    client.post(activate_url(approved), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    approved.refresh_from_db()
    assert not approved.has_usable_password()


def test_it_refuses_a_tampered_link(client, approved):
    token = tokens.activation_token(approved)
    for bad in (token[:-3] + "abc", "x", tokens.verification_token(approved.applications.get())):
        response = client.get(reverse("members:activate", args=[bad]))
        assert response.status_code == 400


def test_it_does_not_activate_someone_who_is_not_a_member(client, applicant):
    response = client.get(activate_url(applicant))
    assert response.status_code == 400
    assert not applicant.has_usable_password()
