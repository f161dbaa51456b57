"""A member's data export is built in the background: asked for on the settings page, built by
the worker, announced by mail, downloaded by that member only, deleted after 7 days."""

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.accounts.deletion_actions import do_erase_due_accounts, do_request_account_deletion
from cityhall.accounts.models import User
from cityhall.accounts.tests.helpers import link_in
from cityhall.interface import export_worker
from cityhall.interface.actions import do_request_data_export
from cityhall.interface.models import DataExport
from cityhall.interface.tests.helpers import ask_for_export, content_of, requested_zip, unzip

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2027, 3, 10, 10, 0, tzinfo=JST)
PAGE = reverse("export_data")
PANEL = reverse("export_data_panel")
Status = DataExport.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    return tmp_path


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def download_url(export: DataExport) -> str:
    return reverse("export_data_download", args=[export.pk])


def ready_export(user: User, capture) -> DataExport:
    with capture(execute=True):
        do_request_data_export(actor=user)
    export = DataExport.objects.get(user=user)
    assert export.status == Status.READY
    return export


# Asking, building, mail, download


def test_it_builds_the_export_in_the_background_and_mails_a_link(
    frozen, as_user, member, media, django_capture_on_commit_callbacks
) -> None:
    client = as_user(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_export(client)
    assert response.status_code == 302 and response["Location"] == PAGE

    export = DataExport.objects.get(user=member)
    assert export.status == Status.READY and export.attempts == 1
    assert export.expires_at == START + timedelta(days=7)
    assert export.file.name.startswith("exports/") and (media / export.file.name).is_file()

    [message] = mail.outbox
    assert message.to == [member.email]
    assert "データの書き出しができました" in message.subject
    assert "2027年3月17日 10:00 まで" in message.body
    assert link_in(message) == download_url(export)

    response = client.get(link_in(message))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"] == 'attachment; filename="cityhall-my-data-2027-03-10.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"
    data, _html = unzip(response)
    assert data["account"]["email"] == member.email
    assert data["profile"]["organization"] == "北海道 猿払村"


def test_the_page_tells_the_member_it_was_received(as_user, member) -> None:
    """Without running the worker the export stays queued, as it would until one is free."""
    client = as_user(member)
    html = client.get(ask_for_export(client)["Location"]).content.decode()
    assert "データの書き出しを受け付けました" in html
    assert "順番待ち" in html
    assert DataExport.objects.get(user=member).status == Status.QUEUED


def test_htmx_gets_the_panel_back_in_place(as_user, member) -> None:
    response = ask_for_export(as_user(member), HX_Request="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="data-export"' in html
    assert "データの書き出しを受け付けました" in html
    assert 'hx-trigger="every 3s"' in html


def test_a_second_request_while_one_is_queued_returns_it(
    as_user, member, django_capture_on_commit_callbacks
) -> None:
    client = as_user(member)
    with django_capture_on_commit_callbacks() as first:
        ask_for_export(client)
    with django_capture_on_commit_callbacks() as second:
        html = ask_for_export(client, HX_Request="true").content.decode()
    assert DataExport.objects.filter(user=member).count() == 1
    assert "データの書き出しはすでに受け付けています" in html
    assert len(first) == 1 and not second, "no second build is started"


def test_a_second_request_while_one_is_building_returns_it(member) -> None:
    export, running = do_request_data_export(actor=member)
    assert not running
    DataExport.objects.filter(pk=export.pk).update(status=Status.BUILDING)
    again, running = do_request_data_export(actor=member)
    assert running and again == export


def test_the_same_form_sent_twice_asks_once(as_user, member) -> None:
    client = as_user(member)
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(PAGE, {"submission_key": key}, headers={"HX-Request": "true"})
        assert "データの書き出しを受け付けました" in response.content.decode()
    assert DataExport.objects.filter(user=member).count() == 1


def test_a_malformed_key_is_refused(as_user, member) -> None:
    response = as_user(member).post(
        PAGE, {"submission_key": "nonsense"}, headers={"HX-Request": "true"}
    )
    assert "送信キーが正しくない" in response.content.decode()
    assert not DataExport.objects.exists()


def test_a_new_request_replaces_the_finished_export_and_its_file(
    member, media, django_capture_on_commit_callbacks
) -> None:
    old = ready_export(member, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        new, running = do_request_data_export(actor=member)
    assert not running
    assert list(DataExport.objects.filter(user=member)) == [new]
    assert not (media / old.file.name).exists()


# Who may download


def test_only_the_member_who_asked_may_download(
    member, outsider, staff, admin_user, django_capture_on_commit_callbacks
) -> None:
    export = ready_export(member, django_capture_on_commit_callbacks)
    url = download_url(export)
    for other in (outsider, staff, admin_user):
        assert testing.sign_in(Client(), other).get(url).status_code == 404, other
    assert Client().get(url)["Location"].startswith(reverse("accounts:login"))
    assert content_of(testing.sign_in(Client(), member).get(url)).startswith(b"PK")


def test_an_export_not_ready_cannot_be_downloaded(as_user, member) -> None:
    export, _running = do_request_data_export(actor=member)
    assert as_user(member).get(download_url(export)).status_code == 404


def test_a_suspended_member_cannot_download(member, django_capture_on_commit_callbacks) -> None:
    export = ready_export(member, django_capture_on_commit_callbacks)
    client = testing.sign_in(Client(), member)
    User.objects.filter(pk=member.pk).update(status=User.Status.SUSPENDED)
    response = client.get(download_url(export))
    assert response["Location"] == reverse("members:status")


# Expiry


def test_the_file_is_deleted_after_seven_days(
    frozen, as_user, member, media, django_capture_on_commit_callbacks
) -> None:
    export = ready_export(member, django_capture_on_commit_callbacks)
    client = as_user(member)
    path = media / export.file.name

    frozen.shift(timedelta(days=7) - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert export_worker.expire_data_exports(timezone.now()) == 0
    assert path.is_file()
    assert content_of(client.get(download_url(export))).startswith(b"PK")

    frozen.shift(timedelta(minutes=1))
    assert client.get(download_url(export)).status_code == 404, "past its date, even uncleaned"
    assert "まだ書き出したデータはありません" in client.get(PANEL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert export_worker.expire_data_exports(timezone.now()) == 1
    assert not DataExport.objects.exists()
    assert not path.exists()


def test_expiry_removes_old_files_no_export_names(
    db, frozen, media, django_capture_on_commit_callbacks
) -> None:
    name = default_storage.save("exports/left-behind.zip", ContentFile(b"PK"))
    os.utime(media / name, (START.timestamp(), START.timestamp()))  # the disk has its own clock
    with django_capture_on_commit_callbacks(execute=True):
        export_worker.expire_data_exports(timezone.now() + timedelta(days=6))
    assert (media / name).exists(), "a file this young may be a worker's that is finishing"
    with django_capture_on_commit_callbacks(execute=True):
        export_worker.expire_data_exports(timezone.now() + timedelta(days=8))
    assert not (media / name).exists()


def test_the_clock_runs_the_export_jobs() -> None:
    from cityhall.core.periodic import JOBS

    assert JOBS["interface.sweep_data_exports"].every == timedelta(minutes=1)
    assert JOBS["interface.expire_data_exports"].every == timedelta(hours=1)


# A worker that dies or fails


def test_an_export_whose_worker_died_is_handed_on(
    frozen, member, django_capture_on_commit_callbacks
) -> None:
    export, _running = do_request_data_export(actor=member)
    DataExport.objects.filter(pk=export.pk).update(
        status=Status.BUILDING, attempts=1, claimed_until=START + export_worker.LEASE
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert export_worker.sweep_data_exports(timezone.now()) == 0, "its lease still runs"
    frozen.shift(export_worker.LEASE + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert export_worker.sweep_data_exports(timezone.now()) == 1
    export.refresh_from_db()
    assert export.status == Status.READY and export.attempts == 2
    assert len(mail.outbox) == 1


def test_an_export_whose_task_was_lost_is_handed_on(
    frozen, member, django_capture_on_commit_callbacks
) -> None:
    export, _running = do_request_data_export(actor=member)  # its task never ran
    frozen.shift(export_worker.LEASE - timedelta(seconds=1))
    assert export_worker.sweep_data_exports(timezone.now()) == 0
    frozen.shift(timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert export_worker.sweep_data_exports(timezone.now()) == 1
    export.refresh_from_db()
    assert export.status == Status.READY


def test_a_worker_whose_lease_was_taken_over_keeps_nothing(
    member, media, django_capture_on_commit_callbacks
) -> None:
    export, _running = do_request_data_export(actor=member)

    def taken_over(user: User) -> bytes:
        DataExport.objects.filter(pk=export.pk).update(claimed_until=timezone.now())
        return b"PK"

    with (
        mock.patch.object(export_worker, "export_zip", taken_over),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert export_worker.build(export.pk) == "dropped"
    assert not list((media / "exports").iterdir())
    assert DataExport.objects.get(pk=export.pk).status == Status.BUILDING
    assert not mail.outbox


def test_a_failing_export_is_retried_then_reported(
    frozen, as_user, member, django_capture_on_commit_callbacks
) -> None:
    with mock.patch.object(export_worker, "export_zip", side_effect=RuntimeError("disk")):
        with django_capture_on_commit_callbacks(execute=True):
            export, _running = do_request_data_export(actor=member)
        export.refresh_from_db()
        assert export.status == Status.QUEUED and export.attempts == 1
        for attempt in range(2, export_worker.MAX_ATTEMPTS + 1):
            frozen.shift(export_worker.LEASE)
            with django_capture_on_commit_callbacks(execute=True):
                export_worker.sweep_data_exports(timezone.now())
            export.refresh_from_db()
            assert export.attempts == attempt
    assert export.status == Status.FAILED
    assert export.expires_at == timezone.now() + timedelta(days=7)
    [message] = mail.outbox
    assert "データの書き出しができませんでした" in message.subject
    html = as_user(member).get(PANEL).content.decode()
    assert "データの書き出しに失敗しました" in html and "もう一度書き出す" in html


def test_a_worker_that_dies_every_time_ends_in_failed(
    frozen, member, django_capture_on_commit_callbacks
) -> None:
    export, _running = do_request_data_export(actor=member)
    DataExport.objects.filter(pk=export.pk).update(
        status=Status.BUILDING,
        attempts=export_worker.MAX_ATTEMPTS,
        claimed_until=START - timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert export_worker.sweep_data_exports(timezone.now()) == 0
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert "データの書き出しができませんでした" in mail.outbox[0].subject


# Account deletion


def test_erasing_the_account_deletes_its_exports_and_files(
    frozen, member, media, django_capture_on_commit_callbacks
) -> None:
    export = ready_export(member, django_capture_on_commit_callbacks)
    do_request_account_deletion(member, delete_content=False, actor=member)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_erase_due_accounts(START + timedelta(days=30)) == 1
    assert not DataExport.objects.exists()
    assert not (media / export.file.name).exists()


def test_an_export_queued_when_the_account_is_erased_builds_nothing(
    frozen, member, media, django_capture_on_commit_callbacks
) -> None:
    export, _running = do_request_data_export(actor=member)  # the worker is busy elsewhere
    do_request_account_deletion(member, delete_content=False, actor=member)
    with django_capture_on_commit_callbacks(execute=True):
        do_erase_due_accounts(START + timedelta(days=30))
    mail.outbox.clear()
    assert not DataExport.objects.exists()
    assert export_worker.build(export.pk) == "skipped"
    assert not (media / "exports").exists()
    assert not mail.outbox


def test_the_worker_builds_nothing_for_an_erased_account(
    frozen, member, media, django_capture_on_commit_callbacks
) -> None:
    do_request_account_deletion(member, delete_content=False, actor=member)
    do_erase_due_accounts(START + timedelta(days=30))
    mail.outbox.clear()
    export = DataExport.objects.create(user=member)  # however it got there
    assert export_worker.build(export.pk) == "dropped"
    assert not DataExport.objects.exists()
    assert not (media / "exports").exists()
    assert not mail.outbox


def test_an_erasure_while_the_zip_is_being_built_keeps_nothing(
    frozen, member, media, django_capture_on_commit_callbacks
) -> None:
    export, _running = do_request_data_export(actor=member)
    do_request_account_deletion(member, delete_content=False, actor=member)
    real_zip = export_worker.export_zip

    def erased_meanwhile(user: User) -> bytes:
        content = real_zip(user)
        do_erase_due_accounts(START + timedelta(days=30))
        return content

    mail.outbox.clear()
    with (
        mock.patch.object(export_worker, "export_zip", erased_meanwhile),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert export_worker.build(export.pk) == "dropped"
    assert not DataExport.objects.exists()
    assert not list((media / "exports").iterdir())
    assert all("データの書き出し" not in m.subject for m in mail.outbox)


# What the settings page shows


def test_the_settings_page_loads_the_export_panel(as_user, member) -> None:
    html = as_user(member).get(reverse("accounts:settings")).content.decode()
    assert f'hx-get="{PANEL}"' in html
    assert f'href="{PAGE}"' in html, "without JavaScript, the export's own page"


def test_the_panel_offers_the_button_when_there_is_no_export(as_user, member) -> None:
    response = as_user(member).get(PANEL)
    html = response.content.decode()
    assert "まだ書き出したデータはありません" in html
    assert "データを書き出す" in html and 'name="submission_key"' in html
    assert "every 3s" not in html
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.QUEUED, ["順番待ち", "順番が来ると"]),
        (Status.BUILDING, ["作成中", "データをまとめています"]),
    ],
)
def test_the_panel_refreshes_while_the_export_runs(as_user, member, status, words) -> None:
    DataExport.objects.create(user=member, status=status)
    html = as_user(member).get(PANEL).content.decode()
    for word in words:
        assert word in html
    assert 'hx-trigger="every 3s"' in html and "<progress" in html
    assert "データを書き出す" not in html


def test_the_panel_offers_the_download_and_its_date_when_ready(
    frozen, as_user, member, django_capture_on_commit_callbacks
) -> None:
    export = ready_export(member, django_capture_on_commit_callbacks)
    html = as_user(member).get(PANEL).content.decode()
    assert "ダウンロードできます" in html
    assert download_url(export) in html
    assert "2027年3月17日 10:00 までダウンロードできます" in html
    assert "新しく書き出す" in html
    assert "every 3s" not in html


def test_the_export_page_shows_the_same_without_javascript(as_user, member) -> None:
    DataExport.objects.create(user=member, status=Status.FAILED)
    html = as_user(member).get(PAGE).content.decode()
    assert "自分のデータの書き出し" in html
    assert "データの書き出しに失敗しました" in html


def test_a_member_sees_only_their_own_export(as_user, member, outsider) -> None:
    DataExport.objects.create(user=outsider, status=Status.BUILDING)
    html = as_user(member).get(PANEL).content.decode()
    assert "まだ書き出したデータはありません" in html


def test_the_deletion_page_links_to_the_export(as_user, member) -> None:
    html = as_user(member).get(reverse("accounts:delete")).content.decode()
    assert f'href="{PAGE}"' in html


def test_it_still_packs_everything_in_one_path(
    as_user, member, django_capture_on_commit_callbacks
) -> None:
    """Small and large accounts alike go through the worker."""
    data, _html = unzip(requested_zip(as_user(member), member, django_capture_on_commit_callbacks))
    assert data["account"]["email"] == member.email
