"""The export on the settings page in a real browser: the panel loads after the page, the
button swaps it in place, the state refreshes by itself while the export runs, and the
download arrives as a zip.

Playwright drives Debian's Chromium; without it the test is skipped with the reason.
"""

import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.interface.export_worker import KEEP_FOR
from cityhall.interface.models import DataExport

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_page(browser, live_server, member, settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    context = browser.new_context(locale="ja-JP", accept_downloads=True)
    key = testing.sign_in(Client(), member).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    yield context.new_page()
    context.close()


def test_a_member_asks_and_downloads_from_the_settings_page(
    signed_in_page, live_server, member, tmp_path: Path
) -> None:
    page = signed_in_page
    page.goto(live_server.url + reverse("accounts:settings"))
    panel = page.locator("#data-export")
    assert "まだ書き出したデータはありません" in panel.inner_text()

    # The test worker builds at once when the request commits, so the answer is already ready.
    page.get_by_role("button", name="データを書き出す").click()
    page.get_by_role("link", name="ダウンロード").wait_for()
    assert "データの書き出しを受け付けました" in panel.inner_text()
    assert page.url.endswith(reverse("accounts:settings")), "the page stays where it was"

    with page.expect_download() as download:
        page.get_by_role("link", name="ダウンロード").click()
    saved = tmp_path / "downloaded.zip"
    download.value.save_as(saved)
    assert "data.json" in zipfile.ZipFile(saved).namelist()


def test_the_state_refreshes_while_the_export_runs(signed_in_page, live_server, member) -> None:
    export = DataExport.objects.create(user=member, status=DataExport.Status.BUILDING)
    page = signed_in_page
    page.goto(live_server.url + reverse("accounts:settings"))
    assert "作成中" in page.locator("#data-export").inner_text()

    now = timezone.now()
    export.file.save("ready.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    export.status = DataExport.Status.READY
    export.finished_at, export.expires_at = now, now + KEEP_FOR
    export.save()
    page.get_by_role("link", name="ダウンロード").wait_for(timeout=10_000)
    assert "作成中" not in page.locator("#data-export").inner_text()
