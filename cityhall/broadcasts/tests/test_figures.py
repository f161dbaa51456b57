"""Broadcast figures on the staff dashboard, against data whose answer the test knows."""

from datetime import timedelta

import pytest

from cityhall.broadcasts.figures import programme_figures
from cityhall.broadcasts.live import record_peak, save_peaks
from cityhall.broadcasts.models import ArchivePlay, LiveComment
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.core.jst import now_jst
from cityhall.insights.tests.test_staff_dashboard import read_csv, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def aired(member, leader):
    photo = make_programme()
    make_programme("課長に聞く", "leaders")
    past = now_jst() - timedelta(days=2)
    first = make_episode(photo, starts=past, archive_url="https://example.com/a1")
    second = make_episode(photo, starts=past + timedelta(days=1))
    make_episode(photo)  # on air now: not counted as aired
    record_peak(first.pk, 12)
    record_peak(first.pk, 7)  # a lower count never replaces the peak
    record_peak(second.pk, 4)
    save_peaks([first.pk, second.pk])  # the clock writes the cached peaks every minute
    for body in ("こんばんは", "楽しみ"):
        LiveComment.objects.create(episode=first, author=member, body=body)
    ArchivePlay.objects.create(episode=first, user=member)
    ArchivePlay.objects.create(episode=first, user=leader)
    return photo


def test_it_counts_episodes_viewers_comments_and_listeners(aired):
    by_title = {f.programme: f for f in programme_figures()}
    photo = by_title["日曜写真部ラジオ"]
    assert (photo.episodes, photo.peak_viewers, photo.average_peak) == (2, 12, 8.0)
    assert (photo.comments, photo.archive_listeners) == (2, 2)
    assert by_title["課長に聞く"].episodes == 0


def test_opening_an_external_archive_counts_the_member_once(as_user, member, aired):
    episode = aired.episodes.order_by("starts_at").first()
    ArchivePlay.objects.all().delete()
    client = as_user(member)
    client.get(f"/broadcasts/episodes/{episode.pk}/")
    client.get(f"/broadcasts/episodes/{episode.pk}/")
    assert ArchivePlay.objects.count() == 1


def test_the_play_beacon_counts_only_finished_episodes(as_user, member, aired):
    live = aired.episodes.order_by("-starts_at").first()
    assert as_user(member).post(f"/broadcasts/episodes/{live.pk}/played/").status_code == 400
    assert not ArchivePlay.objects.filter(episode=live).exists()


def test_the_dashboard_shows_and_exports_them(as_user, staff, aired):
    client = as_user(staff)
    shown = tables(client.get("/staff/insights/"))["庁内放送"]
    assert shown[1][:6] == ["日曜写真部ラジオ", "2", "12", "8.0", "2", "2"]
    rows = read_csv(client.get("/staff/insights/export/broadcasts.csv/"))
    assert rows[1] == ["日曜写真部ラジオ", "2", "12", "8.0", "2", "2"]
