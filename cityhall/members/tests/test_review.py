from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.core.models import OutboundEmail
from cityhall.members.models import MembershipApplication
from cityhall.members.tests.joining_helpers import (
    BROKEN_MAIL,
    pending_application,
)

Status = MembershipApplication.Status
LIST = reverse("staff_applications:list")


def detail(application):
    return reverse("staff_applications:detail", args=[application.pk])


def decide(client, application, decision, capture, **data):
    with capture(execute=True):
        return client.post(reverse(f"staff_applications:{decision}", args=[application.pk]), data)


@pytest.fixture
def reviewer(as_user, staff):
    return as_user(staff)


def names(response) -> list[str]:
    return [application.family_name for application, _flags in response.context["rows"]]


def test_it_is_for_staff_only(as_user, member, applicant, db):
    application = pending_application()
    assert as_user(member).get(LIST).status_code == 403
    assert as_user(member).get(detail(application)).status_code == 403
    assert as_user(applicant).get(LIST).url == reverse("members:status")


def test_it_lists_pending_applications_oldest_first_with_counts(reviewer, db):
    older = pending_application(family_name="古井", email="old@city.yokohama.lg.jp")
    newer = pending_application(family_name="新田", email="new@city.yokohama.lg.jp")
    pending_application(family_name="未確", email="unverified@example.jp")
    MembershipApplication.objects.filter(family_name="未確").update(status=Status.UNVERIFIED)
    MembershipApplication.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    response = reviewer.get(LIST)
    assert names(response) == ["古井", "新田"]
    assert names(reviewer.get(LIST, {"sort": "new"})) == ["新田", "古井"]
    tabs = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs["pending"] == 2 and tabs["unverified"] == 1 and tabs["approved"] == 0
    assert newer.email in response.content.decode()
    assert names(reviewer.get(LIST, {"status": "unverified"})) == ["未確"]


def test_it_filters_by_government_mail_domain(reviewer, db):
    pending_application(family_name="公務", email="a@city.yokohama.lg.jp")
    pending_application(family_name="私用", email="a@gmail.com")
    assert names(reviewer.get(LIST, {"government": "yes"})) == ["公務"]
    assert names(reviewer.get(LIST, {"government": "no"})) == ["私用"]
    page = reviewer.get(LIST).content.decode()
    assert "公的機関のドメイン" in page and "公的機関以外のドメイン" in page


def test_it_flags_possible_duplicates_by_email_and_by_name(reviewer, db):
    pending_application(family_name="本人", email="taro.yamada+city@gmail.com")
    pending_application(family_name="重複", email="TaroYamada@googlemail.com")
    pending_application(family_name="同姓", given_name="同名", email="a@vill.sarufutsu.lg.jp")
    pending_application(family_name="同姓", given_name="同名", email="b@vill.sarufutsu.lg.jp")
    pending_application(family_name="別人", email="c@vill.sarufutsu.lg.jp")
    assert sorted(names(reviewer.get(LIST, {"duplicate": "yes"}))) == sorted(
        ["本人", "重複", "同姓", "同姓"]
    )
    assert names(reviewer.get(LIST, {"duplicate": "no"})) == ["別人"]


def test_it_flags_a_member_with_the_same_name_at_the_same_organisation(reviewer, member, db):
    application = pending_application(
        family_name=member.family_name, given_name=member.given_name, email="x@example.jp"
    )
    assert names(reviewer.get(LIST, {"duplicate": "yes"})) == [member.family_name]
    page = reviewer.get(detail(application)).content.decode()
    assert reverse("profiles:detail", args=[member.pk]) in page


def test_it_filters_by_prefecture_and_searches(reviewer, db):
    yokohama = testing.organization("141003")
    pending_application(
        family_name="横浜",
        given_name="一郎",
        email="ichiro@city.yokohama.lg.jp",
        family_name_kana="ヨコハマ",
        org=yokohama,
    )
    pending_application(family_name="猿払", given_name="二郎", email="jiro@example.jp")
    kanagawa = yokohama.prefecture
    assert kanagawa is not None
    assert names(reviewer.get(LIST, {"prefecture": kanagawa.pk})) == ["横浜"]
    for query in ("横浜 一郎", "横浜一郎", "よこはま", "ichiro@", "横浜市", "猿払村 二郎"):
        expected = ["猿払"] if "二郎" in query else ["横浜"]
        assert names(reviewer.get(LIST, {"q": query})) == expected, query
    assert names(reviewer.get(LIST, {"q": "該当なし"})) == []


def test_it_paginates_by_thirty(reviewer, db):
    for i in range(31):
        pending_application(email=f"p{i}@example.jp", family_name=f"申請{i}")
    response = reviewer.get(LIST)
    assert len(response.context["rows"]) == 30
    assert len(reviewer.get(LIST, {"page": 2}).context["rows"]) == 1


def test_it_lists_with_a_constant_number_of_queries(reviewer, db, django_assert_num_queries):
    filters = {"government": "yes", "duplicate": "no", "q": "申請"}
    for i in range(5):
        pending_application(email=f"p{i}@city.yokohama.lg.jp", family_name=f"申請{i}")
    reviewer.get(LIST, filters)  # warm the site-wide caches (the on-air banner)
    with CaptureQueriesContext(connection) as five:
        assert len(reviewer.get(LIST, filters).context["rows"]) == 5
    expected = len(five)  # read now: the next request clears the connection's query log
    for i in range(5, 25):
        pending_application(email=f"p{i}@city.yokohama.lg.jp", family_name=f"申請{i}")
    reviewer.get(LIST, filters)  # the header's pending count was forgotten by the new ones
    with django_assert_num_queries(expected):
        assert len(reviewer.get(LIST, filters).context["rows"]) == 25


