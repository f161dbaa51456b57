from django.core import mail
from django.urls import reverse

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.members.models import MembershipApplication
from cityhall.members.tests.joining_helpers import some_duties

Status = MembershipApplication.Status
STATUS = reverse("members:status")


def reply_url(application: MembershipApplication) -> str:
    return reverse("members:reply", args=[application.pk])


def needs_info(user, message="所属を確認できる情報を教えてください。"):
    application = user.applications.get()
    application.status = Status.NEEDS_INFO
    application.staff_message = message
    application.save(update_fields=["status", "staff_message"])
    return application


def test_it_explains_a_pending_application_and_shows_the_answers(as_user, applicant):
    page = as_user(applicant).get(STATUS).content.decode()
    assert "審査待ち" in page
    assert "運営事務局が申請を確認しています" in page
    assert "結果はメールでお知らせします" in page
    assert "総務課" in page and "よろしくお願いします。" in page
    assert "猿払村" in page


def test_it_asks_for_the_address_confirmation_of_an_unverified_application(as_user, applicant):
    applicant.applications.update(status=Status.UNVERIFIED)
    page = as_user(applicant).get(STATUS).content.decode()
    assert "メールアドレスの確認をお待ちしています" in page


def test_it_shows_staff_question_and_a_reply_form(as_user, applicant):
    needs_info(applicant)
    page = as_user(applicant).get(STATUS).content.decode()
    assert "所属を確認できる情報を教えてください。" in page
    assert 'name="applicant_reply"' in page
    assert 'name="department"' in page and 'value="総務課"' in page


def test_it_shows_the_reason_of_a_rejection_and_how_to_apply_again(as_user, rejected):
    page = as_user(rejected).get(STATUS).content.decode()
    assert "申請を承認できませんでした" in page
    assert "公務員であることを確認できませんでした。" in page
    assert reverse("members:apply") in page


def test_it_shows_a_suspension_notice_with_the_reason(as_user, suspended):
    suspended.suspension_reason = "ルールに反する投稿が続いたため"
    suspended.save(update_fields=["suspension_reason"])
    page = as_user(suspended).get(STATUS).content.decode()
    assert "利用を停止しています" in page
    assert "ルールに反する投稿が続いたため" in page


def test_it_sends_members_home_and_visitors_to_sign_in(as_user, member, client, db):
    assert as_user(member).get(STATUS).url == reverse("home")
    client.logout()
    assert client.get(STATUS).url.startswith(reverse("accounts:login"))


def test_it_lists_earlier_applications(as_user, rejected):
    testing.make_application(rejected, status=Status.PENDING)
    page = as_user(rejected).get(STATUS).content.decode()
    assert "これまでの申請" in page
    assert "公務員であることを確認できませんでした。" in page


def test_it_resubmits_with_a_reply_and_corrected_answers(
    as_user, applicant, django_capture_on_commit_callbacks
):
    application = needs_info(applicant)
    duties = some_duties()
    yokohama = testing.organization("141003")
    client = as_user(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reply_url(application),
            {
                "applicant_reply": "名刺の写しをお送りできます。",
                "organization": str(yokohama.pk),
                "organization_text": yokohama.name,
                "department": "デジタル推進課",
                "title": "主査",
                "duties": [d.pk for d in duties],
                "introduction": "横浜市に異動しました。",
            },
        )
    assert response.url == STATUS
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert application.applicant_reply == "名刺の写しをお送りできます。"
    assert (application.organization, application.department) == (yokohama, "デジタル推進課")
    assert set(application.duties.all()) == set(duties)
    profile = applicant.profile
    profile.refresh_from_db()
    assert (profile.organization, profile.title) == (yokohama, "主査")
    assert profile.bio == ""  # the introduction was written for the reviewers
    entry = AuditEntry.objects.get(action="members.application.resubmitted")
    assert entry.actor == applicant and entry.target_id == str(application.pk)
    assert "回答を送信しました" in client.get(STATUS).content.decode()


def test_it_keeps_the_reply_form_input_when_something_is_missing(as_user, applicant):
    application = needs_info(applicant)
    response = as_user(applicant).post(
        reply_url(application),
        {
            "applicant_reply": "",
            "organization": str(application.organization_id),
            "organization_text": application.organization.name,
            "department": "入力した部署",
            "introduction": "自己紹介",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "運営事務局への回答を入力してください。" in page
    assert 'value="入力した部署"' in page
    application.refresh_from_db()
    assert application.status == Status.NEEDS_INFO


def test_it_refuses_a_reply_when_nothing_was_asked(as_user, applicant):
    application = applicant.applications.get()
    client = as_user(applicant)
    response = client.post(
        reply_url(application),
        {
            "applicant_reply": "念のため",
            "organization": str(application.organization_id),
            "organization_text": application.organization.name,
            "department": "総務課",
            "introduction": "自己紹介",
        },
        follow=True,
    )
    assert "回答を受け付けていません" in response.content.decode()
    assert not AuditEntry.objects.filter(action="members.application.resubmitted").exists()
    assert not mail.outbox


def test_it_hides_other_peoples_applications(as_user, applicant, rejected):
    other = needs_info(rejected)
    response = as_user(applicant).post(reply_url(other), {"applicant_reply": "x"})
    assert response.status_code == 404
