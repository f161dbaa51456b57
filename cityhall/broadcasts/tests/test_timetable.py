from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.core.jst import JST, now_jst

pytestmark = pytest.mark.django_db


def test_it_lists_the_days_episodes_in_japan_time_with_the_one_on_air(as_user, member, programme):
    make_episode(programme, title="いま放送中の回")
    today = now_jst().date()
    later = datetime.combine(today, datetime.min.time(), tzinfo=JST) + timedelta(
        hours=23, minutes=30
    )
    make_episode(programme, starts=later, minutes=20, title="深夜の回")
    html = as_user(member).get("/broadcasts/").content.decode()
    assert "いま放送中の回" in html and "深夜の回" in html
    assert "23:30" in html and "23:50" in html
    assert html.count('class="badge badge--on-air"') >= 2  # the slot and the banner


def test_it_shows_another_day_and_ignores_a_day_out_of_range(as_user, member, programme):
    tomorrow = now_jst() + timedelta(days=1)
    make_episode(programme, starts=tomorrow, title="明日の回")
    client = as_user(member)
    assert (
        "明日の回"
        in client.get("/broadcasts/", {"day": tomorrow.date().isoformat()}).content.decode()
    )
    for bad in ["2001-01-01", "not-a-date", "2026-13-45"]:
        response = client.get("/broadcasts/", {"day": bad})
        assert response.status_code == 200 and "明日の回" not in response.content.decode()


def test_it_has_an_empty_state(as_user, member):
    html = as_user(member).get("/broadcasts/").content.decode()
    assert "この日の放送予定はありません。" in html and "まだ番組がありません。" in html


def test_it_puts_the_on_air_banner_on_members_pages_only(as_user, member, programme):
    make_episode(programme, title="放送中の回")
    assert "放送中の回" in as_user(member).get("/directory/").content.decode()
    assert "放送中の回" not in Client().get("/").content.decode()


def test_it_takes_the_banner_down_when_the_episode_is_cancelled(
    as_user, leader, programme, django_capture_on_commit_callbacks
):
    episode = make_episode(programme, title="放送中の回")
    client = as_user(leader)
    assert "放送中の回" in client.get("/directory/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/broadcasts/episodes/{episode.pk}/cancel/")
    assert "放送中の回" not in client.get("/directory/").content.decode()


def test_it_hides_archived_programmes_from_members(as_user, member, staff):
    gone = make_programme("終わった番組", "gone", archived_at=timezone.now())
    episode = make_episode(gone)
    client = as_user(member)
    assert client.get("/broadcasts/programmes/gone/").status_code == 404
    assert client.get(f"/broadcasts/episodes/{episode.pk}/").status_code == 404
    assert "終わった番組" not in client.get("/broadcasts/").content.decode()
    assert as_user(staff).get("/broadcasts/programmes/gone/").status_code == 200
