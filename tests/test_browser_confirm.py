"""Destructive steps ask in our own accessible dialog, never the browser's confirm(): focus
moves into it, cancelling keeps everything and returns focus to the button, confirming goes on.

Playwright drives Debian's Chromium; without it the test is skipped with the reason.
"""

import os

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Dialog

from cityhall import testing
from cityhall.posts.models import Post
from cityhall.posts.tests.conftest import make_post

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_asks_in_its_own_dialog_before_deleting_a_post(browser, live_server, member):
    post = make_post(member)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    key = testing.sign_in(Client(), member).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    page = context.new_page()
    native = []

    def on_dialog(dialog: Dialog) -> None:
        native.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(live_server.url + reverse("posts:detail", args=[post.pk]))

    delete = page.get_by_role("button", name="削除")
    delete.click()
    dialog = page.locator("dialog#confirm-dialog")
    assert dialog.is_visible()
    assert "この投稿を削除しますか？" in dialog.inner_text()
    assert page.evaluate("document.activeElement.value") == "cancel"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "削除"
    assert Post.objects.get(pk=post.pk).deleted_at is None

    delete.click()
    with page.expect_navigation():
        dialog.get_by_role("button", name="実行する").click()
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    assert native == []  # the browser's confirm() was never used
    context.close()
