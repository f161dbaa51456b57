"""A real browser double-taps 投稿する: one post. Playwright drives Debian's Chromium; without
it the test is skipped (CI requires it, as for the joining walk-through)."""

import os
import re

import pytest
from django.test import Client

from cityhall import testing
from cityhall.posts.models import Comment, Post

# Playwright's sync API runs an event loop in this thread; the ORM calls below are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, member):

    key = testing.sign_in(Client(), member).cookies["sessionid"].value
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    yield context.new_page()


def test_a_double_tap_on_the_submit_buttons_posts_and_comments_once(page, live_server, member):
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.goto(f"{live_server.url}/posts/new/")
    page.fill("#id_title", "除雪計画の作り方")
    page.fill("#id_body", "どこから手をつけましたか。")
    page.get_by_role("button", name="投稿する", exact=True).dblclick()
    page.wait_for_url(re.compile(r"/posts/\d+/$"))
    post = Post.objects.get()
    assert post.author == member and page.url.endswith(f"/posts/{post.pk}/")
    assert sent == [f"{live_server.url}/posts/new/"]  # the second tap sent nothing

    page.fill("#id_body", "自己レスです。")
    page.get_by_role("button", name="コメントする").dblclick()
    page.wait_for_url(re.compile(rf"/posts/{post.pk}/#comment-\d+$"))
    page.locator("#comment-list").get_by_text("自己レスです。").wait_for()
    assert Comment.objects.filter(post=post).count() == 1
    assert sent[1:] == [f"{live_server.url}/posts/{post.pk}/comments/"]
    assert Post.objects.count() == 1
