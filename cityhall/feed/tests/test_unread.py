from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.core.periodic import JOBS
from cityhall.feed.actions import do_mark_all_read, do_mark_post_read, do_prune_reads
from cityhall.feed.models import PostRead, ReadMark
from cityhall.feed.queries import feed_page
from cityhall.feed.reads import HORIZON
from cityhall.feed.tests.conftest import comment_on, make_post
from cityhall.posts.models import Post

URL = reverse("feed:feed")
pytestmark = pytest.mark.usefixtures("long_ago")


def markers(user) -> dict[str, tuple[bool, int]]:
    page = feed_page(user)
    posts: list[Any] = page.pinned + page.posts  # mark_unread sets is_new and new_comments
    return {p.title: (p.is_new, p.new_comments) for p in posts}


def test_a_post_is_new_until_the_member_opens_it(as_user, member, leader):
    post = make_post(leader, None, title="新しい話題")
    client = as_user(member)
    assert "新着" in client.get(URL).content.decode()
    assert client.get(reverse("posts:detail", args=[post.pk])).status_code == 200
    assert markers(member) == {"新しい話題": (False, 0)}
    assert "新着" not in client.get(URL).content.decode()


def test_new_comments_since_the_visit_are_counted(as_user, member, leader, outsider):
    post = make_post(leader, None, title="話題", ago=timedelta(hours=2))
    comment_on(post, outsider, timezone.now() - timedelta(hours=1))
    client = as_user(member)
    client.get(reverse("posts:detail", args=[post.pk]))
    comment_on(post, outsider)
    comment_on(post, leader)
    assert markers(member) == {"話題": (False, 2)}
    body = client.get(URL).content.decode()
    assert "新しいコメント 2件" in body
    assert reverse("posts:detail", args=[post.pk]) + "#comments" in body


def test_my_own_post_is_not_new_to_me_but_its_comments_are(member, outsider):
    post = make_post(member, None, title="私の質問")
    assert markers(member) == {"私の質問": (False, 0)}
    comment_on(post, outsider)
    assert markers(member) == {"私の質問": (False, 1)}


def test_posts_from_before_joining_are_not_new(member, leader):
    make_post(leader, None, title="入会前の投稿", ago=timedelta(days=2))
    member.approved_at = timezone.now() - timedelta(days=1)
    assert markers(member) == {"入会前の投稿": (False, 0)}


def test_nothing_older_than_the_horizon_is_new(member, leader):
    old = make_post(leader, None, title="古い投稿", ago=HORIZON + timedelta(days=1))
    assert markers(member) == {"古い投稿": (False, 0)}
    do_mark_post_read(old, actor=member)
    assert not PostRead.objects.exists()  # nothing to remember about it


def test_opening_a_post_twice_keeps_one_row(member, leader, outsider):
    post = make_post(leader, None)
    do_mark_post_read(post, actor=member)
    comment_on(post, outsider)
    post.refresh_from_db()
    do_mark_post_read(post, actor=member)
    row = PostRead.objects.get()
    assert (row.user_id, row.post_id, row.comments_seen) == (member.pk, post.pk, 1)


def test_opening_a_post_is_one_query(member, leader, django_assert_max_num_queries):
    post = make_post(leader, None)
    with django_assert_max_num_queries(1):
        do_mark_post_read(post, actor=member)


def test_mark_all_read_clears_every_marker_and_the_rows(as_user, member, leader, outsider):
    opened = make_post(leader, None, title="開いた投稿", ago=timedelta(hours=2))
    make_post(leader, None, title="開いていない投稿", ago=timedelta(hours=1))
    do_mark_post_read(opened, actor=member)
    comment_on(opened, outsider)
    client = as_user(member)
    response = client.post(reverse("feed:mark_all_read"), {"next": "feed"})
    assert response.status_code == 302 and response["Location"] == URL
    assert markers(member) == {"開いた投稿": (False, 0), "開いていない投稿": (False, 0)}
    assert not PostRead.objects.filter(user=member).exists()
    assert ReadMark.objects.filter(user=member).count() == 1
    assert "すべての投稿を既読にしました。" in client.get(URL).content.decode()


def test_after_mark_all_read_new_activity_shows_again(member, leader, outsider):
    unopened = make_post(leader, None, title="開いていない投稿", ago=timedelta(hours=2))
    do_mark_all_read(actor=member)
    comment_on(unopened, outsider, timezone.now() + timedelta(seconds=1))
    comment_on(unopened, member, timezone.now() + timedelta(seconds=2))  # my own: not new
    make_post(leader, None, title="そのあとの投稿", ago=timedelta(seconds=-3))
    assert markers(member) == {"そのあとの投稿": (True, 0), "開いていない投稿": (False, 1)}


def test_mark_all_read_returns_to_the_start_page_and_needs_post(as_user, member):
    client = as_user(member)
    assert client.get(reverse("feed:mark_all_read")).status_code == 405
    response = client.post(reverse("feed:mark_all_read"), {"next": "home"})
    assert response["Location"] == reverse("home")
    response = client.post(reverse("feed:mark_all_read"), {"next": "https://evil.example/"})
    assert response["Location"] == URL


def test_another_members_reading_is_not_mine(member, outsider, leader):
    post = make_post(leader, None, title="話題")
    do_mark_post_read(post, actor=outsider)
    assert markers(member) == {"話題": (True, 0)}


def test_a_deleted_post_is_not_recorded(member, leader):
    post = make_post(leader, None, deleted_at=timezone.now())
    do_mark_post_read(post, actor=member)
    assert not PostRead.objects.exists()


def test_the_daily_clean_up_drops_old_rows_without_changing_any_answer(member, leader, outsider):
    now = timezone.now()
    post = make_post(leader, None, title="話題", ago=timedelta(days=40))
    PostRead.objects.create(user=member, post=post, seen_at=now - timedelta(days=35),
                            comments_seen=0)  # fmt: skip
    recent = make_post(leader, None, title="最近の話題")
    do_mark_post_read(recent, actor=member)
    comment_on(post, outsider, now - timedelta(days=1))
    before = markers(member)
    assert before == {"話題": (False, 1), "最近の話題": (False, 0)}
    assert JOBS["feed.prune_reads"].run(now) == 1
    assert list(PostRead.objects.values_list("post_id", flat=True)) == [recent.pk]
    assert markers(member) == before
    assert do_prune_reads(now=now) == 0  # idempotent


def test_reading_state_is_never_a_leak(as_user, member, leader, closed_section):
    secret = make_post(leader, closed_section, title="非公開の話題")
    client = as_user(member)
    assert client.get(reverse("posts:detail", args=[secret.pk])).status_code == 404
    assert not PostRead.objects.filter(user=member).exists()
    assert Post.objects.filter(pk=secret.pk).exists()
