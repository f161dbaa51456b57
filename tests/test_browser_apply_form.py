"""The application form in a real browser: a corrected field's error goes away, and ticking a
duty names it beside its folded group.

Playwright drives Debian's Chromium; without it the test is skipped with the reason.
"""

import os

import pytest
from django.urls import reverse

from cityhall.members.tests.joining_helpers import some_duties

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()


def test_it_clears_a_corrected_fields_error_and_names_chosen_duties(page, live_server):
    first, _second = some_duties()
    page.goto(live_server.url + reverse("members:apply"))
    page.get_by_role("button", name="申請する").click()
    page.wait_for_load_state("load")
    family = page.locator(".field", has=page.locator("#id_family_name"))
    assert family.locator(".field__error").is_visible()
    page.locator("#id_family_name").fill("市役")
    assert not family.locator(".field__error").is_visible()
    assert "field--error" not in (family.get_attribute("class") or "")
    given = page.locator(".field", has=page.locator("#id_given_name"))
    assert given.locator(".field__error").is_visible()  # not corrected yet

    group = page.locator("details[data-duty-group]", has_text=first.category)
    group.locator("summary").click()
    group.get_by_label(first.name).check()
    group.locator("summary").click()  # fold it again
    assert group.locator("[data-chosen]").is_visible()
    assert first.name in group.locator("[data-chosen-list]").inner_text()
