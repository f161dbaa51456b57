import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cityhall.posts.actions import do_create_post
from cityhall.posts.models import Post
from cityhall.posts.tests.conftest import join

DATA = {"title": "避難所の運営マニュアル", "body": "共有します。"}


def test_it_lets_a_member_post_in_the_lobby(member):
    post = do_create_post(section=None, kind="question", data=DATA, actor=member)
    assert post.section is None and post.author == member


def test_it_lets_only_active_members_post_in_a_section(member, section):
    with pytest.raises(PermissionDenied):
        do_create_post(section=section, kind="discussion", data=DATA, actor=member)
    join(section, member, status="pending")
    with pytest.raises(PermissionDenied):
        do_create_post(section=section, kind="discussion", data=DATA, actor=member)


def test_it_lets_a_section_member_and_staff_post_there(member, staff, section):
    join(section, member)
    assert do_create_post(section=section, kind="discussion", data=DATA, actor=member).pk
    assert do_create_post(section=section, kind="discussion", data=DATA, actor=staff).pk


def test_it_refuses_people_who_are_not_members(applicant, suspended):
    for person in (applicant, suspended):
        with pytest.raises(PermissionDenied):
            do_create_post(section=None, kind="discussion", data=DATA, actor=person)


def test_it_keeps_announcements_for_staff_and_the_sections_officers(member, leader, staff, section):
    join(section, member)
    with pytest.raises(ValidationError):
        do_create_post(section=section, kind="announcement", data=DATA, actor=member)
    with pytest.raises(ValidationError):
        do_create_post(section=None, kind="announcement", data=DATA, actor=leader)
    assert do_create_post(section=section, kind="announcement", data=DATA, actor=leader).pk
    assert do_create_post(section=None, kind="announcement", data=DATA, actor=staff).pk


def test_it_refuses_posts_in_an_archived_section(leader, section):
    section.archived_at = section.created_at
    section.save()
    with pytest.raises(ValidationError):
        do_create_post(section=section, kind="discussion", data=DATA, actor=leader)


def test_it_creates_a_post_from_the_form(as_user, member, section):
    join(section, member)
    page = as_user(member).get(reverse("posts:new") + "?section=bousai")
    assert "住民の個人情報" in page.content.decode()
    response = as_user(member).post(
        reverse("posts:new"),
        {"kind": "discussion", "where": "bousai", "title": "訓練の工夫", "body": "**教えて**"},
    )
    post = Post.objects.get()
    assert response.status_code == 302 and post.section == section
    assert "<strong>教えて</strong>" in as_user(member).get(response.url).content.decode()


def test_it_offers_only_my_sections(as_user, member, section):
    response = as_user(member).post(
        reverse("posts:new"),
        {"kind": "discussion", "where": "bousai", "title": "訓練の工夫", "body": "本文"},
    )
    assert response.status_code == 200 and not Post.objects.exists()
    assert "訓練の工夫" in response.content.decode()


def test_it_keeps_what_was_typed_when_refusing_an_announcement(as_user, member):
    response = as_user(member).post(
        reverse("posts:new"),
        {"kind": "announcement", "where": "", "title": "重要なお知らせ", "body": "残したい本文"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Post.objects.exists()
    assert (
        "お知らせを投稿できるのは" in html and "残したい本文" in html and "重要なお知らせ" in html
    )


def test_it_previews_without_saving(as_user, member):
    response = as_user(member).post(
        reverse("posts:new"),
        {
            "kind": "discussion",
            "where": "",
            "title": "下書き",
            "body": "- 一\n- 二",
            "preview": "1",
        },
    )
    assert "<li>一</li>" in response.content.decode()
    assert not Post.objects.exists()


def test_it_requires_what_was_done_for_a_case_study(as_user, member):
    client = as_user(member)
    data = {"kind": "case_study", "where": "", "title": "RPA導入", "body": "概要"}
    response = client.post(reverse("posts:new"), data)
    assert "取り組んだこと" in response.content.decode() and not Post.objects.exists()
    data.update(
        case_what="申請書の入力を自動化", case_cost="年30万円", case_organization_code="015113"
    )
    client.post(reverse("posts:new"), data)
    post = Post.objects.get()
    assert post.case_organization is not None
    assert post.case_cost == "年30万円" and post.case_organization.code == "015113"
    assert "年30万円" in client.get(reverse("posts:detail", args=[post.pk])).content.decode()


def test_it_drops_case_fields_for_other_kinds(member):
    post = do_create_post(
        section=None, kind="discussion", data={**DATA, "case_cost": "100円"}, actor=member
    )
    assert post.case_cost == ""
