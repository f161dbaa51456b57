"""A real browser walks the joining path: apply → verify → approve → first sign-in.

Playwright drives Debian's Chromium (apt-get install chromium). In CI it is required; on a
developer machine without it the test is skipped with the reason.
"""

import os
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall import testing
from cityhall.accounts.models import User

# Playwright's sync API runs an event loop in this thread; the ORM calls below are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Sarufutsu-hotate-2026"


def phone(browser):
    return browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")


def link_in_last_mail(to: str) -> str:
    body = next(str(m.body) for m in reversed(mail.outbox) if to in m.to)
    link = re.search(r"https?://\S+", body)
    assert link is not None
    return link.group(0)


def test_it_takes_a_public_servant_from_application_to_first_sign_in(
    browser, live_server, settings
):
    settings.SITE_URL = live_server.url
    staff = testing.make_user("staff@pref.hokkaido.lg.jp", role=User.Role.STAFF)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    # 1. The applicant fills in the survey on a phone, choosing the organisation by type-ahead.
    applicant = phone(browser).new_page()
    applicant.goto(f"{live_server.url}/join/")
    applicant.fill("#id_family_name", "新家")
    applicant.fill("#id_given_name", "健太")
    applicant.fill("#id_family_name_kana", "しんや")
    applicant.fill("#id_given_name_kana", "ケンタ")
    applicant.locator("#id_organization").fill("さるふつ")
    applicant.get_by_role("option", name=re.compile("猿払村")).click()
    applicant.fill("#id_department", "企画政策課")
    applicant.fill("#id_email", "shinya@vill.sarufutsu.lg.jp")
    applicant.get_by_label("職場の同僚・知人から").check()
    applicant.fill("#id_introduction", "写真が好きです。庁内放送に興味があります。")
    applicant.get_by_label(re.compile("同意します")).check()
    applicant.get_by_role("button", name="申請する").click()
    applicant.wait_for_url(re.compile(r"/join/sent/"))

    # 2. The link in the mail confirms the address and shows the application's status.
    applicant.goto(link_in_last_mail("shinya@vill.sarufutsu.lg.jp"))
    confirm = applicant.get_by_role("button", name=re.compile("確認"))
    if confirm.count():  # a confirmation step guards against mail scanners following links
        confirm.first.click()
    applicant.wait_for_url(re.compile(r"/join/status/"))
    assert "審査待ち" in applicant.content()

    # 3. Staff sign in with their second factor and approve it from the review queue.
    desk = phone(browser).new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.fill("#id_email", staff.email)
    desk.fill("#id_password", testing.PASSWORD)
    desk.get_by_role("button", name="ログインする").click()
    desk.wait_for_url(re.compile(r"/accounts/two-factor/"))
    desk.fill("#id_code", f"{totp(device.bin_key):06d}")
    desk.get_by_role("button", name="確認する").click()
    desk.goto(f"{live_server.url}/staff/applications/")
    desk.get_by_role("link", name=re.compile("新家")).first.click()
    assert "vill.sarufutsu.lg.jp" in desk.content()
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="承認する").click()
    desk.wait_for_load_state()
    assert User.objects.get(email="shinya@vill.sarufutsu.lg.jp").status == User.Status.MEMBER

    # 4. The approval mail's link sets a password and opens the welcome checklist.
    newcomer = phone(browser).new_page()
    newcomer.goto(link_in_last_mail("shinya@vill.sarufutsu.lg.jp"))
    newcomer.fill("#id_new_password1", NEW_PASSWORD)
    newcomer.fill("#id_new_password2", NEW_PASSWORD)
    newcomer.get_by_role("button", name="パスワードを設定する").click()
    newcomer.wait_for_url(re.compile(r"/welcome/"))
    assert "説明会" in newcomer.content()

    # 5. Signing in again with the new password works.
    again = phone(browser).new_page()
    again.goto(f"{live_server.url}/accounts/login/")
    again.fill("#id_email", "shinya@vill.sarufutsu.lg.jp")
    again.fill("#id_password", NEW_PASSWORD)
    again.get_by_role("button", name="ログインする").click()
    again.wait_for_load_state()
    assert "/accounts/login/" not in again.url
    assert "新家" in again.content()
