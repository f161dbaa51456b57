"""At 390 px (a phone), pages with long unbroken text (URLs, notice numbers) do not scroll
sideways: FAQ documents, posts and comments wrap their content.

Playwright drives Debian's Chromium; without it the test is skipped with the reason.
"""

import os

import pytest
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.core.jst import now_jst
from cityhall.knowledge.actions import do_create_faq
from cityhall.knowledge.models import FaqEntry
from cityhall.posts.tests.conftest import make_comment, make_post
from cityhall.sections.models import Section, SectionMembership

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_URL = "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/kenkou_iryou/kenkou/kekkaku-kansenshou/yobou-sesshu/index_00001234567890.html"
LONG_WORD = "申請書様式第1号" + "ABCDEFGHIJ" * 11  # 118 characters: a post title holds 120


OVERFLOWING = """[...document.querySelectorAll('*')]
  .filter(e => e.scrollWidth > 391 || e.getBoundingClientRect().right > 391)
  .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}`)
  .slice(0, 25)"""


def too_wide(browser, live_server, user, url) -> list[str]:
    """The elements wider than the phone's screen, if the page scrolls sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    key = testing.sign_in(Client(), user).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    page = context.new_page()
    response = page.goto(live_server.url + url)
    assert response is not None and response.ok, url
    width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(OVERFLOWING) if width > 390 else []
    context.close()
    return overflowing


def test_it_wraps_long_urls_in_the_faq_document(browser, live_server, member, leader):
    section = Section.objects.create(name="予防接種課", slug="vaccine", kind="work", purpose="-")
    SectionMembership.objects.create(section=section, user=leader, role="leader")
    data = {
        "question": f"定期接種の通知はどこにありますか（{LONG_WORD}）",
        "answer": f"こちらです: {LONG_URL}\n\n| 様式 | URL |\n|---|---|\n"
        f"| {LONG_WORD} | {LONG_URL} |",
        "as_of": now_jst().date(),
        "tags": ["予防接種"],
        "duties": [],
        "notice_title": f"予防接種法施行令の一部改正について（{LONG_WORD}）",
        "notice_issuer": "厚生労働省",
        "notice_date": None,
        "notice_url": LONG_URL,
        "source_note": LONG_URL,
        "status": FaqEntry.Status.PUBLISHED,
    }
    do_create_faq(data=data, actor=leader)
    assert too_wide(browser, live_server, member, reverse("knowledge:document")) == []


def test_it_wraps_long_urls_in_posts_and_comments(browser, live_server, member, leader):
    post = make_post(leader, title=LONG_WORD, body=f"参考: {LONG_URL}\n\n```\n{LONG_URL}\n```")
    make_comment(post, member, body=f"{LONG_WORD} {LONG_URL}")
    url = reverse("posts:detail", args=[post.pk])
    assert too_wide(browser, live_server, member, url) == []