def test_it_shows_answers_flags_and_history(reviewer, db):
    application = pending_application(email="hanako@city.yokohama.lg.jp")
    page = reviewer.get(detail(application)).content.decode()
    assert "企画政策課" in page and "よろしくお願いします。" in page
    assert "公的機関のドメイン" in page
    assert "所属とドメインが不一致" in page  # a Yokohama address for 猿払村
    assert "申請を受け付け" in page and "メールアドレスを確認" in page
    assert "承認する" in page and "不承認にする" in page and "追加情報を依頼する" in page


def test_it_approves_mails_a_password_link_and_audits(
    reviewer, staff, db, django_capture_on_commit_callbacks
):
    application = pending_application()
    response = decide(reviewer, application, "approve", django_capture_on_commit_callbacks)
    assert response.url == LIST
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.decided_by == staff and application.decided_at is not None
    user = User.objects.get(pk=application.user_id)
    assert user.status == User.Status.MEMBER and user.approved_at is not None
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert settings.SITE_URL + "/join/activate/" in mail.outbox[0].body
    # The welcome mail invites them to the next Friday briefing, with its date.
    assert "21:00〜22:00 です。申し込みはこちら" in mail.outbox[0].body
    assert settings.SITE_URL + "/events/briefing/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="members.application.approved")
    assert entry.actor == staff and entry.subject_user == user


def test_it_rejects_with_a_reason_mails_it_and_audits(
    reviewer, staff, db, django_capture_on_commit_callbacks
):
    application = pending_application()
    decide(
        reviewer,
        application,
        "reject",
        django_capture_on_commit_callbacks,
        reason="所属を確認できませんでした。",
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.staff_message == "所属を確認できませんでした。"
    assert User.objects.get(pk=application.user_id).status == User.Status.REJECTED
    assert "所属を確認できませんでした。" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="members.application.rejected")
    assert entry.data["reason"] == "所属を確認できませんでした。" and entry.actor == staff


def test_it_needs_a_reason_to_reject(reviewer, db, django_capture_on_commit_callbacks):
    application = pending_application()
    response = decide(
        reviewer, application, "reject", django_capture_on_commit_callbacks, reason="   "
    )
    assert response.status_code == 200
    assert "不承認の理由を入力してください。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert not mail.outbox


def test_it_asks_for_more_information(reviewer, staff, db, django_capture_on_commit_callbacks):
    application = pending_application()
    decide(
        reviewer,
        application,
        "request_information",
        django_capture_on_commit_callbacks,
        message="所属部署の電話番号を教えてください。",
    )
    application.refresh_from_db()
    assert application.status == Status.NEEDS_INFO
    assert application.decided_at is None
    assert "所属部署の電話番号を教えてください。" in mail.outbox[0].body
    assert settings.SITE_URL + reverse("members:status") in mail.outbox[0].body
    assert AuditEntry.objects.filter(
        action="members.application.info_requested", actor=staff
    ).exists()


def test_it_needs_a_question_to_ask_for_more_information(
    reviewer, db, django_capture_on_commit_callbacks
):
    application = pending_application()
    response = decide(
        reviewer, application, "request_information", django_capture_on_commit_callbacks, message=""
    )
    assert "申請者に確認したいことを入力してください。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert not mail.outbox


def test_it_refuses_to_decide_twice(reviewer, db, django_capture_on_commit_callbacks):
    application = pending_application()
    decide(reviewer, application, "approve", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    for decision, data in (
        ("reject", {"reason": "遅れて不承認"}),
        ("approve", {}),
        ("request_information", {"message": "質問"}),
    ):
        response = decide(
            reviewer, application, decision, django_capture_on_commit_callbacks, **data
        )
        assert response.url == detail(application)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert not mail.outbox
    assert (
        AuditEntry.objects.filter(action__startswith="members.application.")
        .exclude(action__in=["members.application.submitted", "members.application.verified"])
        .count()
        == 1
    )
    page = reviewer.get(detail(application)).content.decode()
    assert "承認する" not in page


def test_it_shows_why_a_second_decision_was_refused(
    reviewer, db, django_capture_on_commit_callbacks
):
    application = pending_application()
    decide(reviewer, application, "reject", django_capture_on_commit_callbacks, reason="理由")
    response = reviewer.post(
        reverse("staff_applications:approve", args=[application.pk]), follow=True
    )
    assert "すでに「不承認」になっているため" in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_keeps_a_decision_when_the_mail_server_is_down(as_user, staff):
    application = pending_application()
    OutboundEmail.objects.all().delete()
    mail.outbox.clear()
    reviewer = as_user(staff)
    with override_settings(EMAIL_BACKEND=BROKEN_MAIL):
        reviewer.post(reverse("staff_applications:approve", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    queued = OutboundEmail.objects.get()
    assert queued.status == OutboundEmail.Status.QUEUED and "421" in queued.last_error

    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    call_command("send_queued_mail")
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert "/join/activate/" in mail.outbox[0].body
