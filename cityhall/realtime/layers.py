"""The channel layers: Redis pub/sub that survives Redis going away (ResilientPubSubChannelLayer,
with REDIS_URL), and the in-process layer of the embedded default (LocalChannelLayer).

LocalChannelLayer is channels' in-memory layer with the costs that grow with the audience
taken out.

channels' `InMemoryChannelLayer` scans every channel holding a message for expired ones on
each receive and each group send, and copies the message once per member of the group in a
task of its own: one comment to N viewers costs about N² checks and N copies (9 million checks
for 3,000). Here the scan runs at most once a second, and a group send copies the message once
and puts that one copy in every member's queue, so handlers must not change the events they
receive (ours only read them). Expiry and capacity behave as in channels: a message waits at
most `expiry` seconds, and a viewer with `capacity` messages waiting misses the next ones.
"""

import asyncio
import logging
import time
from contextlib import suppress
from copy import deepcopy
from typing import Any

from channels.layers import InMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import decode_hosts
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cityhall.core.breaker import PAUSE, breaker

CONNECT_TIMEOUT = 0.5  # seconds
SEND_TIMEOUT = 1.0  # seconds for one publish, waiting for the connection included
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, TimeoutError, OSError)


class LocalChannelLayer(InMemoryChannelLayer):
    clean_every = 1.0  # seconds between scans for expired messages
    _cleaned_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at >= self.clean_every:
            self._cleaned_at = now
            super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        item = (time.time() + self.expiry, deepcopy(message))
        for channel in list(self.groups.get(group, ())):
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
            with suppress(asyncio.QueueFull):  # as channels does: that viewer misses this one
                queue.put_nowait(item)


class ResilientPubSubChannelLayer(RedisPubSubChannelLayer):
    """channels_redis's pub/sub layer, for when Redis is down (docs/decisions.md, "When Redis is
    down"): a message that cannot be published is dropped with a warning instead of raising into
    the page or consumer that sent it (the write it announces is saved; pages catch up when they
    reconnect or poll), and after a failure sends skip Redis for a few seconds (lib/breaker.py).
    Sockets already open stay open: channels_redis reconnects and subscribes again by itself.
    Joining a group still fails while Redis is down, so a new socket is refused and the page
    polls and tries again later, rather than waiting on a subscription that never happened.
    """

    def __init__(
        self, *args: Any, hosts: Any = None, breaker_pause: float = PAUSE, **kwargs: Any
    ) -> None:
        hosts = [{**host} for host in decode_hosts(hosts)]
        for host in hosts:
            host.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        super().__init__(*args, hosts=hosts, **kwargs)
        names = ",".join(str(host.get("address") or host.get("host")) for host in hosts)
        self.breaker = breaker(f"Redis channel layer {names}", pause=breaker_pause)
        _quiet_receive_errors()

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        await self._publish("send", channel, message)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        await self._publish("group_send", group, message)

    async def _publish(self, method: str, to: str, message: dict[str, Any]) -> None:
        if not self.breaker.allow():
            return
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await getattr(self._get_layer(), method)(to, message)
        except UNREACHABLE as error:
            self.breaker.failed(error)
            return
        self.breaker.succeeded()

    async def group_discard(self, group: str, channel: str) -> None:
        """A socket closing while Redis is down still leaves its groups. The process may stay
        subscribed to a group no socket of its own is in; what arrives for it is dropped."""
        try:
            await self._get_layer().group_discard(group, channel)
        except UNREACHABLE as error:
            self.breaker.failed(error)


class _ReceiveErrorsOncePerMinute(logging.Filter):
    """channels_redis logs a traceback each second while its subscriber cannot reach Redis."""

    last = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, UNREACHABLE):
            return True
        now = time.monotonic()
        if now - self.last < 60:
            return False
        self.last = now
        return True


def _quiet_receive_errors() -> None:
    pubsub_logger = logging.getLogger("channels_redis.pubsub")
    if not any(isinstance(f, _ReceiveErrorsOncePerMinute) for f in pubsub_logger.filters):
        pubsub_logger.addFilter(_ReceiveErrorsOncePerMinute())
