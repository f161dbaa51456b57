"""The post page's WebSocket: new comments, announced as they are added."""

from typing import Any

from asgiref.sync import async_to_sync
from django.http import Http404

from cityhall.posts.access import access_post
from cityhall.posts.live import post_group
from cityhall.realtime.consumers import PresenceConsumer, may_connect, user_group


class PostConsumer(PresenceConsumer):
    """An open post page: told {"type": "new_comment", "id": …} when a comment is added, so it
    fetches posts:comments_since (the text itself only ever travels over checked HTTP).
    Refused like the post page: non-members, and anyone who may not read the post (a closed
    section's outsiders, a deleted post). Closes, like presence, when the member's sessions end.
    """

    def connect(self) -> None:
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
