from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityhall.posts.models import Post
from cityhall.posts.tests.conftest import join, make_comment, make_post
from cityhall.posts.views import PER_PAGE

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_it_pages_with_a_stable_cursor(as_user, member, leader):
    now = timezone.now()
    # Several posts share a timestamp: the id breaks the tie.
    for i in range(PER_PAGE * 2 + 3):
        make_post(
            leader, None, title=f"投稿{i:03}", last_activity_at=now - timedelta(minutes=i // 3)
        )
    client = as_user(member)
    first = client.get(reverse("posts:lobby"))
    next_url = first.context["next_url"]
    # A new post arriving between page loads does not shift the older pages.
    make_post(leader, None, title="新着")
    second = client.get(reverse("posts:lobby") + next_url)
    third = client.get(reverse("posts:lobby") + second.context["next_url"])
    pages = [[p.title for p in r.context["posts"]] for r in (first, second, third)]
    seen = [t for page in pages for t in page]
    assert "新着" not in seen
    expected = sorted(range(PER_PAGE * 2 + 3), key=lambda i: (i // 3, -i))
    assert seen == [f"投稿{i:03}" for i in expected]
    assert third.context["next_url"] == ""


def test_it_ignores_a_broken_cursor(as_user, member, leader):
    make_post(leader, None, title="投稿000")
    response = as_user(member).get(reverse("posts:lobby") + "?before=nonsense")
    assert response.status_code == 200 and "投稿000" in response.content.decode()


def test_it_shows_an_empty_state(as_user, member):
    html = as_user(member).get(reverse("posts:lobby")).content.decode()
    assert "まだ投稿はありません" in html


def test_it_orders_by_latest_activity_and_pins_on_top(as_user, member, leader):
    older = make_post(leader, None, title="古い投稿")
    make_post(leader, None, title="新しい投稿")
    make_post(leader, None, title="固定の投稿", is_pinned=True)
    make_comment(older, member)
    Post.objects.filter(pk=older.pk).update(last_activity_at=timezone.now() + timedelta(minutes=1))
    html = as_user(member).get(reverse("posts:lobby")).content.decode()
    assert html.index("固定の投稿") < html.index("古い投稿") < html.index("新しい投稿")


def _fill(leader, section, count):
    for i in range(count):
        post = make_post(leader, section, kind="question", title=f"投稿{i:03}")
        if i % 2:
            post.is_pinned = i == 1
            post.save()


@pytest.mark.parametrize("url_name", ["posts:lobby", "posts:section", "posts:unanswered"])
def test_it_lists_with_a_constant_number_of_queries(as_user, member, leader, section, url_name):
    join(section, member)
    target = section if url_name == "posts:section" else None
    args = ["bousai"] if url_name == "posts:section" else []
    client = as_user(member)
    _fill(leader, target, 5)
    client.get(reverse(url_name, args=args))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(url_name, args=args))
    _fill(leader, target, 20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse(url_name, args=args))
    assert len(response.context["posts"]) > 5
    assert len(large) == len(small)


def test_it_shows_a_post_with_many_comments_in_constant_queries(as_user, member, leader):
    post = make_post(leader, None, kind="question")
    client = as_user(member)
    url = reverse("posts:detail", args=[post.pk])

    def add(n):
        for _ in range(n):
            top = make_comment(post, member)
            make_comment(post, leader, parent=top)

    add(5)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(20)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_it_shows_hostile_titles_bodies_and_comments_inert(as_user, member, leader):
    post = make_post(leader, None, title=HOSTILE, body=HOSTILE + "\n\n[x](javascript:alert(1))")
    make_comment(post, member, body=HOSTILE)
    client = as_user(member)
    for url in (reverse("posts:detail", args=[post.pk]), reverse("posts:lobby")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert 'href="javascript' not in html


def test_it_shows_a_sections_latest_posts_on_the_section_page(as_user, member, leader, section):
    make_post(leader, section, title="課の最新の話題")
    html = as_user(member).get(reverse("sections:detail", args=["bousai"])).content.decode()
    assert "課の最新の話題" in html and reverse("posts:section", args=["bousai"]) in html


def test_it_keeps_a_closed_sections_feed_off_its_page_for_outsiders(
    as_user, member, leader, closed_section
):
    make_post(leader, closed_section, title="非公開の話題")
    html = as_user(member).get(reverse("sections:detail", args=["jinji"])).content.decode()
    assert "非公開の話題" not in html
