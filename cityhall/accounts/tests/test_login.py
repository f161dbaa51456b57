import pytest
from django.urls import reverse

from cityhall.accounts.models import UserSession
from cityhall.testing import PASSWORD

LOGIN = "/accounts/login/"


def post_login(client, email, password=PASSWORD, next=None, **meta):
    data = {"email": email, "password": password, **({"next": next} if next else {})}
    return client.post(LOGIN, data, **meta)


def test_it_shows_the_sign_in_form(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="email"' in body and 'name="password"' in body
    assert reverse("accounts:login_link") in body
    assert reverse("accounts:password_reset") in body


def test_it_signs_a_member_in_by_email_case_insensitively(client, member):
    response = post_login(client, "Member@VILL.sarufutsu.lg.jp")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(member.pk)
    member.refresh_from_db()
    assert member.last_login is not None


def test_it_remembers_the_device_of_the_new_session(client, member):
    post_login(
        client,
        member.email,
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 "
        "like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
    )
    session = UserSession.objects.get(user=member)
    assert "iPhone" in session.user_agent
    assert session.ip_address == "127.0.0.1"


def test_it_records_the_address_a_trusted_proxy_gives(client, member, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    post_login(client, member.email, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert UserSession.objects.get(user=member).ip_address == "203.0.113.5"


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(client, member):
    wrong = post_login(client, member.email, "not-the-password")
    unknown = post_login(client, "nobody@example.jp", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    message = "メールアドレスまたはパスワードが正しくありません。"
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_keeps_what_was_typed_after_a_failure(client, member):
    response = post_login(client, member.email, "not-the-password")
    assert f'value="{member.email}"' in response.content.decode()


def test_it_sends_suspended_accounts_to_their_status_page(client, suspended):
    response = post_login(client, suspended.email, next="/staff/")
    assert response["Location"] == reverse("members:status")


def test_it_sends_applicants_with_a_password_to_their_status_page(client, applicant):
    applicant.set_password(PASSWORD)
    applicant.save()
    response = post_login(client, applicant.email)
    assert response["Location"] == reverse("members:status")


def test_it_sends_staff_to_the_second_factor_with_next(client, staff):
    response = post_login(client, staff.email, next="/staff/")
    assert response["Location"] == reverse("accounts:two_factor") + "?next=%2Fstaff%2F"


def test_it_follows_a_safe_next(client, member):
    response = post_login(client, member.email, next="/accounts/settings/?tab=1")
    assert response["Location"] == "/accounts/settings/?tab=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "javascript:alert(1)",
        "http://testserver.evil.example.com/",
        "///evil.example.com",
    ],
)
def test_it_ignores_a_next_pointing_elsewhere(client, member, target):
    response = post_login(client, member.email, next=target)
    assert response["Location"] == reverse("home")


def test_it_carries_next_through_the_form(client, db):
    response = client.get(LOGIN + "?next=/accounts/sessions/")
    assert 'name="next" value="/accounts/sessions/"' in response.content.decode()


def test_it_sends_a_signed_in_visitor_on(as_user, member):
    client = as_user(member)
    assert client.get(LOGIN)["Location"] == reverse("home")


def test_it_signs_out_by_post_only(as_user, member):
    client = as_user(member)
    assert client.get("/accounts/logout/").status_code == 405
    assert UserSession.objects.filter(user=member).count() == 1
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    assert not UserSession.objects.filter(user=member).exists()
