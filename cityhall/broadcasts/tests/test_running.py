from datetime import timedelta

import pytest
from django.core import mail

from cityhall.audit.models import AuditEntry
from cityhall.broadcasts.actions import do_announce_live_episodes
from cityhall.broadcasts.models import Episode, Programme, ProgrammeFollow
from cityhall.broadcasts.players import player_embed
from cityhall.broadcasts.tests.conftest import make_episode
from cityhall.core.jst import JST, now_jst
from cityhall.notifications.models import Delivery, Notification, Preference

pytestmark = pytest.mark.django_db


def episode_data(**overrides):
    day = (now_jst() + timedelta(days=3)).date()
    data = {
        "title": "ゲストに聞く防災の話",
        "day": day.isoformat(),
        "start": "21:00",
        "minutes": "45",
        "guests": "防災課長",
        "description": "",
        "source": "external",
        "stream_url": "https://www.youtube.com/watch?v=xyz",
        "archive_url": "",
    }
    return {**data, **overrides}


def test_staff_create_a_programme_with_its_personalities(as_user, staff, member):
    response = as_user(staff).post(
        "/broadcasts/programmes/new/",
        {
            "title": "朝の庁内ラジオ",
            "slug": "morning",
            "description": "毎朝のニュース",
            "weekdays": ["0", "1", "2", "3", "4"],
            "slot_start": "08:00",
            "slot_minutes": "15",
            "personality_emails": member.email.upper(),
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="morning")
    assert programme.slot_weekdays == "01234"
    assert list(programme.personalities.all()) == [member]
    assert AuditEntry.objects.filter(action="broadcasts.programme.created").exists()


def test_it_refuses_unknown_personalities_and_keeps_what_was_typed(as_user, staff):
    response = as_user(staff).post(
        "/broadcasts/programmes/new/",
        {
            "title": "朝の庁内ラジオ",
            "slug": "morning",
            "description": "毎朝",
            "slot_minutes": "15",
            "personality_emails": "nobody@example.lg.jp",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "nobody@example.lg.jp" in html
    assert "会員が見つかりません" in html and "朝の庁内ラジオ" in html
    assert not Programme.objects.exists()


def test_a_personality_schedules_an_episode_in_japan_time(as_user, leader, programme):
    response = as_user(leader).post(
        f"/broadcasts/programmes/{programme.slug}/episodes/new/", episode_data()
    )
    assert response.status_code == 302
    episode = Episode.objects.get()
    starts = episode.starts_at.astimezone(JST)
    assert (starts.hour, starts.minute, episode.minutes) == (21, 0, 45)
    assert episode.created_by == leader


def test_other_members_cannot_run_the_programme(as_user, member, programme):
    client = as_user(member)
    assert client.get(f"/broadcasts/programmes/{programme.slug}/episodes/new/").status_code == 403
    assert (
        client.post(
            f"/broadcasts/programmes/{programme.slug}/episodes/new/", episode_data()
        ).status_code
        == 403
    )
    episode = make_episode(programme)
    assert client.post(f"/broadcasts/episodes/{episode.pk}/cancel/").status_code == 403
    assert Episode.objects.get().cancelled_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stream_url", "http://example.com/live", "https:// で始まるURL"),
        ("stream_url", "javascript:alert(1)", "URL"),
        ("stream_url", "", "配信ページのURLが必要です"),
        ("minutes", "0", ""),
        ("day", "2026-02-30", ""),
    ],
)
def test_it_refuses_bad_episodes_and_keeps_the_title(
    as_user, leader, programme, field, value, message
):
    response = as_user(leader).post(
        f"/broadcasts/programmes/{programme.slug}/episodes/new/", episode_data(**{field: value})
    )
    html = response.content.decode()
    assert response.status_code == 200 and "ゲストに聞く防災の話" in html
    assert message in html
    assert not Episode.objects.exists()


def test_it_embeds_known_players_and_links_anything_else():
    assert (
        player_embed("https://www.youtube.com/watch?v=abc")
        == "https://www.youtube-nocookie.com/embed/abc"
    )
    assert player_embed("https://youtu.be/abc") == "https://www.youtube-nocookie.com/embed/abc"
    assert player_embed("https://vimeo.com/12345") == "https://player.vimeo.com/video/12345"
    assert player_embed("https://evil.example/watch?v=abc") == ""
    assert player_embed("https://www.youtube.com/watch?v=%22%3E%3Cscript%3E") == ""


def test_the_stream_shows_only_while_on_air(as_user, member, programme):
    live = make_episode(programme)
    later = make_episode(
        programme, starts=now_jst() + timedelta(days=1), stream_url="https://example.com/later"
    )
    client = as_user(member)
    assert (
        "youtube-nocookie.com/embed/abc123"
        in client.get(f"/broadcasts/episodes/{live.pk}/").content.decode()
    )
    html = client.get(f"/broadcasts/episodes/{later.pk}/").content.decode()
    assert "example.com/later" not in html and "放送開始時刻になると" in html


def test_followers_hear_once_when_an_episode_goes_on_air(
    as_user, member, suspended, programme, django_capture_on_commit_callbacks
):
    as_user(member).post(f"/broadcasts/programmes/{programme.slug}/follow/")
    ProgrammeFollow.objects.create(user=suspended, programme=programme)
    episode = make_episode(programme, title="紅葉の回")
    now = now_jst()
    with django_capture_on_commit_callbacks(execute=True):
        assert do_announce_live_episodes(now) == 1
        assert do_announce_live_episodes(now + timedelta(minutes=1)) == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "紅葉の回" in mail.outbox[0].subject
    assert f"/broadcasts/episodes/{episode.pk}/" in mail.outbox[0].body


def test_followers_see_it_in_their_notifications_and_opening_the_episode_reads_it(
    as_user, member, programme, django_capture_on_commit_callbacks
):
    ProgrammeFollow.objects.create(user=member, programme=programme)
    episode = make_episode(programme, title="紅葉の回")
    with django_capture_on_commit_callbacks(execute=True):
        do_announce_live_episodes(now_jst())
    client = as_user(member)
    html = client.get("/notifications/").content.decode()
    assert f"番組「{programme.title}」の放送が始まりました：紅葉の回" in html
    assert "未読 1 件" in html
    notification = Notification.objects.get(recipient=member)
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == f"/broadcasts/episodes/{episode.pk}/"
    notification.read_at = None
    notification.save()
    client.get(f"/broadcasts/episodes/{episode.pk}/")
    assert "未読 0 件" in client.get("/notifications/").content.decode()


def test_a_follower_who_chose_the_site_only_gets_no_mail(
    as_user, member, programme, django_capture_on_commit_callbacks
):
    ProgrammeFollow.objects.create(user=member, programme=programme)
    Preference.objects.create(user=member, programme_on_air=Delivery.IN_APP)
    make_episode(programme)
    with django_capture_on_commit_callbacks(execute=True):
        do_announce_live_episodes(now_jst())
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=member, kind="programme_on_air").count() == 1


def test_an_archived_programmes_notification_is_hidden_from_members(as_user, member, programme):
    ProgrammeFollow.objects.create(user=member, programme=programme)
    make_episode(programme, title="紅葉の回")
    do_announce_live_episodes(now_jst())
    programme.archived_at = now_jst()
    programme.save()
    assert "紅葉の回" not in as_user(member).get("/notifications/").content.decode()


def test_it_does_not_announce_an_episode_that_started_long_ago(member, programme):
    ProgrammeFollow.objects.create(user=member, programme=programme)
    make_episode(programme, starts=now_jst() - timedelta(hours=1), minutes=120)
    assert do_announce_live_episodes(now_jst()) == 0


def test_unfollowing_stops_the_mail(as_user, member, programme):
    client = as_user(member)
    client.post(f"/broadcasts/programmes/{programme.slug}/follow/")
    client.post(f"/broadcasts/programmes/{programme.slug}/follow/")  # twice is harmless
    assert ProgrammeFollow.objects.count() == 1
    client.post(f"/broadcasts/programmes/{programme.slug}/follow/", {"follow": "0"})
    assert not ProgrammeFollow.objects.exists()
