"""A circuit breaker for a service the site can do without for a while (Redis).

After a call fails, callers skip the service for `pause` seconds instead of each paying the
connection timeout; then one caller tries again while the others keep skipping. An outage is
logged once when it starts, reminded at most once a minute, and once more when it ends.
One breaker per service and process (every thread shares it): see `breaker`.
"""

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

PAUSE = 5.0  # seconds without trying after a failure
REMIND_EVERY = 60.0  # seconds between warnings while the outage lasts


class Breaker:
    def __init__(
        self,
        name: str,
        *,
        pause: float = PAUSE,
        remind_every: float = REMIND_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.pause = pause
        self.remind_every = remind_every
        self.clock = clock
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._retry_at = 0.0
        self._reminded_at = 0.0
        self.skipped = 0  # calls not attempted during the current outage
        self.failures = 0  # attempts that failed during the current outage

    @property
    def is_open(self) -> bool:
        """True while the service is considered down."""
        return self.down_since is not None

    def allow(self) -> bool:
        """May this call go to the service? Yes while it is up; during an outage, only for the
        first caller after each pause (the others skip while that one tries)."""
        if self.down_since is None:
            return True
        with self._lock:
            if self.down_since is None:
                return True
            now = self.clock()
            if now >= self._retry_at:
                self._retry_at = now + self.pause
                return True
            self.skipped += 1
            return False

    def failed(self, error: BaseException) -> None:
        with self._lock:
            now = self.clock()
            self._retry_at = now + self.pause
            self.failures += 1
            if self.down_since is None:
                self.down_since = self._reminded_at = now
                logger.warning(
                    "%s is unreachable (%s: %s); skipping it, trying again every %g s",
                    self.name,
                    type(error).__name__,
                    error,
                    self.pause,
                )
            elif now - self._reminded_at >= self.remind_every:
                self._reminded_at = now
                logger.warning(
                    "%s still unreachable after %.0f s (%s calls skipped, %s failed)",
                    self.name,
                    now - self.down_since,
                    self.skipped,
                    self.failures,
                )

    def succeeded(self) -> bool:
        """Note a call that worked; True when it ended an outage."""
        if self.down_since is None:
            return False
        with self._lock:
            if self.down_since is None:
                return False
            logger.warning(
                "%s is back after %.0f s (%s calls skipped, %s failed)",
                self.name,
                self.clock() - self.down_since,
                self.skipped,
                self.failures,
            )
            self.down_since = None
            self._retry_at = 0.0
            self.skipped = self.failures = 0
            return True


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker(name: str, *, pause: float = PAUSE) -> Breaker:
    """The process's breaker for this service, made on first use. Django makes a cache
    backend per thread; they share this, so an outage costs one timeout per pause, not one
    per thread."""
    with _breakers_lock:
        found = _breakers.get(name)
        if found is None:
            found = _breakers[name] = Breaker(name, pause=pause)
        return found


def forget_breakers() -> None:
    """For tests: every service starts up again."""
    with _breakers_lock:
        _breakers.clear()
