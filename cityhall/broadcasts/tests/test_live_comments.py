"""Posting, moderating and reading live comments over HTTP."""

from datetime import timedelta

import pytest
from django.core.cache import cache

from cityhall.audit.models import AuditEntry
from cityhall.broadcasts.models import EpisodeMute, LiveComment
from cityhall.broadcasts.tests.conftest import make_episode
from cityhall.core.jst import now_jst

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def episode(programme):
    return make_episode(programme)


def post(client, episode, body, **extra):
    return client.post(f"/broadcasts/episodes/{episode.pk}/comments/new/", {"body": body}, **extra)


def test_a_member_comments_and_everyone_reads_it(as_user, member, episode):
    response = post(as_user(member), episode, "  こんばんは！\n楽しみです  ", **JSON)
    assert response.status_code == 201
    assert response.json()["comment"]["body"] == "こんばんは！ 楽しみです"
    listed = as_user(member).get(f"/broadcasts/episodes/{episode.pk}/comments/?after=0").json()
    assert [c["body"] for c in listed["comments"]] == ["こんばんは！ 楽しみです"]


def test_hostile_comments_stay_text(as_user, member, episode):
    post(as_user(member), episode, '<script>alert(1)</script><img src=x onerror="x()">', **JSON)
    html = as_user(member).get(f"/broadcasts/episodes/{episode.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "コメントを入力してください。"),
        ("\x00\x07 ", "コメントを入力してください。"),
        ("あ" * 301, "300文字まで"),
    ],
)
def test_it_refuses_empty_and_oversized_comments(as_user, member, episode, body, message):
    response = post(as_user(member), episode, body, **JSON)
    assert response.status_code == 400 and message in response.json()["error"]
    assert not LiveComment.objects.exists()


def test_without_javascript_an_error_keeps_the_text(as_user, member, episode):
    response = post(as_user(member), episode, "あ" * 301)
    html = response.content.decode()
    assert response.status_code == 400 and "300文字まで" in html and "あ" * 301 in html


def test_it_slows_down_a_flood(as_user, member, episode):
    client = as_user(member)
    assert post(client, episode, "一", **JSON).status_code == 201
    too_fast = post(client, episode, "二", **JSON)
    assert too_fast.status_code == 429 and "間をあけて" in too_fast.json()["error"]
    for i in range(20):
        cache.delete(f"broadcasts:gap:{episode.pk}:{member.pk}")
        last = post(client, episode, f"連投{i}", **JSON)
    assert last.status_code == 429 and "1分ほど待って" in last.json()["error"]
    assert LiveComment.objects.count() == 15


def test_comments_close_outside_the_broadcast(as_user, member, programme):
    later = make_episode(programme, starts=now_jst() + timedelta(hours=2))
    ended = make_episode(programme, starts=now_jst() - timedelta(hours=2))
    client = as_user(member)
    for episode in (later, ended):
        response = post(client, episode, "こんにちは", **JSON)
        assert response.status_code == 400 and "受け付けていません" in response.json()["error"]


def test_a_personality_deletes_a_comment_and_mutes_its_author(as_user, member, leader, episode):
    comment_id = post(as_user(member), episode, "宣伝です", **JSON).json()["comment"]["id"]
    runner = as_user(leader)
    assert runner.post(f"/broadcasts/comments/{comment_id}/mute/", **JSON).status_code == 200
    assert runner.post(f"/broadcasts/comments/{comment_id}/delete/", **JSON).status_code == 200
    assert LiveComment.objects.get().deleted_at is not None
    assert EpisodeMute.objects.filter(episode=episode, user=member).exists()
    cache.clear()
    muted = post(as_user(member), episode, "もう一度", **JSON)
    assert muted.status_code == 400 and "投稿できません" in muted.json()["error"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"broadcasts.comment.deleted", "broadcasts.member.muted"} <= actions
    listed = as_user(member).get(f"/broadcasts/episodes/{episode.pk}/comments/").json()
    assert listed["comments"] == []


def test_members_cannot_moderate_and_personalities_cannot_be_muted(
    as_user, member, leader, episode
):
    comment_id = post(as_user(leader), episode, "始まりました", **JSON).json()["comment"]["id"]
    assert as_user(member).post(f"/broadcasts/comments/{comment_id}/delete/").status_code == 403
    assert as_user(member).post(f"/broadcasts/comments/{comment_id}/mute/").status_code == 403
    response = as_user(leader).post(f"/broadcasts/comments/{comment_id}/mute/", **JSON)
    assert response.status_code == 400 and not EpisodeMute.objects.exists()


def test_bad_catch_up_positions_are_harmless(as_user, member, episode):
    client = as_user(member)
    for after in ["-5", "abc", "99999999999999999999"]:
        response = client.get(f"/broadcasts/episodes/{episode.pk}/comments/", {"after": after})
        assert response.status_code == 200
