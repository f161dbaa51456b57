"""An applicant corrects their own answers while staff have not decided yet; staff see that
they did, and when."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.members.actions import (
    ActionRefused,
    do_correct_application,
    do_reject_application,
)
from cityhall.members.forms import CorrectionForm
from cityhall.members.models import Duty, MembershipApplication
from cityhall.members.tests.joining_helpers import some_duties

Status = MembershipApplication.Status
STATUS = reverse("members:status")
CORRECTED = "members.application.corrected"
# 2026-03-02 10:15 in Tokyo.
MONDAY_MORNING = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)


def correct_url(application: MembershipApplication) -> str:
    return reverse("members:correct", args=[application.pk])


def form_data(application: MembershipApplication, **overrides) -> dict:
    """The correction form as the browser posts it, unchanged unless overridden."""
    data = {
        "family_name": application.family_name,
        "given_name": application.given_name,
        "family_name_kana": application.family_name_kana,
        "given_name_kana": application.given_name_kana,
        "organization": str(application.organization_id),
        "organization_text": application.organization.name,
        "department": application.department,
        "title": application.title,
        "duties": [duty.pk for duty in application.duties.all()],
        "referral": application.referral,
        "referral_detail": application.referral_detail,
        "interests": application.interests,
        "introduction": application.introduction,
    }
    data.update(overrides)
    return data


def cleaned(application: MembershipApplication, **overrides) -> dict:
    form = CorrectionForm(form_data(application, **overrides))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def asked(application: MembershipApplication) -> MembershipApplication:
    application.status = Status.NEEDS_INFO
    application.staff_message = "所属を確認できる情報を教えてください。"
    application.save(update_fields=["status", "staff_message"])
    return application


# --- The status page and the form -----------------------------------------------------------


@pytest.mark.parametrize("status", [Status.UNVERIFIED, Status.PENDING, Status.NEEDS_INFO])
def test_it_offers_a_correction_while_the_application_is_undecided(as_user, applicant, status):
    application = applicant.applications.get()
    application.status = status
    application.save(update_fields=["status"])
    page = as_user(applicant).get(STATUS).content.decode()
    assert "申請内容を修正する" in page
    assert correct_url(application) in page


@pytest.mark.parametrize("status", [Status.REJECTED, Status.WITHDRAWN])
def test_it_offers_no_correction_once_decided(as_user, rejected, status):
    rejected.applications.update(status=status)
    page = as_user(rejected).get(STATUS).content.decode()
    assert "申請内容を修正する" not in page


def test_it_prefills_the_form_with_the_current_answers(as_user, applicant):
    application = applicant.applications.get()
    duty = some_duties()[0]
    application.duties.set([duty])
    MembershipApplication.objects.filter(pk=application.pk).update(
        interests="防災の課に興味があります", referral_detail="同僚の山田さん"
    )
    page = as_user(applicant).get(correct_url(application)).content.decode()
    assert 'name="family_name"' in page and 'value="申請"' in page
    assert 'value="総務課"' in page and 'value="主事"' in page
    assert "猿払村" in page
    assert "防災の課に興味があります" in page and 'value="同僚の山田さん"' in page
    assert "よろしくお願いします。" in page
    assert re.search(rf'name="duties" value="{duty.pk}" id="id_duties_\d+" checked', page)
    assert 'name="referral" value="colleague" id="id_referral_0" required checked' in page
    # The address is shown, not offered for change; there is nothing to consent to again.
    assert applicant.email in page
    assert 'name="email"' not in page and 'name="consent"' not in page


# --- Saving -----------------------------------------------------------------------------------


def test_it_saves_the_corrections_everywhere_the_answers_show(as_user, applicant):
    application = applicant.applications.get()
    yokohama = testing.organization("141003")
    duties = some_duties()
    client = as_user(applicant)
    response = client.post(
        correct_url(application),
        form_data(
            application,
            family_name="訂正",
            family_name_kana="ていせい",
            organization=str(yokohama.pk),
            organization_text=yokohama.name,
            department="デジタル推進課",
            duties=[duty.pk for duty in duties],
            introduction="自己紹介を書き直しました。",
        ),
    )
    assert response.url == STATUS
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert (application.family_name, application.family_name_kana) == ("訂正", "テイセイ")
    assert (application.organization, application.department) == (yokohama, "デジタル推進課")
    assert set(application.duties.all()) == set(duties)
    assert application.introduction == "自己紹介を書き直しました。"
    assert application.email == "applicant@city.example.lg.jp"
    assert application.name_key == "訂正太郎"  # staff's duplicate check follows the new name
    applicant.refresh_from_db()
    assert applicant.family_name == "訂正"
    assert (applicant.profile.organization, applicant.profile.department) == (
        yokohama,
        "デジタル推進課",
    )
    page = client.get(STATUS).content.decode()
    assert "申請内容を修正しました。" in page
    assert "デジタル推進課" in page and "自己紹介を書き直しました。" in page


def test_it_audits_which_fields_changed_but_not_their_values(applicant):
    application = applicant.applications.get()
    changed = do_correct_application(
        application,
        cleaned(application, department="防災課", introduction="秘密の内容"),
        actor=applicant,
    )
    assert changed == ["department", "introduction"]
    entry = AuditEntry.objects.get(action=CORRECTED)
    assert (entry.actor, entry.subject_user, entry.target_id) == (
        applicant,
        applicant,
        str(application.pk),
    )
    assert entry.data == {"fields": ["department", "introduction"], "returned_to_review": False}
    assert "防災課" not in str(entry.data) and "秘密の内容" not in str(entry.data)


def test_it_returns_an_application_staff_asked_about_to_their_queue(as_user, applicant):
    application = asked(applicant.applications.get())
    client = as_user(applicant)
    client.post(correct_url(application), form_data(application, department="人事課"))
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert application in MembershipApplication.objects.awaiting_review()
    assert application.staff_message == "所属を確認できる情報を教えてください。"  # kept
    assert AuditEntry.objects.get(action=CORRECTED).data["returned_to_review"] is True
    assert "運営事務局があらためて確認します" in client.get(STATUS).content.decode()


def test_it_shows_staff_question_above_the_form(as_user, applicant):
    application = asked(applicant.applications.get())
    page = as_user(applicant).get(correct_url(application)).content.decode()
    assert "所属を確認できる情報を教えてください。" in page
    assert "修正を保存すると、運営事務局があらためて確認します。" in page


def test_saving_without_changes_changes_nothing(as_user, applicant):
    application = asked(applicant.applications.get())
    client = as_user(applicant)
    response = client.post(correct_url(application), form_data(application))
    assert response.url == STATUS
    application.refresh_from_db()
    assert application.status == Status.NEEDS_INFO  # still waiting for an answer
    assert not AuditEntry.objects.filter(action=CORRECTED).exists()
    assert "変更された項目はありませんでした。" in client.get(STATUS).content.decode()


def test_it_keeps_a_duty_staff_hid_since(applicant):
    application = applicant.applications.get()
    hidden = Duty.objects.create(name="旧制度の事務", kana="キュウセイド", is_active=False)
    shown = some_duties()[0]
    application.duties.set([hidden])
    do_correct_application(application, cleaned(application, duties=[shown.pk]), actor=applicant)
    assert set(application.duties.all()) == {hidden, shown}


def test_it_ignores_an_address_slipped_into_the_form(as_user, applicant):
    application = applicant.applications.get()
    as_user(applicant).post(
        correct_url(application),
        form_data(application, department="人事課", email="someone@example.com"),
    )
    application.refresh_from_db()
    applicant.refresh_from_db()
    assert application.department == "人事課"
    assert application.email == applicant.email == "applicant@city.example.lg.jp"


def test_a_returning_applicant_s_account_waits_for_the_address_confirmation(rejected):
    application = testing.make_application(rejected, status=Status.UNVERIFIED)
    do_correct_application(application, cleaned(application, family_name="改姓"), actor=rejected)
    application.refresh_from_db()
    rejected.refresh_from_db()
    assert application.family_name == "改姓"
    assert rejected.family_name == "却下"  # copied when the address is confirmed


# --- Bad input ----------------------------------------------------------------------------------


def test_it_shows_mistakes_and_keeps_what_was_typed(as_user, applicant):
    application = applicant.applications.get()
    response = as_user(applicant).post(
        correct_url(application),
        form_data(
            application,
            family_name="",
            given_name_kana="hanako",
            department="入力した部署",
            introduction="書きかけの自己紹介",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "姓を入力してください。" in page
    assert "フリガナはカタカナまたはひらがなで入力してください。" in page
    assert 'value="入力した部署"' in page and "書きかけの自己紹介" in page
    application.refresh_from_db()
    assert (application.family_name, application.department) == ("申請", "総務課")
    assert not AuditEntry.objects.filter(action=CORRECTED).exists()


def test_it_refuses_an_organisation_it_cannot_find(as_user, applicant):
    application = applicant.applications.get()
    response = as_user(applicant).post(
        correct_url(application),
        form_data(application, organization="", organization_text="存在しない村役場"),
    )
    assert "当てはまる団体が見つかりません" in response.content.decode()
    application.refresh_from_db()
    assert application.organization == applicant.profile.organization


# --- Once decided, and other people ------------------------------------------------------------


def test_a_decided_application_shows_why_it_cannot_be_corrected(as_user, rejected):
    application = rejected.applications.get()
    client = as_user(rejected)
    page = client.get(correct_url(application)).content.decode()
    assert "この申請はすでに「不承認」になっているため、修正できません。" in page
    assert 'name="family_name"' not in page
    response = client.post(correct_url(application), form_data(application, department="人事課"))
    assert "修正できません" in response.content.decode()
    application.refresh_from_db()
    assert application.department == "総務課"


def test_a_decision_made_while_the_form_was_open_wins(as_user, applicant, staff):
    application = applicant.applications.get()
    client = as_user(applicant)
    data = form_data(application, department="人事課")
    do_reject_application(application, "確認できませんでした。", actor=staff)
    page = client.post(correct_url(application), data).content.decode()
    assert "この申請はすでに「不承認」になっているため、修正できません。" in page
    application.refresh_from_db()
    assert application.department == "総務課"
    assert not AuditEntry.objects.filter(action=CORRECTED).exists()


def test_the_action_refuses_an_approved_application(applicant):
    application = applicant.applications.get()
    data = cleaned(application, department="人事課")
    application.status = Status.APPROVED
    application.save(update_fields=["status"])
    with pytest.raises(ActionRefused, match="「承認」になっているため、修正できません"):
        do_correct_application(application, data, actor=applicant)


def test_nobody_else_may_correct_an_application(applicant, rejected, staff):
    application = applicant.applications.get()
    data = cleaned(application, department="人事課")
    for someone in (rejected, staff):
        with pytest.raises(PermissionDenied, match="ご自身の申請だけを操作できます。"):
            do_correct_application(application, data, actor=someone)
    application.refresh_from_db()
    assert application.department == "総務課"


def test_another_applicant_finds_no_such_page(applicant, rejected):
    application = applicant.applications.get()
    client = testing.sign_in(Client(), rejected)
    assert client.get(correct_url(application)).status_code == 404
    post = client.post(correct_url(application), form_data(application, department="人事課"))
    assert post.status_code == 404
    application.refresh_from_db()
    assert application.department == "総務課"


def test_members_are_sent_home_and_visitors_to_sign_in(member, applicant, client):
    application = applicant.applications.get()
    response = testing.sign_in(Client(), member).get(correct_url(application))
    assert response["Location"] == reverse("home")
    assert client.get(correct_url(application)).url.startswith(reverse("accounts:login"))


# --- What staff see -----------------------------------------------------------------------------


def test_staff_see_that_and_when_the_applicant_corrected_the_answers(applicant, staff):
    application = applicant.applications.get()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        do_correct_application(
            application, cleaned(application, department="人事課", duties=[]), actor=applicant
        )
    client = testing.sign_in(Client(), staff)
    page = client.get(reverse("staff_applications:detail", args=[application.pk])).content.decode()
    assert "申請者が申請後に回答を修正しています。" in page
    assert "2026年3月2日 10:15 に修正：所属部署" in page
    assert "申請者が内容を修正" in page  # in the history, too
    assert "人事課" in page  # the answers shown are the corrected ones


def test_staff_see_no_marker_on_an_application_never_corrected(applicant, staff):
    application = applicant.applications.get()
    client = testing.sign_in(Client(), staff)
    page = client.get(reverse("staff_applications:detail", args=[application.pk])).content.decode()
    assert "回答を修正しています" not in page
