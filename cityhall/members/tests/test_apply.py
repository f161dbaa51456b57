import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.core.models import OutboundEmail
from cityhall.members.models import MembershipApplication
from cityhall.members.tests.joining_helpers import (
    BROKEN_MAIL,
    some_duties,
    survey,
)

APPLY = reverse("members:apply")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(data, **meta):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(APPLY, data, **meta)

    return post


def test_it_shows_the_survey_with_a_submission_key_and_the_policy_version(client, db):
    page = client.get(APPLY).content.decode()
    assert 'name="submission_key"' in page
    assert 'name="family_name_kana"' in page
    assert settings.POLICY_VERSION in page
    assert reverse("members:rules") in page and reverse("members:privacy") in page


def test_it_groups_duties_by_category(client, db):
    first, second = some_duties()
    page = client.get(APPLY).content.decode()
    assert first.category in page and second.category in page
    assert first.name in page and second.name in page


def test_it_creates_an_applicant_with_a_profile_and_an_unverified_application(post, db):
    duties = some_duties()
    response = post(survey(email=" Hanako@Vill.Sarufutsu.LG.jp ", duties=[d.pk for d in duties]))
    assert response.status_code == 302
    assert response.url == reverse("members:sent")
    user = User.objects.get(email="hanako@vill.sarufutsu.lg.jp")
    assert user.status == User.Status.APPLICANT
    assert not user.has_usable_password()
    assert not user.email_verified
    assert (user.family_name, user.family_name_kana) == ("市役", "シヤク")
    profile = user.profile
    assert profile.organization == testing.organization()
    assert (profile.department, profile.title) == ("企画政策課", "主事")
    assert (profile.bio, profile.interests) == ("", "")  # written for the reviewers
    assert set(profile.duties.all()) == set(duties)
    application = user.applications.get()
    assert application.status == MembershipApplication.Status.UNVERIFIED
    assert application.policy_version == settings.POLICY_VERSION
    assert application.consented_at is not None
    assert application.interests == "防災の課に興味があります"
    assert set(application.duties.all()) == set(duties)
    assert AuditEntry.objects.filter(
        action="members.application.submitted", subject_user=user
    ).exists()


def test_it_mails_a_verification_link_with_the_full_address(post, db):
    post(survey())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanako@vill.sarufutsu.lg.jp"]
    assert "メールアドレスの確認" in message.subject
    assert settings.SITE_URL + "/join/verify/" in message.body


def test_it_shows_the_check_your_mail_page(client, db):
    page = client.get(reverse("members:sent")).content.decode()
    assert "メールを確認してください" in page


