"""Counting in the cache how often something happens, to slow down guessing, floods and mail.

Every count is one atomic cache.add or cache.incr, in Redis and in the in-process cache alike,
so parallel requests cannot all slip through:

- `once_per(key, window)`: the first call in `window` seconds goes ahead, the others wait (the
  gap between two live comments, one notice mail per address and interval).
- `within_rate(key, limit, window)`: at most `limit` calls in each window of the clock (a
  calendar minute for 60 s).
- `Counter` lives for one window from its first failure; once it reaches the limit, attempts
  are refused until the window ends. A `Backoff` never refuses for long: past its limit it lets
  one attempt through per delay, the delay doubling with each failure. Counters are keyed by a
  hash, so the cache never holds addresses; the two functions above take the caller's key as
  is (ids, never addresses).
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone


def once_per(key: str, window: int) -> bool:
    """True for the first call with `key` in `window` seconds, False for the others."""
    return bool(cache.add(key, 1, window))


def count(key: str, window: int) -> int:
    """Add one to the count at `key`, which lives `window` seconds from its first count."""
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def within_rate(key: str, limit: int, window: int) -> bool:
    """Count one call in the current window of the clock; False once it holds more than
    `limit` (the call that went over counts too)."""
    bucket = int(timezone.now().timestamp() // window)
    # Kept for two windows: a count read near the end of its window must not expire early.
    return count(f"{key}:{bucket}", 2 * window) <= limit


@dataclass(frozen=True)
class Counter:
    kind: str  # "login-ip", "otp", ...
    value: str
    limit: int
    window: int  # seconds

    @property
    def _key(self) -> str:
        digest = hashlib.sha256(self.value.strip().lower().encode()).hexdigest()[:32]
        return f"throttle:{self.kind}:{digest}"

    def _count(self) -> int:
        return cache.get(self._key + ":n") or 0

    def blocked_until(self) -> datetime | None:
        """When attempts are allowed again, or None if they are allowed now."""
        if self._count() < self.limit:
            return None
        started = cache.get(self._key + ":t")
        start = datetime.fromtimestamp(started, tz=UTC) if started else timezone.now()
        return start + timedelta(seconds=self.window)

    def fail(self) -> None:
        cache.add(self._key + ":t", timezone.now().timestamp(), self.window)
        count(self._key + ":n", self.window)

    def first_block(self) -> bool:
        """True once per window, the first time the counter refuses (to audit it only once)."""
        return once_per(self._key + ":audited", self.window)

    def reset(self) -> None:
        keys = [self._key + suffix for suffix in (":n", ":t", ":audited", ":turn")]
        cache.delete_many(keys)


@dataclass(frozen=True)
class Backoff(Counter):
    """Failures of one value from anywhere. After `limit` of them, one attempt at a time goes
    ahead: the next waits 2 s, then 4, 8, … up to `max_delay`. The count is forgotten `window`
    seconds after the last failure."""

    max_delay: int = 300

    def delay(self) -> int:
        excess = self._count() - self.limit
        return 0 if excess < 0 else min(2 ** (excess + 1), self.max_delay)

    def blocked_until(self) -> datetime | None:
        turn = cache.get(self._key + ":turn")
        if turn is None or turn <= timezone.now().timestamp():
            return None
        return datetime.fromtimestamp(turn, tz=UTC)

    def take_turn(self) -> datetime | None:
        """Claim the next attempt: None when it may go ahead now, else when the next one may.

        The claim is one atomic cache.add, so parallel requests cannot all slip through."""
        delay = self.delay()
        if delay == 0:
            return None
        opens = timezone.now().timestamp() + delay
        if cache.add(self._key + ":turn", opens, delay):
            return None
        return self.blocked_until() or timezone.now() + timedelta(seconds=1)

    def fail(self) -> None:
        super().fail()
        cache.touch(self._key + ":n", self.window)  # forgotten only after a quiet window


def first_blocked(counters: list[Counter]) -> tuple[Counter, datetime] | None:
    """The counter that blocks for longest, with its retry time, or None when none blocks."""
    blocked = [(c, until) for c in counters if (until := c.blocked_until()) is not None]
    return max(blocked, key=lambda pair: pair[1]) if blocked else None


@dataclass(frozen=True)
class RequestLimit:
    """How often one address may ask for something from one client, and one client at all."""

    kind: str  # "sign-in-link", "password-reset", "application"
    per_address: int
    per_client: int
    window: int  # seconds

    def take(self, email: str, ip: str) -> datetime | None:
        """Count one request; or, when a limit is reached, count nothing and say until when."""
        counters = [
            Counter(f"{self.kind}-address", f"{email}|{ip}", self.per_address, self.window),
            Counter(f"{self.kind}-ip", ip, self.per_client, self.window),
        ]
        blocked = first_blocked(counters)
        if blocked is not None:
            return blocked[1]
        for counter in counters:
            counter.fail()
        return None
