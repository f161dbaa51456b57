from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.members import tokens
from cityhall.members.models import MembershipApplication
from cityhall.members.tests.joining_helpers import unverified_application

Status = MembershipApplication.Status


def verify_url(application: MembershipApplication) -> str:
    return reverse("members:verify", args=[tokens.verification_token(application)])


def test_it_asks_for_a_click_before_confirming(client, db):
    application = unverified_application()
    response = client.get(verify_url(application))
    assert response.status_code == 200
    assert "メールアドレスを確認する" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.UNVERIFIED  # link scanners open links too


def test_it_confirms_the_address_signs_the_applicant_in_and_shows_the_status(client, db):
    application = unverified_application()
    response = client.post(verify_url(application))
    assert response.url == reverse("members:status")
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert application.verified_at is not None
    user = application.user
    user.refresh_from_db()
    assert user.email_verified
    assert user.status == User.Status.APPLICANT
    assert AuditEntry.objects.filter(action="members.application.verified").exists()
    page = client.get(reverse("members:status")).content.decode()
    assert "運営事務局が申請を確認しています" in page


def test_it_shows_already_confirmed_for_a_used_link(client, db):
    application = unverified_application()
    url = verify_url(application)
    client.post(url)
    client.logout()
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        page = response.content.decode()
        assert "確認済みです" in page
        assert reverse("accounts:login") in page


def test_it_refuses_a_tampered_link_with_a_clear_page(client, db):
    application = unverified_application()
    token = tokens.verification_token(application)
    for bad in (token[:-2] + "xx", "nonsense", tokens.activation_token(application.user)):
        response = client.get(reverse("members:verify", args=[bad]))
        assert response.status_code == 400
        assert "リンクが正しくありません" in response.content.decode()


def test_it_refuses_a_link_made_for_another_address(client, db):
    application = unverified_application()
    token = tokens.verification_token(application)
    MembershipApplication.objects.filter(pk=application.pk).update(email="other@example.jp")
    assert client.get(reverse("members:verify", args=[token])).status_code == 400


@override_settings(EMAIL_VERIFICATION_MAX_AGE=-1)
def test_it_offers_a_fresh_link_when_the_link_has_expired(
    client, db, django_capture_on_commit_callbacks
):
    application = unverified_application()
    token = tokens.verification_token(application)
    response = client.post(reverse("members:verify", args=[token]))
    page = response.content.decode()
    assert "有効期限が切れています" in page
    assert reverse("members:resend", args=[token]) in page
    application.refresh_from_db()
    assert application.status == Status.UNVERIFIED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:resend", args=[token]))
    assert response.url == reverse("members:sent")
    assert len(mail.outbox) == 1
    assert settings.SITE_URL + "/join/verify/" in mail.outbox[0].body


@override_settings(EMAIL_VERIFICATION_MAX_AGE=-1)
def test_it_rate_limits_fresh_links(client, db, django_capture_on_commit_callbacks):
    application = unverified_application()
    resend = reverse("members:resend", args=[tokens.verification_token(application)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(resend)
        response = client.post(resend)
    assert len(mail.outbox) == 1
    assert "数分おいてから" in response.content.decode()


def test_it_refuses_a_tampered_resend_request(client, db):
    assert client.post(reverse("members:resend", args=["bad:token"])).status_code == 400
    assert client.get(reverse("members:resend", args=["bad:token"])).status_code == 405


def test_it_returns_a_rejected_person_to_applicant_with_their_new_answers(client, rejected, db):
    application = unverified_application(
        email=rejected.email, family_name="再申請", department="防災課"
    )
    assert User.objects.get(pk=rejected.pk).family_name == "却下"  # unchanged until confirmed
    client.post(verify_url(application))
    rejected.refresh_from_db()
    assert rejected.status == User.Status.APPLICANT
    assert rejected.family_name == "再申請"
    assert rejected.profile.department == "防災課"
