"""Redis accelerates and never decides: with Redis gone mid-run, pages render, comments are
saved, live comments answer JSON and members sign in; when it returns, it is used again."""

import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.broadcasts.context import CACHE_KEY as ON_AIR_KEY
from cityhall.broadcasts.models import LiveComment
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.core.breaker import forget_breakers
from cityhall.core.tests.redis_server import RedisServer, redis_server  # noqa: F401
from cityhall.posts.models import Comment
from cityhall.posts.tests.conftest import make_post

# Committed for real, so that the events sent after each write go out as in production.
pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def on_redis(redis_server: RedisServer, settings):  # noqa: F811
    """The cache and the channel layer on a Redis of this test's own."""
    forget_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "cityhall.core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"breaker_pause": 0.2},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "cityhall.realtime.layers.ResilientPubSubChannelLayer",
            "CONFIG": {
                "hosts": [redis_server.url],
                "prefix": f"outage-{redis_server.port}",
                "breaker_pause": 0.2,
            },
        }
    }
    yield redis_server
    forget_breakers()


def in_redis(server: RedisServer, key: str) -> bool:
    client = redis.Redis.from_url(server.url)
    try:
        return bool(client.exists(cache.make_key(key)))
    finally:
        client.close()


def test_the_site_works_without_redis_and_uses_it_again_when_it_returns(
    on_redis, as_user, member, leader
):
    post = make_post(leader, None)
    episode = make_episode(make_programme())
    signed_in = as_user(member)
    assert Client().get("/").status_code == 200
    assert signed_in.get("/").status_code == 200
    assert in_redis(on_redis, ON_AIR_KEY), "the on-air banner is cached while Redis is up"

    on_redis.stop()

    assert Client().get("/").status_code == 200, "the landing page"
    home = signed_in.get("/")
    assert home.status_code == 200, "a member's home"
    assert episode.title in home.content.decode(), "the on-air banner, from the database"

    response = signed_in.post(reverse("posts:comment", args=[post.pk]), {"body": "停電中も"})
    assert response.status_code == 302
    assert Comment.objects.filter(post=post, body="停電中も").exists()

    live = f"/broadcasts/episodes/{episode.pk}/comments/new/"
    for body in ("一つ目", "二つ目"):  # the pause between comments cannot be counted: not enforced
        response = signed_in.post(live, {"body": body}, **JSON)
        assert response["Content-Type"] == "application/json"
        assert response.status_code == 201, response.content.decode()
    assert LiveComment.objects.filter(episode=episode).count() == 2

    visitor = Client()
    for _ in range(8):  # more failures than the limit; nothing can count them
        wrong = {"email": member.email, "password": "not-the-password"}
        assert visitor.post(reverse("accounts:login"), wrong).status_code == 200
    right = {"email": member.email, "password": testing.PASSWORD}
    assert visitor.post(reverse("accounts:login"), right).status_code == 302
    assert visitor.session["_auth_user_id"] == str(member.pk)

    assert cache.breaker.is_open and cache.breaker.skipped > 0  # type: ignore[attr-defined]

    on_redis.start()  # same port, empty
    time.sleep(0.3)  # the breaker's pause
    assert signed_in.get("/").status_code == 200
    assert in_redis(on_redis, ON_AIR_KEY), "the cache is used again"
    assert not cache.breaker.is_open  # type: ignore[attr-defined]
