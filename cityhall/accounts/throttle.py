"""Counting attempts in the cache, to slow down password and code guessing and request floods.

A `Counter` lives for one window from its first failure; once it reaches the limit, attempts are
refused until the window ends. A `Backoff` never refuses for long: past its limit it lets one
attempt through per delay, the delay doubling with each failure. Counters are keyed by a hash,
so the cache never holds addresses.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone


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


# Mail cannot be stopped once sent, so the forms that send it are limited per client; the
# actions also cap the mails one account receives (accounts.actions.MAIL_LIMIT).
SIGN_IN_LINK_LIMIT = RequestLimit("sign-in-link", per_address=3, per_client=20, window=15 * 60)
PASSWORD_RESET_LIMIT = RequestLimit("password-reset", per_address=3, per_client=20, window=15 * 60)
