import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.audit.log import record

LIST = "/staff/members/"


def detail(user) -> str:
    return f"/staff/members/{user.pk}/"


def make_members(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        testing.make_user(f"person{n}@example.lg.jp", family_name=f"佐藤{n}", given_name="太郎")


def test_it_is_for_staff_only(as_user, member, staff):
    assert as_user(member).get(LIST).status_code == 403
    assert as_user(member).get(detail(member)).status_code == 403


def test_it_lists_members_with_their_organization(as_user, staff, member, outsider):
    body = as_user(staff).get(LIST).content.decode()
    assert "新家 一郎" in body
    assert "神奈川県 横浜市" in body or "横浜市" in body
    assert outsider.email in body


@pytest.mark.parametrize(
    "query", ["新家", "ヤマダ", "やまだ", "member@vill", "MEMBER@VILL", "新家　一郎"]
)
def test_it_finds_members_by_name_kana_or_email(as_user, staff, member, outsider, query):
    body = as_user(staff).get(LIST, {"q": query}).content.decode()
    assert member.email in body
    if query not in ("ヤマダ", "やまだ"):
        assert outsider.email not in body


def test_it_filters_by_status_and_role(as_user, staff, member, suspended, admin_user):
    client = as_user(staff)
    suspended_page = client.get(LIST, {"status": "suspended"}).content.decode()
    assert suspended.email in suspended_page and member.email not in suspended_page
    staff_page = client.get(LIST, {"role": "staff"}).content.decode()
    assert staff.email in staff_page
    assert admin_user.email not in staff_page and member.email not in staff_page


def test_it_pages_by_thirty_and_keeps_the_filters(as_user, staff):
    make_members(35)
    client = as_user(staff)
    first = client.get(LIST, {"status": "member"}).content.decode()
    assert len(re.findall(r'href="/staff/members/\d+/"', first)) == 30
    assert "status=member&amp;page=2" in first
    second = client.get(LIST, {"status": "member", "page": 2}).content.decode()
    assert "2 / 2 ページ" in second


def test_it_uses_the_same_number_of_queries_for_more_rows(as_user, staff):
    client = as_user(staff)
    make_members(3)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    make_members(25, start=3)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_it_shows_the_account_facts_and_recent_audit_entries(as_user, staff, member):
    record("accounts.password.changed", actor=member, target=member, subject_user=member)
    body = as_user(staff).get(detail(member)).content.decode()
    assert member.email in body
    assert "猿払村" in body
    assert "企画政策課" in body
    assert "パスワードの変更" in body  # the audit code's Japanese label
    assert "利用停止にする" in body
    assert "data-confirm" in body
    assert "役割の変更" not in body  # admins only


def test_it_shows_role_change_to_admins(as_user, admin_user, member):
    body = as_user(admin_user).get(detail(member)).content.decode()
    assert "役割の変更" in body


def test_it_does_not_offer_to_suspend_oneself_or_an_admin(as_user, staff, admin_user):
    client = as_user(staff)
    assert "利用停止にする" not in client.get(detail(staff)).content.decode()
    assert "利用停止にする" not in client.get(detail(admin_user)).content.decode()


def test_it_answers_404_for_an_unknown_account(as_user, staff):
    assert as_user(staff).get("/staff/members/999999/").status_code == 404


def test_it_requires_a_reason_to_suspend(as_user, staff, member):
    response = as_user(staff).post(detail(member) + "suspend/", {"reason": "  "}, follow=True)
    assert "利用停止の理由を入力してください。" in response.content.decode()
    member.refresh_from_db()
    assert member.status == User.Status.MEMBER


def test_it_suspends_and_reactivates_from_the_page(as_user, staff, member):
    client = as_user(staff)
    client.post(detail(member) + "suspend/", {"reason": "規約違反の投稿"})
    member.refresh_from_db()
    assert member.status == User.Status.SUSPENDED
    assert member.suspension_reason == "規約違反の投稿"
    page = client.get(detail(member)).content.decode()
    assert "利用を再開する" in page and "規約違反の投稿" in page
    client.post(detail(member) + "reactivate/")
    member.refresh_from_db()
    assert member.status == User.Status.MEMBER


def test_it_refuses_role_changes_from_staff(as_user, staff, member):
    response = as_user(staff).post(detail(member) + "role/", {"role": "staff"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == User.Role.MEMBER


def test_it_lets_admins_change_roles(as_user, admin_user, member):
    response = as_user(admin_user).post(detail(member) + "role/", {"role": "staff"}, follow=True)
    assert "運営事務局" in response.content.decode()
    member.refresh_from_db()
    assert member.role == User.Role.STAFF


def test_it_takes_state_changes_by_post_only(as_user, admin_user, member):
    client = as_user(admin_user)
    for action in ("suspend/", "reactivate/", "role/"):
        assert client.get(detail(member) + action).status_code == 405
