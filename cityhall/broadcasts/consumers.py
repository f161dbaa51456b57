"""The live page's WebSocket: comments and the viewer count pushed to every viewer.

Members only, like every page: refused at connect for anyone else (and for staff without their
second factor), for unknown or archived episodes, and closed at once when the member's
sessions end (suspension). Viewers only listen; comments are posted over HTTP, where the form
checks, the rate limits and the audit live. The one message a viewer sends is
{"type": "catch_up", "after": <last id seen>} after a reconnect.

Asynchronous on purpose: one comment reaches thousands of viewers, and a synchronous consumer
would hop to a worker thread for each of them. Only the checks at connect, the viewer counter
and catch-up touch the database or the cache, in one thread hop each.
"""

from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from cityhall.broadcasts import live
from cityhall.broadcasts.access import access_episode
from cityhall.realtime.consumers import may_connect, user_group

SOCKET_ONLY = {"comments.batch", "comment.deleted", "viewers.changed"}


def _admit(scope: dict[str, Any]) -> tuple[int, int] | int:
    """(episode id, viewers now) for an admitted viewer, else the close code."""
    if not may_connect(scope):
        return 4403
    try:
        episode = access_episode(scope["user"], scope["url_route"]["kwargs"]["episode_id"])
    except Http404:
        return 4404
    count = live.change_viewers(episode.pk, +1)
    live.record_peak(episode.pk, count)
    return episode.pk, count


class EpisodeConsumer(AsyncJsonWebsocketConsumer):
    episode_id: int | None = None

    async def connect(self) -> None:
        admitted = await database_sync_to_async(_admit)(self.scope)
        if isinstance(admitted, int):
            await self.close(code=admitted)
            return
        self.episode_id, count = admitted
        self.groups_joined = [
            user_group(self.scope["user"].pk),
            live.episode_group(self.episode_id),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self._announce_viewers(count, to_self=True)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.episode_id is not None:
            episode_id, self.episode_id = self.episode_id, None
            count = await database_sync_to_async(live.change_viewers)(episode_id, -1)
            await self._announce_viewers(count, episode_id)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "catch_up":
            after = content.get("after")
            episode_id = self.episode_id
            if episode_id is not None and type(after) is int and after >= 0:
                comments = await database_sync_to_async(live.comments_after)(episode_id, after)
                await self.send_json({"type": "comments", "comments": comments})
                return
        await self.send_json({"type": "error", "message": "不明なメッセージです。"})

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return await super().decode_json(text_data[:1000])
        except ValueError:
            return None

    async def _announce_viewers(
        self, count: int, episode_id: int | None = None, *, to_self: bool = False
    ) -> None:
        """Tell everyone the new count, at most once every few seconds per episode: thousands
        joining at the start of a broadcast must not cost thousands of messages each. (Each
        comment carries the count too.) A new viewer always learns it."""
        episode_id = episode_id or self.episode_id
        if episode_id is None:
            return
        if await database_sync_to_async(live.may_announce_viewers)(episode_id):
            await self.channel_layer.group_send(
                live.episode_group(episode_id), {"type": "viewers.changed", "count": count}
            )
        elif to_self:
            await self.send_json({"type": "viewers", "count": count})

    # Group events -----------------------------------------------------------------------

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Group events go straight to their handler. channels closes stale database
        connections before every handler, a hop to its one database thread; these handlers
        only write to the socket, and 3,000 viewers would queue 3,000 hops behind each other
        for every batch of comments. (Catch-up and connect reach the database through
        database_sync_to_async, which closes stale connections itself.)"""
        if message["type"] in SOCKET_ONLY:
            await getattr(self, get_handler_name(message))(message)
            return
        await super().dispatch(message)

    async def comments_batch(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])  # encoded once for all (live.comments_event)

    async def comment_deleted(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "deleted", "id": event["id"]})

    async def viewers_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "viewers", "count": event["count"]})

    async def session_ended(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "session_ended"})
        await self.close(code=4401)
