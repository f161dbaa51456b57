"""Limits on password sign-in: someone guessing is slowed down and stopped, the member is not.

Requests arrive as production sends them: from nginx on 127.0.0.1 (TRUSTED_PROXIES), with the
client's address in X-Forwarded-For, unless a test says otherwise.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client

from cityhall.accounts.device_cookie import COOKIE
from cityhall.accounts.tests.helpers import link_in
from cityhall.audit.models import AuditEntry
from cityhall.testing import PASSWORD

LOGIN = "/accounts/login/"
PAUSED = "少しお待ちいただいています"
WRONG = "メールアドレスまたはパスワードが正しくありません。"


@pytest.fixture(autouse=True)
def clock(settings):
    """Time stands still unless a test moves it, so that waits are exact. The counters live in
    an in-process cache here: Redis expires keys on its own clock, which a test cannot move."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    with time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller
    cache.clear()


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_IP_LIMIT = 100
    settings.LOGIN_FAILURE_WINDOW = 15 * 60
    settings.LOGIN_FAILURE_MAX_DELAY = 5 * 60
    return settings


def browser(address: str) -> Client:
    """A browser at `address`, reaching the site through nginx."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


def post_login(client, email, password=PASSWORD, **meta):
    return client.post(LOGIN, {"email": email, "password": password}, **meta)


@pytest.fixture
def phone(member):
    """The member's own phone: they signed in on it before (and signed out)."""
    phone = browser("198.51.100.10")
    assert post_login(phone, member.email).status_code == 302
    assert COOKIE in phone.cookies
    phone.post("/accounts/logout/")
    return phone


def assert_paused(response) -> int:
    """A 429 with the explanation; the seconds to wait."""
    assert response.status_code == 429
    assert PAUSED in response.content.decode()
    return int(response["Retry-After"])


# --- Guessing from one address ------------------------------------------------------------


def test_it_stops_one_client_after_five_wrong_passwords_for_an_address(member):
    attacker = browser("203.0.113.66")
    for _ in range(4):
        response = post_login(attacker, member.email, "wrong")
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    assert_paused(post_login(attacker, member.email, "wrong"))
    # Even the right password waits out the window, from this client.
    assert assert_paused(post_login(attacker, member.email)) == 15 * 60
    assert "_auth_user_id" not in attacker.session


def test_it_keeps_what_was_typed_but_the_password_and_offers_a_sign_in_link(member):
    attacker = browser("203.0.113.66")
    for _ in range(5):
        response = post_login(attacker, member.email, "secret-guess-123")
    body = response.content.decode()
    assert f'value="{member.email}"' in body
    assert "secret-guess-123" not in body
    assert 'action="/accounts/login/link/"' in body
    assert "ログイン用リンクをメールで受け取る" in body
    assert "にもう一度お試しください" in body


def test_a_flood_from_one_address_does_not_stop_the_member(member, phone):
    attacker = browser("203.0.113.66")
    for _ in range(30):
        response = post_login(attacker, member.email, "wrong")
    assert_paused(response)
    assert post_login(phone, member.email).status_code == 302
    # Without the cookie too: one client's flood only spaces out attempts for the account.
    assert post_login(browser("198.51.100.20"), member.email).status_code == 302


def test_it_answers_the_same_for_an_unknown_address(member):
    attacker = browser("203.0.113.66")
    for _ in range(5):
        unknown = post_login(attacker, "nobody@example.jp", "wrong")
        known = post_login(attacker, member.email, "wrong")
    assert unknown.status_code == known.status_code == 429
    assert unknown["Retry-After"] == known["Retry-After"]
    assert PAUSED in unknown.content.decode() and PAUSED in known.content.decode()


def test_it_audits_each_limit_once(member):
    attacker = browser("203.0.113.66")
    for _ in range(8):
        post_login(attacker, member.email, "wrong")
    entry = AuditEntry.objects.get(action="accounts.login.throttled")
    assert entry.subject_user == member
    assert entry.data["limit"] == "login-account-client"
    assert entry.data["ip"] == "203.0.113.66"


def test_it_forgets_this_clients_failures_after_a_success(member):
    client = browser("198.51.100.20")
    for _ in range(2):
        for _ in range(4):
            post_login(client, member.email, "wrong")
        assert post_login(client, member.email).status_code == 302
        client.post("/accounts/logout/")


# --- Guessing from many addresses ---------------------------------------------------------


def test_many_clients_guessing_various_accounts_do_not_stop_another_member(member, behind_nginx):
    behind_nginx.LOGIN_FAILURE_IP_LIMIT = 30  # as low as it once was: each client counts alone
    for n in range(40):
        attacker = browser(f"203.0.113.{n}")
        response = post_login(attacker, f"guess{n % 10}@example.jp", "wrong")
        assert response.status_code == 200, n
    assert post_login(browser("198.51.100.20"), member.email).status_code == 302


