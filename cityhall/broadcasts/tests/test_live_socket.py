"""The live page's socket: members only, comments and viewer counts pushed, catch-up after a
reconnect, and cut off at once on suspension."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from cityhall import testing
from cityhall.accounts import actions as account_actions
from cityhall.asgi import application
from cityhall.broadcasts.actions import do_post_live_comment
from cityhall.broadcasts.tests.conftest import make_episode
from cityhall.realtime.tests.sockets import Socket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


def socket(episode_id: int, session_key: str | None) -> Socket:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    return Socket(application, f"/ws/episodes/{episode_id}/", headers=headers)


def session_of(user) -> str:
    return testing.sign_in(Client(), user).cookies["sessionid"].value


def connect_code(episode_id: int, key: str | None) -> int | None:
    async def scenario():
        communicator = socket(episode_id, key)
        connected, code = await communicator.connect()
        if connected:
            await communicator.receive_json_from()  # the viewer count
            await communicator.disconnect()
        return code

    return async_to_sync(scenario)()


@pytest.fixture
def episode(programme):
    return make_episode(programme)


def test_it_refuses_anyone_but_members(episode, applicant, suspended):
    assert connect_code(episode.pk, None) == 4403
    assert connect_code(episode.pk, session_of(applicant)) == 4403
    assert connect_code(episode.pk, session_of(suspended)) == 4403


def test_it_refuses_unknown_and_archived_episodes(member, episode):
    assert connect_code(999999, session_of(member)) == 4404
    episode.programme.archived_at = timezone.now()
    episode.programme.save()
    assert connect_code(episode.pk, session_of(member)) == 4404


def test_it_pushes_comments_and_viewer_counts_to_every_viewer(
    member, leader, episode, django_capture_on_commit_callbacks
):
    first, second = session_of(member), session_of(leader)
    throttle = f"broadcasts:viewers-said:{episode.pk}"

    def comment():
        with django_capture_on_commit_callbacks(execute=True):
            do_post_live_comment(episode, "<b>こんばんは</b>", actor=member)

    async def scenario():
        a, b = socket(episode.pk, first), socket(episode.pk, second)
        assert (await a.connect())[0]
        assert await a.receive_json_from() == {"type": "viewers", "count": 1}
        await database_sync_to_async(cache.delete)(throttle)  # a few seconds later
        assert (await b.connect())[0]
        assert await a.receive_json_from() == {"type": "viewers", "count": 2}
        assert await b.receive_json_from() == {"type": "viewers", "count": 2}
        await database_sync_to_async(comment)()
        got_a, got_b = await a.receive_json_from(), await b.receive_json_from()
        await database_sync_to_async(cache.delete)(throttle)
        await b.disconnect()
        left = await a.receive_json_from()
        await a.disconnect()
        return got_a, got_b, left

    got_a, got_b, left = async_to_sync(scenario)()
    assert got_a == got_b
    assert got_a["type"] == "comments" and len(got_a["comments"]) == 1
    assert got_a["comments"][0]["body"] == "<b>こんばんは</b>"
    assert got_a["comments"][0]["author"] == member.full_name
    assert got_a["viewers"] == 2  # every batch of comments carries the count
    assert left == {"type": "viewers", "count": 1}


def test_comments_posted_close_together_arrive_as_one_message(
    member, leader, episode, django_capture_on_commit_callbacks
):
    key = session_of(member)

    def two_comments():
        with django_capture_on_commit_callbacks(execute=True):
            do_post_live_comment(episode, "一つ目", actor=member)
        with django_capture_on_commit_callbacks(execute=True):
            do_post_live_comment(episode, "二つ目", actor=leader)

    async def scenario():
        viewer = socket(episode.pk, key)
        assert (await viewer.connect())[0]
        await viewer.receive_json_from()  # the viewer count
        await database_sync_to_async(two_comments)()
        batch = await viewer.receive_json_from()
        quiet = await viewer.receive_nothing(0.5)
        await viewer.disconnect()
        return batch, quiet

    batch, quiet = async_to_sync(scenario)()
    assert [c["body"] for c in batch["comments"]] == ["一つ目", "二つ目"]
    assert quiet


def test_a_crowd_arriving_at_once_is_told_the_count_without_a_message_each(member, leader, episode):
    first, second = session_of(member), session_of(leader)

    async def scenario():
        a, b = socket(episode.pk, first), socket(episode.pk, second)
        assert (await a.connect())[0]
        await a.receive_json_from()
        assert (await b.connect())[0]  # within the same few seconds
        told_b = await b.receive_json_from()
        nothing_for_a = await a.receive_nothing()
        await b.disconnect()
        await a.disconnect()
        return told_b, nothing_for_a

    told_b, nothing_for_a = async_to_sync(scenario)()
    assert told_b == {"type": "viewers", "count": 2}
    assert nothing_for_a


def test_a_reconnecting_viewer_catches_up_on_what_it_missed(member, leader, episode):
    seen = do_post_live_comment(episode, "一つ目", actor=leader)
    cache.clear()  # the rate limit: the same author again at once
    do_post_live_comment(episode, "二つ目", actor=leader)
    key = session_of(member)

    async def scenario():
        communicator = socket(episode.pk, key)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await communicator.send_json_to({"type": "catch_up", "after": seen.pk})
        missed = await communicator.receive_json_from()
        await communicator.send_json_to({"type": "catch_up", "after": "x"})
        error = await communicator.receive_json_from()
        await communicator.send_input({"type": "websocket.receive", "text": "not json" * 500})
        garbage = await communicator.receive_json_from()
        await communicator.disconnect()
        return missed, error, garbage

    missed, error, garbage = async_to_sync(scenario)()
    assert [c["body"] for c in missed["comments"]] == ["二つ目"]
    assert error["type"] == "error" and garbage["type"] == "error"


def test_it_cuts_a_viewer_off_when_suspended(
    member, staff, episode, django_capture_on_commit_callbacks
):
    key = session_of(member)

    def suspend():
        with django_capture_on_commit_callbacks(execute=True):
            account_actions.do_suspend_user(member, actor=staff, reason="規約違反")

    async def scenario():
        communicator = socket(episode.pk, key)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await database_sync_to_async(suspend)()
        event = await communicator.receive_json_from()
        closed = await communicator.receive_output()
        await communicator.disconnect(4401)
        return event, closed

    event, closed = async_to_sync(scenario)()
    assert event == {"type": "session_ended"} and closed["code"] == 4401
