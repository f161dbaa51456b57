"""Telling open post pages that a comment arrived, over the Channels layer.

The event carries ids only: the page then fetches the rendered comments from
posts:comments_since, where the usual access checks apply. Pages that cannot keep a WebSocket
open poll that same endpoint, so a lost event costs at most one polling interval.
"""

from cityhall.posts.models import Comment
from cityhall.realtime.send import send_on_commit


def post_group(post_id: int) -> str:
    return f"post.{post_id}"


def announce_comment(comment: Comment) -> None:
    """Once the transaction commits, send {"type": "comment.new"} to the post's group."""
    send_on_commit(post_group(comment.post_id), {"type": "comment.new", "id": comment.pk})
