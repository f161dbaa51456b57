import io

import pytest
from django.urls import reverse
from PIL import Image

from cityhall import testing
from cityhall.sections.models import Section, SectionMembership
from cityhall.sections.tests.conftest import add, make_section

pytestmark = pytest.mark.django_db


def test_it_lists_sections_by_kind_with_counts_and_my_membership(as_user, member, section):
    make_section("写真部", "photo", kind="social")
    add(section, member)
    response = as_user(member).get(reverse("sections:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "防災課" in html and "写真部" in html and "参加中" in html
    assert "メンバー 2 人" in html


def test_it_lists_sections_in_a_constant_number_of_queries(
    as_user, member, django_assert_max_num_queries
):
    client = as_user(member)
    for i in range(30):
        section = make_section(f"課{i}", f"s{i}")
        add(section, member, status="pending" if i % 2 else "active")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("sections:list")).status_code == 200


def test_it_shows_a_section_page_in_a_constant_number_of_queries(
    as_user, member, section, django_assert_max_num_queries
):
    for i in range(20):
        add(section, testing.make_user(f"m{i}@example.lg.jp"))
    client = as_user(member)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("sections:detail", args=["bousai"]))
    assert "災害に備える知恵" in response.content.decode()
    assert "参加する" in response.content.decode()


def test_it_lets_a_member_join_and_leave_from_the_page(as_user, member, section):
    client = as_user(member)
    response = client.post(reverse("sections:join", args=["bousai"]), follow=True)
    assert "「防災課」に参加しました。" in response.content.decode()
    response = client.post(reverse("sections:leave", args=["bousai"]), follow=True)
    assert "退出しました" in response.content.decode()
    assert not SectionMembership.objects.filter(user=member).exists()


def test_it_tells_the_sole_leader_why_they_cannot_leave(as_user, leader, section):
    response = as_user(leader).post(reverse("sections:leave", args=["bousai"]), follow=True)
    assert "課長はあなただけ" in response.content.decode()


def test_it_shows_requests_to_leaders_and_lets_them_approve(
    as_user, leader, member, approval_section
):
    request = add(approval_section, member, status="pending")
    client = as_user(leader)
    page = client.get(reverse("sections:detail", args=["career"])).content.decode()
    assert "参加申請" in page and member.full_name in page
    client.post(reverse("sections:decide", args=["career", request.pk]), {"decision": "approve"})
    assert SectionMembership.objects.get(pk=request.pk).status == "active"


def test_it_hides_requests_from_plain_members(as_user, member, outsider, approval_section):
    request = add(approval_section, member, status="pending")
    add(approval_section, outsider)
    client = as_user(outsider)
    page = client.get(reverse("sections:detail", args=["career"])).content.decode()
    assert "承認する" not in page
    url = reverse("sections:decide", args=["career", request.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_it_lets_leaders_change_roles_from_the_page(as_user, leader, member, section):
    add(section, member)
    as_user(leader).post(
        reverse("sections:set_role", args=["bousai"]), {"user_id": member.pk, "role": "deputy"}
    )
    assert section.memberships.get(user=member).role == "deputy"


def test_it_lists_my_sections_with_an_empty_state(as_user, member, section):
    client = as_user(member)
    assert "まだどの課にも参加していません" in client.get(reverse("sections:mine")).content.decode()
    add(section, member)
    assert "防災課" in client.get(reverse("sections:mine")).content.decode()


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (1600, 400), "red").save(data, format="PNG")
    data.seek(0)
    data.name = "cover.png"
    return data


def test_it_lets_staff_create_a_section_with_a_cover_served_to_members(
    as_user, staff, member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = as_user(staff).post(
        reverse("staff_sections:create"),
        {
            "name": "パワポ課",
            "slug": "powerpoint",
            "kind": "skills",
            "purpose": "伝わるスライドを作ります。",
            "joining_rule": "open",
            "cover_upload": _png(),
        },
    )
    assert response.status_code == 302
    section = Section.objects.get(slug="powerpoint")
    assert section.cover.name.endswith(".jpg")
    cover = as_user(member).get(reverse("sections:cover", args=["powerpoint"]))
    assert cover.status_code == 200 and cover["Content-Type"] == "image/jpeg"


def test_it_keeps_what_staff_typed_when_the_form_is_wrong(as_user, staff, section):
    response = as_user(staff).post(
        reverse("staff_sections:create"),
        {"name": "防災課", "slug": "mine", "kind": "work", "purpose": "新しい目的の文章"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "新しい目的の文章" in html and "このURL用の名前は使えません" in html


def test_it_lets_staff_edit_archive_and_assign_roles(as_user, staff, member, section):
    client = as_user(staff)
    client.post(
        reverse("staff_sections:edit", args=["bousai"]),
        {
            "name": "防災・危機管理課",
            "slug": "bousai",
            "kind": "work",
            "purpose": "新しい目的",
            "joining_rule": "approval",
        },
    )
    section.refresh_from_db()
    assert section.name == "防災・危機管理課" and section.joining_rule == "approval"
    client.post(
        reverse("staff_sections:roles", args=["bousai"]), {"email": member.email, "role": "deputy"}
    )
    assert section.memberships.get(user=member).role == "deputy"
    client.post(reverse("staff_sections:archive", args=["bousai"]))
    section.refresh_from_db()
    assert section.is_archived


def test_it_refuses_staff_pages_to_members(as_user, member, section):
    response = as_user(member).get(reverse("staff_sections:health"))
    assert response.status_code in {403, 404}


def test_it_shows_a_closed_sections_members_only_to_its_members(
    as_user, member, outsider, leader, approval_section
):
    add(approval_section, outsider)
    url = f"/sections/{approval_section.slug}/"
    hidden = as_user(member).get(url).content.decode()
    assert outsider.full_name not in hidden and leader.full_name in hidden
    assert "課のメンバーだけが見られます" in hidden
    assert outsider.full_name in as_user(leader).get(url).content.decode()
