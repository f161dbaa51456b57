import os
import subprocess
import sys
from binascii import unhexlify

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall import testing
from cityhall.accounts import actions
from cityhall.accounts.two_factor import qr_svg
from cityhall.accounts.two_factor_views import SETUP_KEY
from cityhall.audit.models import AuditEntry

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"
DISABLE = "/accounts/two-factor/disable/"


def code_for(key: str, offset: int = 0) -> str:
    return f"{totp(unhexlify(key), drift=offset):06d}"


def signed_in_without_code(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_device(user) -> TOTPDevice:
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled"])
    return TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)


@pytest.fixture(autouse=True)
def no_backoff(settings):
    """django-otp's own backoff would refuse a right code typed right after a wrong one."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- Setting up -----------------------------------------------------------------------------


def test_it_shows_a_qr_code_drawn_inline_and_the_secret(as_user, member):
    client = as_user(member)
    body = client.get(SETUP).content.decode()
    assert '<svg class="qr-code" role="img"' in body
    assert "<img" not in body
    key = client.session[SETUP_KEY]
    assert len(key) == 40
    assert 'class="secret"' in body


def test_it_draws_the_qr_code_without_calling_out():
    svg = qr_svg("otpauth://totp/x?secret=AAAA", "QR")
    assert svg.startswith('<svg class="qr-code" role="img" aria-label="QR"')
    assert "href" not in svg


def test_it_refuses_a_wrong_setup_code(as_user, member):
    client = as_user(member)
    client.get(SETUP)
    key = client.session[SETUP_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1000000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert "確認コードが正しくありません" in response.content.decode()
    member.refresh_from_db()
    assert not member.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_it_enables_two_factor_with_a_right_code(
    as_user, member, django_capture_on_commit_callbacks
):
    client = as_user(member)
    client.get(SETUP)
    key = client.session[SETUP_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"code": code_for(key)})
    assert response["Location"] == "/accounts/settings/"
    member.refresh_from_db()
    assert member.two_factor_enabled
    device = TOTPDevice.objects.get(user=member)
    assert device.confirmed and device.key == key
    assert AuditEntry.objects.filter(action="accounts.two_factor.enabled").count() == 1
    assert "二段階認証を有効にしました" in mail.outbox[0].subject
    # This session counts as verified: member pages open without asking again.
    assert client.get("/accounts/settings/").status_code == 200


def test_it_accepts_codes_typed_with_spaces_or_full_width_digits(as_user, member):
    client = as_user(member)
    client.get(SETUP)
    code = code_for(client.session[SETUP_KEY])
    typed = code[:3] + " " + code[3:].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    client.post(SETUP, {"code": typed})
    member.refresh_from_db()
    assert member.two_factor_enabled


def test_it_will_not_replace_a_device_before_the_code_is_given(member):
    add_device(member)
    client = signed_in_without_code(member)
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY + "?next=")


# --- Staff must use it ----------------------------------------------------------------------


def test_it_sends_staff_without_a_device_to_set_one_up(staff):
    client = signed_in_without_code(staff)
    first = client.get("/staff/")
    assert first["Location"] == VERIFY + "?next=%2Fstaff%2F"
    second = client.get(first["Location"])
    assert second["Location"] == SETUP + "?next=%2Fstaff%2F"
    assert client.get(second["Location"]).status_code == 200
    key = client.session[SETUP_KEY]
    done = client.post(SETUP, {"code": code_for(key), "next": "/staff/"})
    assert done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_it_asks_staff_with_a_device_for_a_code(staff):
    device = add_device(staff)
    client = signed_in_without_code(staff)
    assert client.get("/staff/")["Location"] == VERIFY + "?next=%2Fstaff%2F"
    page = client.get(VERIFY + "?next=/staff/")
    assert page.status_code == 200
    response = client.post(VERIFY, {"code": code_for(device.key), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_it_sends_htmx_fragments_nothing_until_the_code_is_given(staff):
    """The bell in the two-factor page's header must not receive the two-factor page itself
    (which has a bell of its own): pages are redirected, fragments get an empty answer."""
    add_device(staff)
    client = signed_in_without_code(staff)
    assert client.get("/notifications/bell/").status_code == 302
    assert client.get("/notifications/bell/", headers={"HX-Request": "true"}).status_code == 204
    anonymous = Client().get("/notifications/bell/", headers={"HX-Request": "true"})
    assert anonymous.status_code == 204


def test_it_refuses_a_wrong_code(staff):
    device = add_device(staff)
    client = signed_in_without_code(staff)
    wrong = f"{(int(code_for(device.key)) + 1) % 1000000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": "/staff/"})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    assert client.get("/staff/")["Location"].startswith(VERIFY)


def test_it_throttles_wrong_codes(staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    device = add_device(staff)
    client = signed_in_without_code(staff)
    for _ in range(4):
        client.post(VERIFY, {"code": "000000" if code_for(device.key) != "000000" else "111111"})
    response = client.post(VERIFY, {"code": code_for(device.key)})
    assert "一時的に受け付けを止めています" in response.content.decode()
    assert client.get("/staff/")["Location"].startswith(VERIFY)
    assert AuditEntry.objects.filter(action="accounts.two_factor.throttled").count() == 1


def test_it_lets_relaxed_staff_through_for_the_local_demo(staff, settings):
    settings.STAFF_2FA_RELAXED = True
    client = signed_in_without_code(staff)
    assert client.get("/staff/").status_code == 200


def test_it_refuses_to_start_with_relaxed_two_factor_outside_debug(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "STAFF_2FA_RELAXED": "1",
        "SECRET_KEY": "x",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    refused = subprocess.run(
        [sys.executable, "-c", "import cityhall.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "STAFF_2FA_RELAXED" in refused.stderr
    allowed = subprocess.run(
        [sys.executable, "-c", "import cityhall.settings"],
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert allowed.returncode == 0, allowed.stderr


# --- Optional for members -------------------------------------------------------------------


def test_it_does_not_ask_members_without_two_factor(as_user, member):
    client = as_user(member)
    assert client.get(VERIFY + "?next=/accounts/settings/")["Location"] == "/accounts/settings/"


def test_it_asks_members_who_turned_it_on_after_signing_in(client, member):
    device = add_device(member)
    response = client.post(
        "/accounts/login/", {"email": member.email, "password": testing.PASSWORD}
    )
    assert response["Location"].startswith(VERIFY)
    assert client.get("/accounts/settings/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device.key)})
    assert client.get("/accounts/settings/").status_code == 200


def test_it_lets_a_member_turn_it_off_with_a_code(member, django_capture_on_commit_callbacks):
    device = add_device(member)
    client = signed_in_without_code(member)
    client.post(VERIFY, {"code": code_for(device.key)})
    response = client.post(DISABLE, {"disable-code": "12345"})
    assert response["Location"] == SETUP
    member.refresh_from_db()
    assert member.two_factor_enabled
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DISABLE, {"disable-code": code_for(device.key, offset=1)})
    assert response["Location"] == "/accounts/settings/"
    member.refresh_from_db()
    assert not member.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor.disabled").count() == 1
    assert "無効にしました" in mail.outbox[-1].subject


def test_it_does_not_let_staff_turn_it_off(as_user, staff):
    client = as_user(staff)
    device = TOTPDevice.objects.get(user=staff)
    client.post(DISABLE, {"disable-code": code_for(device.key)})
    assert TOTPDevice.objects.filter(user=staff).exists()
    assert "無効にする" not in client.get(SETUP).content.decode()
    with pytest.raises(actions.AccountError):
        actions.do_disable_two_factor(staff, actor=staff)
