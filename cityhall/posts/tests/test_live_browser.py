"""A real browser keeps an open post page up to date. The test server speaks plain HTTP only,
so the WebSocket fails exactly as behind a proxy that blocks it, and the page must fall back to
polling by itself. Playwright drives Debian's Chromium; without it the test is skipped (CI
requires it, as for the joining walk-through)."""

import os

import pytest
from django.test import Client

from cityhall import testing
from cityhall.posts.actions import do_add_comment
from cityhall.posts.tests.conftest import make_post

# Playwright's sync API runs an event loop in this thread; the ORM calls below are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, member):

    key = testing.sign_in(Client(), member).cookies["sessionid"].value
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    page = context.new_page()
    page.clock.install()  # the 20-second polling interval, without waiting 20 seconds
    yield page


def test_it_shows_new_comments_without_a_reload_by_polling(page, live_server, leader):
    post = make_post(leader)
    first = do_add_comment(post, body="最初のコメント", actor=leader)
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    page.locator("#id_body").focus()
    page.keyboard.type("書きかけ")
    top = page.evaluate("window.scrollY")

    reply = do_add_comment(post, body="届いた返信", parent=first, actor=leader)
    newest = do_add_comment(post, body="届いたコメント", actor=leader)
    page.clock.run_for(21_000)
    page.locator(f"#comment-{newest.pk}").wait_for()
    page.clock.run_for(500)

    assert page.locator(f"#replies-{first.pk} #comment-{reply.pk}").is_visible()
    assert page.locator("[data-live-count]").inner_text() == "3"
    assert page.locator("[data-live-status]").inner_text() == "新しいコメントが2件あります。"
    # Nothing moved under the member's hands: focus, what they typed, the scroll position.
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert page.locator("#id_body").input_value() == "書きかけ"
    assert page.evaluate("window.scrollY") == top
