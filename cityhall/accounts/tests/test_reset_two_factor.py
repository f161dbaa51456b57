"""An admin resets the authenticator of someone who lost their phone: the old codes stop
working, every session ends, the person is mailed and sets up a new authenticator at their
next sign-in. Audited with the reason."""

from binascii import unhexlify
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall import testing
from cityhall.accounts import actions
from cityhall.accounts.models import User, UserSession
from cityhall.accounts.two_factor_views import SETUP_KEY
from cityhall.audit.models import AuditEntry

VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"
RESET = "accounts.two_factor.reset"
REASON = "本人から電話で依頼。機種変更で認証アプリを引き継げなかった。"
# 2026-03-02 10:15 in Tokyo.
MONDAY_MORNING = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)


def detail(user: User) -> str:
    return reverse("staff_members:detail", args=[user.pk])


def reset_url(user: User) -> str:
    return reverse("staff_members:reset_two_factor", args=[user.pk])


def add_device(user: User) -> TOTPDevice:
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled"])
    return TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)


def signed_in_with_code(user: User) -> Client:
    """A session of `user` that has passed the second factor."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def code_for(key: str) -> str:
    return f"{totp(unhexlify(key)):06d}"


@pytest.fixture
def admin(admin_user) -> Client:
    return testing.sign_in(Client(), admin_user)


@pytest.fixture
def lost_phone(member) -> User:
    """A member who turned two-factor on, then lost the phone with the authenticator."""
    add_device(member)
    return member


@pytest.fixture(autouse=True)
def no_backoff(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- The button ---------------------------------------------------------------------------


def test_admins_see_the_reset_with_a_confirmation_and_a_reason(admin, lost_phone):
    page = admin.get(detail(lost_phone)).content.decode()
    assert "二段階認証をリセット" in page
    assert reset_url(lost_phone) in page
    assert 'name="reason"' in page
    assert "新家 一郎 さんの二段階認証をリセットします。すべての端末からログアウトします。" in page
    assert "data-confirm=" in page


def test_staff_who_are_not_admins_do_not_see_it(as_user, staff, lost_phone):
    page = as_user(staff).get(detail(lost_phone)).content.decode()
    assert reset_url(lost_phone) not in page


def test_admins_are_not_offered_it_for_themselves_another_admin_or_no_device(
    admin, admin_user, member
):
    other_admin = testing.make_user("admin2@example.go.jp", role=User.Role.ADMIN)
    add_device(other_admin)
    for account in (admin_user, other_admin, member):  # member: no authenticator to reset
        assert reset_url(account) not in admin.get(detail(account)).content.decode()


# --- Resetting ------------------------------------------------------------------------------


def test_it_resets_ends_sessions_audits_and_mails(
    admin, admin_user, lost_phone, django_capture_on_commit_callbacks
):
    phone = signed_in_with_code(lost_phone)
    laptop = signed_in_with_code(lost_phone)
    assert phone.get("/accounts/settings/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reset_url(lost_phone), {"reason": REASON})
    assert response.url == detail(lost_phone)
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not UserSession.objects.filter(user=lost_phone).exists()
    for client in (phone, laptop):
        assert client.get("/accounts/settings/")["Location"].startswith("/accounts/login/")
    entry = AuditEntry.objects.get(action=RESET)
    assert (entry.actor, entry.subject_user, entry.data) == (
        admin_user,
        lost_phone,
        {"reason": REASON},
    )
    [message] = mail.outbox
    assert message.to == [lost_phone.email]
    assert "二段階認証をリセットしました" in message.subject
    assert "次にログインすると、新しい認証アプリの設定画面が表示されます。" in message.body
    assert REASON not in message.body  # the reason is staff's record
    page = admin.get(detail(lost_phone)).content.decode()
    assert "二段階認証をリセットしました" in page
    assert "再設定待ち（次回ログイン時に設定）" in page


def test_it_resets_a_staff_member_s_authenticator(admin, staff):
    add_device(staff)
    admin.post(reset_url(staff), {"reason": REASON})
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEntry.objects.filter(action=RESET, subject_user=staff).exists()


def test_the_page_shows_when_and_why_it_was_reset(admin, lost_phone):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        admin.post(reset_url(lost_phone), {"reason": REASON})
    page = admin.get(detail(lost_phone)).content.decode()
    assert "2段階認証のリセット" in page
    assert "2026年3月2日 10:15" in page
    assert REASON in page


# --- Who may not ----------------------------------------------------------------------------


def test_staff_who_are_not_admins_are_refused(as_user, staff, lost_phone):
    response = as_user(staff).post(reset_url(lost_phone), {"reason": REASON})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="管理者だけ"):
        actions.do_reset_two_factor(lost_phone, REASON, actor=staff)
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not AuditEntry.objects.filter(action=RESET).exists()


def test_members_are_refused(member, outsider):
    add_device(outsider)
    client = testing.sign_in(Client(), member)
    assert client.post(reset_url(outsider), {"reason": REASON}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.do_reset_two_factor(outsider, REASON, actor=member)
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_an_admin_may_not_reset_their_own(admin, admin_user):
    with pytest.raises(actions.AccountError, match="自分自身の二段階認証はリセットできません。"):
        actions.do_reset_two_factor(admin_user, REASON, actor=admin_user)
    response = admin.post(reset_url(admin_user), {"reason": REASON}, follow=True)
    assert "自分自身の二段階認証はリセットできません。" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert not AuditEntry.objects.filter(action=RESET).exists()


def test_an_admin_may_not_reset_another_admin_s(admin, admin_user):
    other_admin = testing.make_user("admin2@example.go.jp", role=User.Role.ADMIN)
    add_device(other_admin)
    response = admin.post(reset_url(other_admin), {"reason": REASON}, follow=True)
    assert "管理者の二段階認証はリセットできません。先に役割を変更してください。" in (
        response.content.decode()
    )
    assert TOTPDevice.objects.filter(user=other_admin).exists()
    assert not mail.outbox


def test_the_gate_refuses_visitors(client, lost_phone, db):
    response = client.post(reset_url(lost_phone), {"reason": REASON})
    assert response.url.startswith(reverse("accounts:login"))
    assert TOTPDevice.objects.filter(user=lost_phone).exists()


def test_it_takes_the_reset_by_post_only(admin, lost_phone):
    assert admin.get(reset_url(lost_phone)).status_code == 405
    assert TOTPDevice.objects.filter(user=lost_phone).exists()


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "リセットの理由を入力してください。"),
        ("   ", "リセットの理由を入力してください。"),
        ("あ" * 1001, "1000文字以内で入力してください（現在1001文字）。"),
    ],
)
def test_it_needs_a_reason(admin, lost_phone, reason, message):
    response = admin.post(reset_url(lost_phone), {"reason": reason}, follow=True)
    assert message in response.content.decode()
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not AuditEntry.objects.filter(action=RESET).exists()
    assert not mail.outbox


def test_the_action_needs_a_reason_too(admin_user, lost_phone):
    with pytest.raises(actions.AccountError, match="リセットの理由を入力してください。"):
        actions.do_reset_two_factor(lost_phone, "  ", actor=admin_user)
    assert TOTPDevice.objects.filter(user=lost_phone).exists()


def test_it_refuses_when_there_is_nothing_to_reset(admin, member):
    response = admin.post(reset_url(member), {"reason": REASON}, follow=True)
    assert "この方は認証アプリを登録していません。" in response.content.decode()
    assert not AuditEntry.objects.filter(action=RESET).exists()
    assert not mail.outbox


def test_a_refused_reset_leaves_the_sessions_alone(admin, lost_phone):
    phone = signed_in_with_code(lost_phone)
    admin.post(reset_url(lost_phone), {"reason": ""})
    assert phone.get("/accounts/settings/").status_code == 200


# --- The next sign-in -----------------------------------------------------------------------


def sign_in_with_password(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"email": user.email, "password": testing.PASSWORD})
    assert response.status_code == 302
    return client


def set_up_new_authenticator(client: Client, next_url: str) -> None:
    key = client.session[SETUP_KEY]
    done = client.post(SETUP, {"code": code_for(key), "next": next_url})
    assert done["Location"] == next_url


def test_a_member_sets_up_a_new_authenticator_at_the_next_sign_in(admin_user, lost_phone):
    actions.do_reset_two_factor(lost_phone, REASON, actor=admin_user)
    client = sign_in_with_password(lost_phone)
    first = client.get("/accounts/settings/")
    assert first["Location"].startswith(VERIFY)
    second = client.get(first["Location"])
    assert second["Location"].startswith(SETUP)
    page = client.get(second["Location"]).content.decode()
    assert "二段階認証がリセットされました。新しい認証アプリを設定してください。" in page
    assert '<svg class="qr-code"' in page
    set_up_new_authenticator(client, "/accounts/settings/")
    assert client.get("/accounts/settings/").status_code == 200
    assert TOTPDevice.objects.filter(user=lost_phone).count() == 1


def test_staff_set_up_a_new_authenticator_at_the_next_sign_in(admin_user, staff):
    add_device(staff)
    actions.do_reset_two_factor(staff, REASON, actor=admin_user)
    client = sign_in_with_password(staff)
    assert client.get("/staff/")["Location"] == VERIFY + "?next=%2Fstaff%2F"
    assert client.get(VERIFY + "?next=/staff/")["Location"] == SETUP + "?next=%2Fstaff%2F"
    page = client.get(SETUP + "?next=/staff/").content.decode()
    assert "運営事務局の方は、二段階認証の設定が必要です。" in page
    set_up_new_authenticator(client, "/staff/")
    assert client.get("/staff/").status_code == 200


def test_the_old_authenticator_s_codes_no_longer_work(admin_user, lost_phone):
    old_key = TOTPDevice.objects.get(user=lost_phone).key
    actions.do_reset_two_factor(lost_phone, REASON, actor=admin_user)
    client = sign_in_with_password(lost_phone)
    client.post(VERIFY, {"code": code_for(old_key), "next": "/accounts/settings/"})
    assert client.get("/accounts/settings/")["Location"].startswith(VERIFY)
