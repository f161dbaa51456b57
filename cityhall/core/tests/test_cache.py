"""The Redis cache when Redis cannot be reached: defaults for reads, nothing for writes, and a
breaker that stops paying the timeout on every call."""

import logging
import time

import pytest

from cityhall.core.breaker import forget_breakers
from cityhall.core.cache import ResilientRedisCache
from cityhall.core.tests.redis_server import RedisServer, free_port, redis_server  # noqa: F401


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _fresh_breakers():
    forget_breakers()
    yield
    forget_breakers()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def resilient(url: str, clock: Clock | None = None, pause: float = 5) -> ResilientRedisCache:
    cache = ResilientRedisCache(url, {"OPTIONS": {"breaker_pause": pause}})
    if clock is not None:
        cache.breaker.clock = clock
    return cache


@pytest.fixture
def dead_url() -> str:
    """Nothing listens on this Redis's port."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def down(dead_url, clock) -> ResilientRedisCache:
    return resilient(dead_url, clock)


def test_it_answers_reads_with_their_defaults(down):
    started = time.monotonic()
    assert down.get("k") is None
    assert down.get("k", "fallback") == "fallback"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("k") is False
    assert down.get_or_set("k", lambda: "from the database", 30) == "from the database"
    assert time.monotonic() - started < 5, "a dead Redis must not hold a page"


def test_writes_do_nothing_and_never_raise(down):
    down.set("k", 1, 30)
    assert down.set_many({"a": 1, "b": 2}, 30) == ["a", "b"]  # the keys not stored
    assert down.delete("k") is False
    down.delete_many(["a", "b"])
    assert down.touch("k", 30) is False
    down.clear()


def test_counters_count_from_zero_and_refuse_nothing(down):
    """Throttles fail open: `add` succeeds (no lock is held against anyone) and `incr` counts
    from zero, so no limit is ever reached while nothing can be counted."""
    assert down.add("throttle:x", 0, 60) is True
    assert down.add("throttle:x", 0, 60) is True
    assert down.incr("throttle:x") == 1
    assert down.incr("throttle:x", 5) == 5
    assert down.decr("throttle:x") == -1


def test_after_a_failure_it_skips_redis_until_the_pause_is_over(down, clock):
    down.get("k")
    assert down.breaker.is_open and down.breaker.failures == 1
    for _ in range(50):
        down.get("k")
        down.set("k", 1)
    assert down.breaker.skipped == 100 and down.breaker.failures == 1

    clock.now += 5  # the pause is over: the next call tries Redis again (and fails again)
    down.get("k")
    assert down.breaker.failures == 2
    down.get("k")
    assert down.breaker.failures == 2 and down.breaker.skipped == 101


def test_one_breaker_serves_every_thread(down, dead_url, clock):
    """Django makes a cache backend per thread; they share the outage."""
    down.get("k")
    other_thread = resilient(dead_url, clock)
    other_thread.get("k")
    assert other_thread.breaker is down.breaker and down.breaker.skipped == 1


def test_it_warns_once_per_outage_and_reminds_once_a_minute(down, clock, caplog):
    caplog.set_level(logging.WARNING, logger="cityhall.core.breaker")
    for _ in range(20):
        down.get("k")
        clock.now += 5
    assert len(caplog.records) == 2  # the outage (at 0 s) and one reminder (at 60 s)
    assert "unreachable" in caplog.records[0].getMessage()
    assert "still unreachable" in caplog.records[1].getMessage()


def test_while_redis_answers_it_behaves_as_django_redis_cache(redis_server):  # noqa: F811
    cache = resilient(redis_server.url)
    cache.set("k", {"a": 1}, 30)
    assert cache.get("k") == {"a": 1}
    assert cache.add("k", 2) is False
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert not cache.breaker.is_open


def test_a_redis_that_stops_answering_costs_one_timeout_per_pause(
    redis_server: RedisServer,  # noqa: F811
    clock,
):
    cache = resilient(redis_server.url, clock)
    cache.set("k", 1, 300)
    redis_server.freeze()
    started = time.monotonic()
    assert cache.get("k") is None  # waits for the read timeout (0.5 s), once
    for _ in range(20):
        assert cache.get("k") is None
    assert time.monotonic() - started < 5
    assert cache.breaker.failures == 1 and cache.breaker.skipped == 20


def test_when_redis_returns_it_is_used_again_and_forgets_values_changed_meanwhile(
    redis_server: RedisServer,  # noqa: F811
    clock,
):
    cache = resilient(redis_server.url, clock)
    cache.set("unread:1", 3, 300)
    cache.set("kept", "yes", 300)
    redis_server.freeze()  # unreachable, but keeps its data (a network failure)
    assert cache.get("unread:1") is None
    cache.delete("unread:1")  # e.g. a notification read during the outage: not done in Redis
    assert cache.breaker.is_open

    redis_server.thaw()
    assert cache.get("kept") is None, "still skipped during the pause"
    clock.now += 5
    assert cache.get("kept") == "yes"
    assert not cache.breaker.is_open
    assert cache.get("unread:1") is None, "the out-of-date count was removed"


def test_a_restarted_redis_is_used_again_after_the_pause(redis_server, clock):  # noqa: F811
    cache = resilient(redis_server.url, clock)
    redis_server.stop()
    cache.set("k", 1, 300)
    assert cache.breaker.is_open
    redis_server.start()  # same port, empty
    clock.now += 5
    cache.set("k", 2, 300)
    assert cache.get("k") == 2 and not cache.breaker.is_open
