"""The Redis cache as an accelerator the site can lose (docs/decisions.md, "When Redis is down").

`ResilientRedisCache` is Django's RedisCache with short timeouts, and with every operation
answering as a cache that remembers nothing when Redis cannot be reached: reads return their
default (the caller then reads the database), writes and deletes do nothing, `add` succeeds
and `incr` counts from zero, so nothing is refused because a counter could not be read.
A circuit breaker skips Redis for a few seconds after a failure (lib/breaker.py).

A value set or deleted during an outage may still be in Redis from before it (a network
failure rather than a restart), now out of date: the keys are noted, and deleted as soon as
Redis answers again.

While Redis answers, everything behaves as in RedisCache, errors included: `incr` of a
missing key raises ValueError, and Redis refusing a command (a ResponseError) still raises.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cityhall.core.breaker import PAUSE, breaker

logger = logging.getLogger(__name__)

# Seconds. Redis answers within a millisecond on the same network; longer means it is not
# going to, and every page would wait that long for each cache call.
CONNECT_TIMEOUT = 0.25
READ_TIMEOUT = 0.5
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Keys noted during one outage, at most (a process serving every member notes one unread
# count each); past this, the rest live out their timeouts.
STALE_LIMIT = 10_000

_stale: dict[str, set[str]] = {}
_stale_lock = threading.Lock()


class ResilientRedisCache(RedisCache):
    """OPTIONS may set `socket_connect_timeout`, `socket_timeout` (seconds, passed to redis-py)
    and `breaker_pause` (seconds Redis is skipped after a failure)."""

    _cache: Any  # RedisCache's client (django-stubs leaves it out)

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        pause = float(options.pop("breaker_pause", PAUSE))
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", READ_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        name = f"Redis cache {server if isinstance(server, str) else ','.join(server)}"
        self.breaker = breaker(name, pause=pause)
        with _stale_lock:
            self._stale = _stale.setdefault(name, set())  # shared by the process's threads

    def _guard(
        self,
        fallback: Any,
        operation: Callable[..., Any],
        *args: Any,
        changes: Iterable[Any] = (),
        version: Any = None,
    ) -> Any:
        """The operation's result, or `fallback` when Redis cannot be reached; `changes` are
        the keys the operation would have changed, to delete once Redis is back."""
        if self.breaker.allow():
            try:
                if self.breaker.is_open:  # this call tries Redis again: first the clean-up
                    self._delete_stale()
                result = operation(*args)
            except UNREACHABLE as error:
                self.breaker.failed(error)
            else:
                self.breaker.succeeded()
                return result
        self._note_stale(changes, version)
        return fallback

    def _note_stale(self, keys: Iterable[Any], version: Any) -> None:
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        if not made:
            return
        with _stale_lock:
            room = STALE_LIMIT - len(self._stale)
            if room <= 0:
                return
            if len(made) > room:
                logger.warning(
                    "%s: over %s keys changed during the outage; the others keep their values "
                    "until they expire",
                    self.breaker.name,
                    STALE_LIMIT,
                )
            self._stale.update(made[:room])

    def _delete_stale(self) -> None:
        """Delete the keys noted during the outage; raises, keeping what is left, if Redis
        still cannot be reached."""
        with _stale_lock:
            keys = list(self._stale)
            self._stale.clear()
        for start in range(0, len(keys), 1000):
            try:
                self._cache.delete_many(keys[start : start + 1000])
            except UNREACHABLE:
                with _stale_lock:
                    self._stale.update(keys[start:])
                raise
        if keys:
            logger.info(
                "%s: forgot %s values changed during the outage", self.breaker.name, len(keys)
            )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(default, super().get, key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guard(False, super().has_key, key, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        # True: the caller goes ahead, as with an empty cache. Guards built on add (one
        # notice per interval, a pause between live comments) are off during an outage.
        return self._guard(True, super().add, key, value, timeout, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._guard(None, super().set, key, value, timeout, version, changes=[key], version=version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        keys = list(data)
        return self._guard(
            keys, super().set_many, data, timeout, version, changes=keys, version=version
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guard(False, super().touch, key, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        # Counted from zero, as if the add that callers make first had just created the key.
        return self._guard(delta, super().incr, key, delta, version)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard(False, super().delete, key, version, changes=[key], version=version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        self._guard(None, super().delete_many, keys, version, changes=keys, version=version)

    def clear(self) -> None:
        self._guard(None, super().clear)
