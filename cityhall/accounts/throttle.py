"""Counting failures in the cache, to slow down password and code guessing.

A counter lives for one window from its first failure; once it reaches the limit, attempts are
refused until the window ends. Counters are keyed by a hash, so the cache never holds addresses.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Counter:
    kind: str  # "login-email", "login-ip", "otp", ...
    value: str
    limit: int
    window: int  # seconds

    @property
    def _key(self) -> str:
        digest = hashlib.sha256(self.value.strip().lower().encode()).hexdigest()[:32]
        return f"throttle:{self.kind}:{digest}"

    def blocked_until(self) -> datetime | None:
        """When attempts are allowed again, or None if they are allowed now."""
        if (cache.get(self._key + ":n") or 0) < self.limit:
            return None
        started = cache.get(self._key + ":t")
        start = datetime.fromtimestamp(started, tz=UTC) if started else timezone.now()
        return start + timedelta(seconds=self.window)

    def fail(self) -> None:
        now = timezone.now().timestamp()
        cache.add(self._key + ":t", now, self.window)
        cache.add(self._key + ":n", 0, self.window)
        try:
            cache.incr(self._key + ":n")
        except ValueError:  # expired between add and incr
            cache.set(self._key + ":n", 1, self.window)

    def first_block(self) -> bool:
        """True once per window, the first time the counter refuses (to audit it only once)."""
        return cache.add(self._key + ":audited", 1, self.window)

    def reset(self) -> None:
        cache.delete_many([self._key + ":n", self._key + ":t", self._key + ":audited"])


def first_blocked(counters: list[Counter]) -> tuple[Counter, datetime] | None:
    """The counter that blocks for longest, with its retry time, or None when none blocks."""
    blocked = [(c, until) for c in counters if (until := c.blocked_until()) is not None]
    return max(blocked, key=lambda pair: pair[1]) if blocked else None
