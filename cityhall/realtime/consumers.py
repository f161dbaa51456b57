"""WebSocket endpoints. Members only: anyone else is refused at connect."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.http import Http404
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from cityhall.accounts.gate import second_factor_required


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


class PostConsumer(PresenceConsumer):
    """An open post page: told {"type": "new_comment", "id": …} when a comment is added, so it
    fetches posts:comments_since (the text itself only ever travels over checked HTTP).
    Refused like the post page: non-members, and anyone who may not read the post (a closed
    section's outsiders, a deleted post). Closes, like presence, when the member's sessions end.
    """

    def connect(self) -> None:
        # Imported here: accounts.actions imports this module, and posts must not load with it.
        from cityhall.posts.access import access_post
        from cityhall.posts.live import post_group

        if not may_connect(self.scope):
            self.close(code=4403)
            return
        user = self.scope["user"]
        try:
            post = access_post(user, self.scope["url_route"]["kwargs"]["post_id"])
        except Http404:
            self.close(code=4403)
            return
        self.groups_joined = [user_group(user.pk), post_group(post.pk)]
        for group in self.groups_joined:
            async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
        self.accept()

    def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            async_to_sync(self.channel_layer.group_discard)(group, self.channel_name)

    def comment_new(self, event: dict[str, Any]) -> None:
        self.send_json({"type": "new_comment", "id": event["id"]})
