from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityhall.feed.actions import do_mark_all_read, do_mark_post_read
from cityhall.feed.queries import PER_PAGE
from cityhall.feed.tests.conftest import comment_on, join, make_post, make_section
from cityhall.posts.models import Post

URL = reverse("feed:feed")


def titles(response) -> list[str]:
    return [post.title for post in response.context["feed"].posts]


def pinned(response) -> list[str]:
    return [post.title for post in response.context["feed"].pinned]


def test_it_gathers_the_lobby_my_sections_and_announcements(
    as_user, member, leader, section, closed_section
):
    other = make_section("観光課", "kankou")
    join(other, leader)
    join(section, member)
    make_post(leader, None, title="全体の話題")
    make_post(leader, section, title="防災課の話題")
    make_post(leader, other, title="観光課の話題")
    make_post(leader, other, title="観光課のお知らせ", kind=Post.Kind.ANNOUNCEMENT)
    make_post(leader, closed_section, title="非公開の課のお知らせ", kind=Post.Kind.ANNOUNCEMENT)
    make_post(leader, closed_section, title="非公開の課の話題")
    make_post(leader, None, title="削除された投稿", deleted_at=timezone.now())
    response = as_user(member).get(URL)
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(["全体の話題", "防災課の話題", "観光課のお知らせ"])
    body = response.content.decode()
    assert "非公開の課" not in body and "削除された投稿" not in body


def test_a_member_of_the_closed_section_gets_its_posts(as_user, member, leader, closed_section):
    join(closed_section, member)
    make_post(leader, closed_section, title="非公開の課の話題")
    assert titles(as_user(member).get(URL)) == ["非公開の課の話題"]


def test_a_pending_member_does_not(as_user, member, leader, closed_section):
    join(closed_section, member, status="pending")
    make_post(leader, closed_section, title="非公開の課の話題")
    assert titles(as_user(member).get(URL)) == []


def test_it_orders_by_latest_activity(as_user, member, leader):
    make_post(leader, None, title="古い", ago=timedelta(hours=3))
    make_post(leader, None, title="新しい", ago=timedelta(hours=1))
    bumped = make_post(leader, None, title="コメントで浮上", ago=timedelta(hours=5))
    Post.objects.filter(pk=bumped.pk).update(last_activity_at=timezone.now())
    assert titles(as_user(member).get(URL)) == ["コメントで浮上", "新しい", "古い"]


def test_pinned_announcements_of_my_places_sit_on_top_of_the_first_page_only(
    as_user, member, leader, section
):
    join(section, member)
    other = make_section("観光課", "kankou")
    announcement = Post.Kind.ANNOUNCEMENT
    make_post(leader, None, title="全体の固定", kind=announcement, is_pinned=True,
              ago=timedelta(days=2))  # fmt: skip
    make_post(leader, section, title="課の固定", kind=announcement, is_pinned=True,
              ago=timedelta(days=3))  # fmt: skip
    make_post(leader, other, title="よその課の固定", kind=announcement, is_pinned=True)
    for i in range(PER_PAGE + 1):
        make_post(leader, None, title=f"投稿{i:02}", ago=timedelta(minutes=10 + i))
    client = as_user(member)
    first = client.get(URL)
    assert pinned(first) == ["全体の固定", "課の固定"]
    # Pinned elsewhere, an announcement keeps its place in time.
    assert titles(first)[0] == "よその課の固定"
    assert "全体の固定" not in titles(first)
    body = first.content.decode()
    assert body.index("全体の固定") < body.index("よその課の固定")
    second = client.get(URL + first.context["feed"].next_query)
    assert pinned(second) == []
    assert "全体の固定" not in titles(second)


