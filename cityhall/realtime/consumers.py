"""The WebSocket base every live page builds on. Members only: anyone else is refused at
connect, and a member's sockets close when their sessions end."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from cityhall.core.gate import second_factor_required


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def may_connect(scope: dict[str, Any]) -> bool:
    """The same rule as the pages: members only, and staff must have passed their second factor
    in this session (the HTTP middleware that checks it does not run for WebSockets)."""
    user = scope.get("user")
    if not user or not user.is_authenticated or not user.is_member:
        return False
    if not second_factor_required(user):
        return True
    persistent_id = scope.get("session", {}).get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk


class PresenceConsumer(JsonWebsocketConsumer):
    """A member's own channel: answers pings, and closes when their account is suspended."""

    def connect(self) -> None:
        if not may_connect(self.scope):
            self.close(code=4403)
            return
        self.group = user_group(self.scope["user"].pk)
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
