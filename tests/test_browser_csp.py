"""A real browser shows the main pages under the Content-Security-Policy without a single
violation: the scripts, styles, htmx, the players and the admin all work within it.

Playwright drives Debian's Chromium (apt-get install chromium). In CI it is required; on a
developer machine without it the test is skipped with the reason.
"""

import os
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.broadcasts.models import Episode
from cityhall.broadcasts.players import YOUTUBE_PLAYER
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.posts.actions import do_add_comment
from cityhall.posts.tests.conftest import make_post

# Playwright's sync API runs an event loop in this thread; the ORM calls below are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Runs before any of the page's own scripts; Playwright's init scripts are not subject to CSP.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Visitor:
    """A browser context that records every CSP violation its pages report."""

    def __init__(self, browser, live_server, user=None):
        self.context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
        self.context.add_init_script(LISTEN)
        # The embedded player, without leaving the machine.
        self.context.route(
            re.compile(re.escape(YOUTUBE_PLAYER) + r"/.*"),
            lambda route: route.fulfill(
                content_type="text/html", body="<!doctype html><title>player</title>"
            ),
        )
        if user is not None:
            key = testing.sign_in(Client(), user).cookies["sessionid"].value
            self.context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
        self.console: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.console.append(message.text))
        self.live_server = live_server

    def visit(self, url: str) -> list[str]:
        """The violations the page reported while loading."""
        self.console.clear()
        response = self.page.goto(self.live_server.url + url)
        assert response is not None and response.ok, url
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(300)  # late reports (htmx swaps, lazy frames)
        reported = self.page.evaluate("window.__violations")
        logged = [line for line in self.console if "Content Security Policy" in line]
        return reported + logged


def test_the_main_pages_break_no_rule_of_the_policy(browser, live_server, member, leader):
    post = make_post(leader)
    do_add_comment(post, body="うちではこうしました。", actor=leader)
    programme = make_programme()
    embedded = make_episode(programme, stream_url="https://youtu.be/abc123")
    self_hosted = make_episode(
        make_programme(title="夜のラジオ", slug="night"),
        source=Episode.Source.SELF_HOSTED,
        stream_started_at=timezone.now(),
    )

    visitor = Visitor(browser, live_server)
    assert visitor.visit("/") == []
    assert visitor.visit(reverse("members:apply")) == []  # the organisation combobox
    assert visitor.visit(reverse("accounts:login")) == []

    visitor = Visitor(browser, live_server, member)
    assert visitor.visit("/") == []
    # htmx works within the policy: the bell has been loaded and swapped in.
    visitor.page.locator("a.bell:not([hx-get])").wait_for()
    assert visitor.visit(reverse("posts:detail", args=[post.pk])) == []
    assert visitor.visit(reverse("broadcasts:episode", args=[embedded.pk])) == []
    assert visitor.page.locator(f'iframe[src^="{YOUTUBE_PLAYER}/embed/"]').count() == 1
    assert visitor.visit(reverse("broadcasts:episode", args=[self_hosted.pk])) == []

    # The listener does hear the policy: inline code added now is refused and reported.
    visitor.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.append(script);
        }"""
    )
    visitor.page.wait_for_function("window.__violations.length > 0")
    assert visitor.page.evaluate("window.__ran") is None


def test_the_admin_and_staff_pages_break_no_rule_of_the_policy(browser, live_server, admin_user):
    visitor = Visitor(browser, live_server, admin_user)
    assert visitor.visit("/admin/") == []
    assert visitor.visit("/admin/accounts/user/") == []
    assert visitor.visit(reverse("staff:audit_log")) == []
