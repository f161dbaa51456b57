"""Real-time events while Redis is down: dropped with a warning, never raised into the write or
the socket that sent them; open sockets hear again once Redis is back."""

import asyncio
import logging

import pytest
from django.urls import reverse

from cityhall.core.breaker import forget_breakers
from cityhall.core.tests.redis_server import RedisServer, free_port, redis_server  # noqa: F401
from cityhall.posts.models import Comment
from cityhall.posts.tests.conftest import make_post
from cityhall.realtime import send
from cityhall.realtime.layers import LocalChannelLayer, ResilientPubSubChannelLayer


@pytest.fixture(autouse=True)
def _fresh_breakers():
    forget_breakers()
    yield
    forget_breakers()


def layer(url: str) -> ResilientPubSubChannelLayer:
    return ResilientPubSubChannelLayer(hosts=[url], prefix="outage-test", breaker_pause=0.2)


def test_sends_to_a_redis_that_is_not_there_are_dropped():
    down = layer(f"redis://127.0.0.1:{free_port()}/0")

    async def scenario() -> None:
        await down.group_send("episode.1", {"type": "comments.batch", "text": "x"})
        for _ in range(10):
            await down.group_send("episode.1", {"type": "comments.batch", "text": "x"})
            await down.send("specific.abc!def", {"type": "x"})

    asyncio.run(scenario())
    assert down.breaker.failures == 1 and down.breaker.skipped == 20


def test_an_open_socket_survives_the_outage_and_hears_again_after_it(
    redis_server: RedisServer,  # noqa: F811
):
    redis = layer(redis_server.url)

    async def scenario() -> None:
        viewer = await redis.new_channel()
        leaving = await redis.new_channel()
        await redis.group_add("episode.1", viewer)
        await redis.group_add("episode.2", leaving)
        await redis.group_send("episode.1", {"type": "x", "n": 1})
        assert (await asyncio.wait_for(redis.receive(viewer), 5))["n"] == 1

        redis_server.stop()
        await redis.group_send("episode.1", {"type": "x", "n": 2})  # dropped, not raised
        await redis.group_discard("episode.2", leaving)  # a socket closing meanwhile
        assert redis.breaker.is_open
        await asyncio.sleep(1.5)  # channels_redis's subscriber fails and retries meanwhile

        redis_server.start()  # same port, nothing stored
        for _ in range(50):  # the subscriber reconnects and subscribes again by itself
            await asyncio.sleep(0.2)
            await redis.group_send("episode.1", {"type": "x", "n": 3})
            try:
                message = await asyncio.wait_for(redis.receive(viewer), 0.2)
            except TimeoutError:
                continue
            assert message["n"] == 3
            break
        else:
            pytest.fail("the open channel never heard again after Redis came back")
        assert not redis.breaker.is_open
        await redis.flush()

    asyncio.run(scenario())


class UnreachableLayer(LocalChannelLayer):
    async def group_send(self, group: str, message: dict) -> None:
        raise ConnectionError("Redis is down")


@pytest.fixture
def unreachable_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.UnreachableLayer"}}


def test_a_saved_comment_stays_saved_when_its_event_cannot_be_sent(
    unreachable_layer, as_user, member, leader, caplog, django_capture_on_commit_callbacks
):
    post = make_post(leader, None)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(member).post(reverse("posts:comment", args=[post.pk]), {"body": "はい"})
    assert response.status_code == 302
    assert Comment.objects.filter(post=post, body="はい").exists()
    assert any("dropped" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_group_send_drops_what_the_layer_refuses(unreachable_layer, caplog):
    send.group_send("user.1", {"type": "session_ended"})
    assert "session_ended to user.1 dropped" in caplog.text
