from django.core import mail
from django.test import Client

from cityhall import testing
from cityhall.accounts.models import UserSession
from cityhall.audit.models import AuditEntry

CHANGE = "/accounts/password/"
NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_it_changes_the_password_with_the_old_one(
    as_user, member, django_capture_on_commit_callbacks
):
    client = as_user(member)
    other = testing.sign_in(Client(), member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGE,
            {
                "old_password": testing.PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    assert response["Location"] == "/accounts/settings/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    # This device stays signed in; the other one is signed out.
    assert client.get("/accounts/settings/").status_code == 200
    assert other.get("/accounts/settings/")["Location"].startswith("/accounts/login/")
    assert UserSession.objects.filter(user=member).count() == 1
    assert AuditEntry.objects.filter(action="accounts.password.changed").count() == 1
    assert "パスワードを変更しました" in mail.outbox[0].subject


def test_it_refuses_a_wrong_old_password(as_user, member):
    client = as_user(member)
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "現在のパスワードが正しくありません。" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(testing.PASSWORD)


def test_it_lets_a_member_without_a_password_set_a_first_one(as_user, db):
    newcomer = testing.make_user("newcomer@city.example.lg.jp", password=None)
    client = as_user(newcomer)
    page = client.get(CHANGE).content.decode()
    assert "old_password" not in page
    client.post(CHANGE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_it_is_for_members_only(client, db):
    assert client.get(CHANGE)["Location"].startswith("/accounts/login/")
