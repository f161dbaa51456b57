"""The volunteers' queue: the page, the header's count, and what the applicant is told."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.members.actions import do_verify_email
from cityhall.members.models import MembershipApplication
from cityhall.members.queue import pending_count

Status = MembershipApplication.Status
QUEUE = reverse("staff_applications:queue")
STATUS = reverse("members:status")
NOW = timezone.now().replace(microsecond=0)


def make_applicant(email: str, family_name: str, **fields) -> MembershipApplication:
    user = testing.make_user(
        email, status=User.Status.APPLICANT, family_name=family_name, password=None
    )
    return testing.make_application(user, **fields)


def test_it_lists_the_oldest_verified_first_then_those_waiting_for_an_answer(
    as_user, staff
) -> None:
    newer = make_applicant("a@city.example.lg.jp", "新人", verified_at=NOW - timedelta(hours=2))
    older = make_applicant("b@city.example.lg.jp", "古株", verified_at=NOW - timedelta(days=3))
    waiting = make_applicant("c@city.example.lg.jp", "待機", status=Status.NEEDS_INFO)
    make_applicant("d@city.example.lg.jp", "未確認", status=Status.UNVERIFIED)
    page = as_user(staff).get(QUEUE).content.decode()
    assert page.index("古株") < page.index("新人") < page.index("待機")
    assert "未確認" not in page
    assert "公的機関のドメイン" in page
    assert "3日" in page  # waiting time
    assert reverse("staff_applications:detail", args=[older.pk]) in page
    assert f'action="{reverse("staff_applications:approve", args=[newer.pk])}"' in page
    assert "csrfmiddlewaretoken" in page
    assert "<script" not in page.split("<main", 1)[1]
    assert reverse("staff_applications:approve", args=[waiting.pk]) not in page


def test_it_approves_and_asks_from_the_row_and_comes_back(as_user, staff) -> None:
    first = make_applicant("a@city.example.lg.jp", "一番")
    second = make_applicant("b@city.example.lg.jp", "二番")
    client = as_user(staff)
    approve = reverse("staff_applications:approve", args=[first.pk])
    assert client.post(approve, {"from": "queue"})["Location"] == QUEUE
    ask = reverse("staff_applications:request_information", args=[second.pk])
    response = client.post(ask, {"from": "queue", "message": ""}, follow=True)
    assert "申請者に確認したいことを入力してください" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Status.PENDING
    assert client.post(ask, {"from": "queue", "message": "所属を教えてください"})["Location"] == (
        QUEUE
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APPROVED, Status.NEEDS_INFO)


def test_the_header_shows_staff_the_pending_count_and_follows_changes(
    staff, member, django_capture_on_commit_callbacks
) -> None:
    one = make_applicant("a@city.example.lg.jp", "一番")
    fresh = make_applicant("b@city.example.lg.jp", "二番", status=Status.UNVERIFIED)
    client = testing.sign_in(Client(), staff)
    home = reverse("home")
    assert "審査待ち" in client.get(home).content.decode()
    assert 'badge--warn">1<' in client.get(home).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        do_verify_email(fresh)
    assert 'badge--warn">2<' in client.get(home).content.decode()
    client.post(reverse("staff_applications:approve", args=[one.pk]))
    assert 'badge--warn">1<' in client.get(home).content.decode()
    assert "審査待ち" not in testing.sign_in(Client(), member).get(home).content.decode()


def test_the_count_costs_one_query_per_minute_not_per_page(
    staff, django_assert_num_queries
) -> None:
    make_applicant("a@city.example.lg.jp", "一番")
    client = testing.sign_in(Client(), staff)
    client.get(reverse("home"))
    with django_assert_num_queries(0):
        assert pending_count() == 1


def decided(n: int, days: float) -> None:
    for i in range(n):
        verified = NOW - timedelta(days=10)
        make_applicant(
            f"x{days}-{i}@city.example.lg.jp",
            "決定",
            status=Status.APPROVED,
            verified_at=verified,
            decided_at=verified + timedelta(days=days),
        )


def test_the_applicant_is_told_how_long_decisions_usually_take(as_user, applicant) -> None:
    with time_machine.travel(NOW, tick=False):
        decided(3, 1.5)
        decided(2, 4)
        page = as_user(applicant).get(STATUS).content.decode()
    assert "通常2日以内に審査します" in page


def test_it_says_nothing_with_fewer_than_five_decisions(as_user, applicant) -> None:
    with time_machine.travel(NOW, tick=False):
        decided(4, 1)
        page = as_user(applicant).get(STATUS).content.decode()
    assert "以内に審査します" not in page


def test_the_applicant_withdraws_and_may_apply_again(as_user, applicant) -> None:
    client = as_user(applicant)
    page = client.get(STATUS).content.decode()
    assert "申請を取り下げる" in page
    application = applicant.applications.get()
    response = client.post(reverse("members:withdraw", args=[application.pk]), follow=True)
    assert "申請を取り下げました" in response.content.decode()
    application.refresh_from_db()
    applicant.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert applicant.status == User.Status.REJECTED
    assert AuditEntry.objects.filter(action="members.application.withdrawn").count() == 1
    again = client.post(reverse("members:withdraw", args=[application.pk]), follow=True)
    assert "取り下げられません" in again.content.decode()
    assert client.get(reverse("members:apply")).status_code == 200


def test_nobody_withdraws_someone_elses_application(as_user, applicant) -> None:
    other = applicant_row = testing.make_user(
        "other@city.example.lg.jp", status=User.Status.APPLICANT, password=None
    )
    application = testing.make_application(applicant_row)
    response = as_user(applicant).post(reverse("members:withdraw", args=[application.pk]))
    assert response.status_code == 404
    assert other.applications.get().status == Status.PENDING
