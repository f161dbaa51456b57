"""The counting under every limit in the cache: once per window, and a rate per window."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from cityhall.core.throttle import count, once_per, within_rate


@pytest.fixture(autouse=True)
def clock(settings):
    """Time stands still unless a test moves it; the in-process cache expires on that clock."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    with time_machine.travel(datetime(2026, 12, 1, 3, 0, 10, tzinfo=UTC), tick=False) as traveller:
        yield traveller
    cache.clear()


def test_once_per_lets_the_first_call_of_each_window_through(clock):
    assert once_per("test:gap:1", 2) is True
    assert once_per("test:gap:1", 2) is False
    assert once_per("test:gap:2", 2) is True  # another key counts on its own
    clock.shift(timedelta(seconds=3))
    assert once_per("test:gap:1", 2) is True


def test_count_starts_again_once_its_window_is_over(clock):
    assert [count("test:n", 60) for _ in range(3)] == [1, 2, 3]
    clock.shift(timedelta(seconds=61))
    assert count("test:n", 60) == 1


def test_within_rate_allows_the_limit_in_each_window_of_the_clock(clock):
    assert all(within_rate("test:minute", 3, 60) for _ in range(3))
    assert within_rate("test:minute", 3, 60) is False
    clock.shift(timedelta(seconds=50))  # the next minute of the clock: 03:01:00
    assert within_rate("test:minute", 3, 60) is True