def test_it_pages_with_a_stable_cursor(as_user, member, leader, section):
    join(section, member)
    now = timezone.now()
    total = PER_PAGE * 2 + 3
    for i in range(total):
        # Several posts share a timestamp (the id breaks ties), from two sources.
        make_post(leader, section if i % 2 else None, title=f"投稿{i:03}",
                  created_at=now, last_activity_at=now - timedelta(minutes=i // 3))  # fmt: skip
    client = as_user(member)
    first = client.get(URL)
    make_post(leader, None, title="あとから来た投稿")
    second = client.get(URL + first.context["feed"].next_query)
    third = client.get(URL + second.context["feed"].next_query)
    seen = titles(first) + titles(second) + titles(third)
    expected = sorted(range(total), key=lambda i: (i // 3, -i))
    assert seen == [f"投稿{i:03}" for i in expected]
    assert third.context["feed"].next_query == ""
    assert "もっと前の投稿" in first.content.decode()


def test_it_ignores_a_broken_cursor(as_user, member, leader):
    make_post(leader, None, title="投稿")
    for cursor in ["nonsense", "2026-01-01T00:00:00|1", "|", "2026-13-01T00:00:00+00:00|x"]:
        response = as_user(member).get(URL, {"before": cursor})
        assert response.status_code == 200


def test_a_new_member_is_pointed_to_sections(as_user, member):
    body = as_user(member).get(URL).content.decode()
    assert "まだ表示できる投稿がありません。" in body
    assert reverse("sections:list") in body


def test_a_member_without_sections_is_told_what_joining_adds(as_user, member, leader):
    make_post(leader, None, title="全体の話題")
    body = as_user(member).get(URL).content.decode()
    assert "課に参加すると、その課の投稿もここに表示されます。" in body


def test_the_start_page_shows_the_first_page_under_the_checklist(as_user, member, leader):
    make_post(leader, None, title="全体の話題")
    response = as_user(member).get(reverse("home"))
    body = response.content.decode()
    assert response.context["feed"].posts[0].title == "全体の話題"
    assert body.index("はじめにやること") < body.index("全体の話題")
    assert 'name="next" value="home"' in body


def test_the_start_page_links_to_the_next_page_of_the_feed(as_user, member, leader):
    for i in range(PER_PAGE + 1):
        make_post(leader, None, title=f"投稿{i:02}", ago=timedelta(minutes=i + 1))
    response = as_user(member).get(reverse("home"))
    assert f'href="{URL}?before=' in response.content.decode()


def _fill(member, leader, sections, count):
    """Posts in every state the markers know: read before the watermark, commented on since,
    opened since, and new."""
    posts = []
    for i in range(count):
        where = sections[i % len(sections)]
        kind = Post.Kind.ANNOUNCEMENT if i % 5 == 0 else Post.Kind.QUESTION
        posts.append(make_post(leader, where, title=f"投稿{i}", kind=kind, is_pinned=i % 7 == 0,
                               ago=timedelta(minutes=10 + i)))  # fmt: skip
    do_mark_all_read(actor=member)
    later = timezone.now() + timedelta(seconds=1)
    for post in posts[::3]:
        comment_on(post, leader, later)
    for post in posts[1::3]:
        do_mark_post_read(post, actor=member)
        comment_on(post, leader, later)
    for i in range(count // 6 + 1):
        make_post(leader, sections[i % len(sections)], title=f"新しい投稿{i}",
                  ago=timedelta(seconds=-2))  # fmt: skip


@pytest.mark.usefixtures("long_ago")
@pytest.mark.parametrize("count", [6, 60])
def test_it_lists_with_a_constant_number_of_queries(
    as_user, member, leader, section, count, django_assert_max_num_queries
):
    other = make_section("観光課", "kankou")
    join(section, member)
    join(other, member)
    _fill(member, leader, [None, section, other], count)
    client = as_user(member)
    # session, user, memberships, page, pinned, watermark, reads, comments since the
    # watermark, and one for the site header
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    feed = response.context["feed"]
    assert len(feed.posts) == (7 if count == 6 else PER_PAGE)
    assert any(p.is_new for p in feed.posts) and any(p.new_comments for p in feed.posts)


@pytest.mark.usefixtures("long_ago")
def test_the_start_page_costs_the_same_queries_for_few_or_many_posts(
    as_user, member, leader, section, django_assert_max_num_queries
):
    join(section, member)
    _fill(member, leader, [None, section], 6)
    client = as_user(member)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    _fill(member, leader, [None, section], 60)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("home"))
    assert len(response.context["feed"].posts) == PER_PAGE


@pytest.mark.parametrize("who", ["applicant", "rejected", "suspended"])
def test_it_is_for_members_only(db, client, as_user, request, who):
    assert client.get(URL).status_code == 302
    response = as_user(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:status")


def test_staff_get_every_announcement_too(as_user, staff, leader, closed_section):
    make_post(leader, closed_section, title="非公開の課のお知らせ", kind=Post.Kind.ANNOUNCEMENT)
    assert titles(as_user(staff).get(URL)) == ["非公開の課のお知らせ"]


def test_a_member_without_sections_gets_the_lobbys_pinned_announcement_on_top(
    as_user, member, leader
):
    make_post(leader, None, title="全体の固定", kind=Post.Kind.ANNOUNCEMENT, is_pinned=True,
              ago=timedelta(days=1))  # fmt: skip
    make_post(leader, None, title="全体の話題")
    response = as_user(member).get(URL)
    assert pinned(response) == ["全体の固定"] and titles(response) == ["全体の話題"]