def test_it_stores_html_in_names_as_text_and_always_shows_it_escaped(post, client, staff, db):
    hostile = "<script>alert(1)</script>"
    post(survey(family_name=hostile, given_name="<b>花子</b>"))
    application = MembershipApplication.objects.get()
    assert application.family_name == hostile
    assert "<script>alert(1)</script>" in mail.outbox[0].body  # plain text mail, not HTML

    testing.sign_in(client, application.user)
    page = client.get(reverse("members:status")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert hostile not in page and "<b>花子</b>" not in page

    testing.sign_in(client, staff)
    application.status = MembershipApplication.Status.PENDING
    application.save(update_fields=["status"])
    for url in (
        reverse("staff_applications:list"),
        reverse("staff_applications:detail", args=[application.pk]),
    ):
        page = client.get(url).content.decode()
        assert "&lt;script&gt;" in page and hostile not in page


def test_it_refuses_readings_that_are_not_kana_and_keeps_what_was_typed(post, db):
    response = post(survey(family_name_kana="Yamada", given_name_kana="山田"))
    assert response.status_code == 200
    page = response.content.decode()
    # Under each field, and again in the summary at the top that links to them.
    assert page.count("フリガナはカタカナまたはひらがなで入力してください。") == 4
    assert 'value="Yamada"' in page and 'value="企画政策課"' in page
    assert not MembershipApplication.objects.exists() and not User.objects.exists()


def test_it_stores_hiragana_and_half_width_kana_as_katakana(post, db):
    post(survey(family_name_kana=" やまだ ", given_name_kana="ﾊﾅｺ"))
    application = MembershipApplication.objects.get()
    assert (application.family_name_kana, application.given_name_kana) == ("ヤマダ", "ハナコ")


def test_it_requires_consent_to_the_rules_and_privacy_policy(post, db):
    response = post(survey(consent=None))
    assert response.status_code == 200
    assert "プライバシーポリシーへの同意が必要です" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_it_trims_names_and_refuses_overlong_ones_in_japanese(post, db):
    response = post(survey(family_name="山" * 31))
    assert "30文字以内で入力してください" in response.content.decode()
    post(survey(family_name="  市役 ", given_name=" 花子\u3000"))
    assert MembershipApplication.objects.get().family_name == "市役"


def test_it_explains_missing_answers_in_japanese(post, db):
    response = post(survey(department="", introduction="", referral=None))
    page = response.content.decode()
    assert "所属部署を入力してください。" in page
    assert "自己紹介を入力してください。" in page
    assert "きっかけを選んでください。" in page


def test_it_creates_one_application_when_the_form_is_sent_twice(post, db):
    data = survey()
    first, second = post(data), post(data)
    assert first.url == second.url == reverse("members:sent")
    assert MembershipApplication.objects.count() == 1
    assert User.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_mails_a_notice_to_an_address_that_already_has_an_account(post, member, db):
    response = post(survey(email=member.email.upper(), submission_key=str(uuid.uuid4())))
    assert response.url == reverse("members:sent")  # the page does not tell
    assert User.objects.filter(email__iexact=member.email).count() == 1
    assert not MembershipApplication.objects.filter(user=member).exists()
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [member.email]
    assert "登録済み" in notice.subject
    assert settings.SITE_URL + reverse("accounts:login") in notice.body


def test_it_sends_an_unverified_applicant_a_fresh_verification_link(post, db):
    post(survey())
    mail.outbox.clear()
    post(survey())  # a new form, same address
    assert MembershipApplication.objects.count() == 1
    assert len(mail.outbox) == 1
    assert settings.SITE_URL + "/join/verify/" in mail.outbox[0].body


def test_it_sends_an_approved_member_without_a_password_a_fresh_password_link(post, member, db):
    member.set_unusable_password()
    member.save(update_fields=["password"])
    post(survey(email=member.email))
    assert settings.SITE_URL + "/join/activate/" in mail.outbox[0].body


def test_it_does_not_flood_an_address_with_notices(post, member, db):
    post(survey(email=member.email))
    post(survey(email=member.email))
    assert len(mail.outbox) == 1


@time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False)
def test_it_answers_a_flood_from_one_client_with_429_keeping_the_answers(post, db):
    for _ in range(3):
        assert post(survey()).status_code == 302
    response = post(survey(department="防災危機管理課", introduction="四回目の送信です。"))
    assert response.status_code == 429
    assert response["Retry-After"] == str(60 * 60)
    body = response.content.decode()
    assert "短い間に申請が続いたため" in body
    assert "12月1日 13:00 以降" in body
    assert 'value="hanako@vill.sarufutsu.lg.jp"' in body
    assert 'value="防災危機管理課"' in body
    assert "四回目の送信です。" in body
    assert MembershipApplication.objects.count() == 1
    other = survey(email="jiro@vill.sarufutsu.lg.jp")
    assert post(other, REMOTE_ADDR="192.0.2.9").status_code == 302


def test_it_limits_how_many_applications_one_client_sends(post, db):
    for n in range(20):
        assert post(survey(email=f"person{n}@city.example.lg.jp")).status_code == 302
    response = post(survey(email="one-more@city.example.lg.jp"))
    assert response.status_code == 429
    assert 'value="one-more@city.example.lg.jp"' in response.content.decode()
    assert not User.objects.filter(email="one-more@city.example.lg.jp").exists()


def test_it_lets_a_rejected_person_apply_again_on_the_same_account(post, rejected, db):
    post(survey(email=rejected.email, family_name="却下"))
    applications = rejected.applications.order_by("submitted_at")
    assert [a.status for a in applications] == ["rejected", "unverified"]
    assert User.objects.filter(email=rejected.email).count() == 1
    assert "/join/verify/" in mail.outbox[0].body


def test_it_sends_signed_in_applicants_to_their_status_and_members_home(as_user, applicant, member):
    assert as_user(applicant).get(APPLY).url == reverse("members:status")
    assert as_user(member).get(APPLY).url == reverse("home")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_keeps_the_application_and_its_mail_when_the_mail_server_is_down(client):
    with override_settings(EMAIL_BACKEND=BROKEN_MAIL):
        response = client.post(APPLY, survey())
    assert response.status_code == 302
    assert MembershipApplication.objects.filter(status="unverified").count() == 1
    queued = OutboundEmail.objects.get()
    assert queued.status == OutboundEmail.Status.QUEUED
    assert "421" in queued.last_error
    assert queued.attempts == 1

    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    call_command("send_queued_mail")
    queued.refresh_from_db()
    assert queued.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1 and "/join/verify/" in mail.outbox[0].body


def test_it_serves_the_rules_and_privacy_policy_to_everyone(client, db):
    rules = client.get(reverse("members:rules")).content.decode()
    privacy = client.get(reverse("members:privacy")).content.decode()
    assert "住民" in rules and "個人情報" in rules and settings.POLICY_VERSION in rules
    assert "保存する期間" in privacy and settings.POLICY_VERSION in privacy
