"""The live page's WebSocket: comments and the viewer count pushed to every viewer.

Members only, like every page: refused at connect for anyone else (and for staff without their
second factor), for unknown or archived episodes, and closed at once when the member's
sessions end (suspension). Viewers only listen; comments are posted over HTTP, where the form
checks, the rate limits and the audit live. The one message a viewer sends is
{"type": "catch_up", "after": <last id seen>} after a reconnect.
"""

from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.http import Http404

from cityhall.realtime.consumers import may_connect, user_group


class EpisodeConsumer(JsonWebsocketConsumer):
    def connect(self) -> None:
        from cityhall.broadcasts.access import access_episode
        from cityhall.broadcasts.live import change_viewers, episode_group, record_peak

        self.episode_id: int | None = None
        if not may_connect(self.scope):
            self.close(code=4403)
            return
        user = self.scope["user"]
        try:
            episode = access_episode(user, self.scope["url_route"]["kwargs"]["episode_id"])
        except Http404:
            self.close(code=4404)
            return
        self.episode_id = episode.pk
        self.groups_joined = [user_group(user.pk), episode_group(episode.pk)]
        for group in self.groups_joined:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
        self.accept()
        count = change_viewers(episode.pk, +1)
        record_peak(episode.pk, count)
        self._announce_viewers(count)

    def disconnect(self, code: int) -> None:
        from cityhall.broadcasts.live import change_viewers

        for group in getattr(self, "groups_joined", []):
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)
        if self.episode_id is not None:
            self._announce_viewers(change_viewers(self.episode_id, -1))
            self.episode_id = None

    def receive_json(self, content: Any, **kwargs: Any) -> None:
        from cityhall.broadcasts.live import comments_after

        if isinstance(content, dict) and content.get("type") == "catch_up":
            after = content.get("after")
            episode_id = self.episode_id
            if episode_id is not None and type(after) is int and after >= 0:
                comments = comments_after(episode_id, after)
                self.send_json({"type": "comments", "comments": comments})
                return
        self.send_json({"type": "error", "message": "不明なメッセージです。"})

    def decode_json(self, text_data: str) -> Any:
        try:
            return super().decode_json(text_data[:1000])
        except ValueError:
            return None

    def _announce_viewers(self, count: int) -> None:
        from cityhall.broadcasts.live import episode_group

        if self.episode_id is None:
            return
        async_to_sync(self.channel_layer.group_send)(
            episode_group(self.episode_id), {"type": "viewers.changed", "count": count}
        )

    # Group events -----------------------------------------------------------------------

    def comment_new(self, event: dict[str, Any]) -> None:
        self.send_json({"type": "comment", "comment": event["comment"]})

    def comment_deleted(self, event: dict[str, Any]) -> None:
        self.send_json({"type": "deleted", "id": event["id"]})

    def viewers_changed(self, event: dict[str, Any]) -> None:
        self.send_json({"type": "viewers", "count": event["count"]})

    def session_ended(self, event: dict[str, Any]) -> None:
        self.send_json({"type": "session_ended"})
        self.close(code=4401)
