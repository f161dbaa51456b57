"""WebSocket endpoints. Members only: anyone else is refused at connect."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


class PresenceConsumer(JsonWebsocketConsumer):
    """A member's own channel: answers pings, and closes when their account is suspended."""

    def connect(self) -> None:
        user = self.scope.get("user")
        if not user or not user.is_authenticated or not user.is_member:
            self.close(code=4403)
            return
        self.group = user_group(user.pk)
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        self.accept()

    def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)

    def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            self.send_json({"type": "pong"})
        else:
            self.send_json({"type": "error", "message": "不明なメッセージです。"})

    def session_ended(self, event: dict[str, Any]) -> None:
        """Sent by accounts actions when the member is suspended or signs out everywhere."""
        self.send_json({"type": "session_ended"})
        self.close(code=4401)