def test_a_distributed_flood_slows_the_account_down_without_locking_it(member, clock):
    for n in range(5):
        assert post_login(browser(f"203.0.113.{n}"), member.email, "wrong").status_code == 200
    waits = []
    for n in range(5, 10):
        assert post_login(browser(f"203.0.113.{n}"), member.email, "wrong").status_code == 200
        waits.append(assert_paused(post_login(browser("203.0.113.99"), member.email, "x")))
        clock.shift(waits[-1])
    assert waits == [2, 4, 8, 16, 32]
    for n in range(10, 20):  # the delay stops growing at LOGIN_FAILURE_MAX_DELAY
        clock.shift(300)
        post_login(browser(f"203.0.113.{n}"), member.email, "wrong")
    fresh = browser("198.51.100.20")
    assert assert_paused(post_login(fresh, member.email)) == 300
    clock.shift(300)
    assert post_login(fresh, member.email).status_code == 302


def test_a_distributed_flood_does_not_stop_the_member_on_their_own_device(member, phone):
    for n in range(30):
        post_login(browser(f"203.0.113.{n}"), member.email, "wrong")
    assert_paused(post_login(browser("203.0.113.99"), member.email, "wrong"))
    response = post_login(phone, member.email)
    assert response.status_code == 302
    assert phone.session["_auth_user_id"] == str(member.pk)


def test_from_a_new_device_the_member_gets_in_with_a_mailed_link(
    member, django_capture_on_commit_callbacks
):
    for n in range(30):
        post_login(browser(f"203.0.113.{n}"), member.email, "wrong")
    laptop = browser("198.51.100.30")
    assert_paused(post_login(laptop, member.email))
    with django_capture_on_commit_callbacks(execute=True):
        asked = laptop.post("/accounts/login/link/", {"email": member.email})
    assert asked["Location"] == "/accounts/login/link/sent/"
    response = laptop.post(link_in(mail.outbox[-1]))
    assert response.status_code == 302
    assert laptop.session["_auth_user_id"] == str(member.pk)
    # The laptop is now one of the member's devices.
    laptop.post("/accounts/logout/")
    assert post_login(laptop, member.email).status_code == 302


def test_a_device_cookie_spares_only_the_account_that_signed_in_on_it(member, outsider):
    shared = browser("198.51.100.40")
    assert post_login(shared, outsider.email).status_code == 302
    shared.post("/accounts/logout/")
    for n in range(30):
        post_login(browser(f"203.0.113.{n}"), member.email, "wrong")
    assert_paused(post_login(shared, member.email))


def test_a_forged_device_cookie_counts_for_nothing(member):
    for n in range(30):
        post_login(browser(f"203.0.113.{n}"), member.email, "wrong")
    forger = browser("203.0.113.99")
    forger.cookies[COOKIE] = f'{{"d":"x","u":[{member.pk}]}}'
    assert_paused(post_login(forger, member.email))


def test_a_member_mistyping_on_their_own_device_is_still_limited(member, phone):
    for _ in range(5):
        response = post_login(phone, member.email, "wrong")
    assert_paused(response)


# --- The safety net per client address ----------------------------------------------------


def test_it_stops_one_client_guessing_across_many_accounts(member, behind_nginx):
    behind_nginx.LOGIN_FAILURE_IP_LIMIT = 10
    sprayer = browser("203.0.113.66")
    for n in range(10):
        post_login(sprayer, f"guess{n}@example.jp", "wrong")
    assert_paused(post_login(sprayer, member.email))
    assert post_login(browser("198.51.100.20"), member.email).status_code == 302
    entry = AuditEntry.objects.get(action="accounts.login.throttled", data__limit="login-ip")
    assert entry.data["ip"] == "203.0.113.66"


def test_it_ignores_a_forwarded_address_from_an_untrusted_peer(member, behind_nginx):
    behind_nginx.LOGIN_FAILURE_IP_LIMIT = 10
    sprayer = Client(REMOTE_ADDR="192.0.2.66")
    for n in range(10):
        post_login(sprayer, f"guess{n}@example.jp", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = post_login(sprayer, member.email, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert_paused(response)
    entry = AuditEntry.objects.get(action="accounts.login.throttled")
    assert entry.data["ip"] == "192.0.2.66"


def test_a_client_cannot_hide_behind_a_made_up_forwarded_address(member, behind_nginx):
    """nginx appends the address it sees to whatever the client sent: only that last one counts."""
    behind_nginx.LOGIN_FAILURE_IP_LIMIT = 10
    for n in range(10):
        sprayer = browser(f"10.0.0.{n}, 203.0.113.66")
        post_login(sprayer, f"guess{n}@example.jp", "wrong")
    assert_paused(post_login(browser("10.9.9.9, 203.0.113.66"), member.email))


def test_the_member_signs_in_from_a_shared_office_address_on_their_own_device(
    member, phone, behind_nginx
):
    behind_nginx.LOGIN_FAILURE_IP_LIMIT = 10
    office = "198.51.100.10"  # the phone's address too
    for n in range(10):
        post_login(browser(office), f"colleague{n}@example.jp", "wrong")
    assert_paused(post_login(browser(office), member.email))
    assert post_login(phone, member.email).status_code == 302
