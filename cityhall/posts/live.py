"""Telling open post pages that a comment arrived, over the Channels layer.

The event carries ids only: the page then fetches the rendered comments from
posts:comments_since, where the usual access checks apply. Pages that cannot keep a WebSocket
open poll that same endpoint, so a lost event costs at most one polling interval.
"""

import logging

from django.db import transaction

from cityhall.posts.models import Comment
from cityhall.realtime.send import group_send

logger = logging.getLogger(__name__)


def post_group(post_id: int) -> str:
    return f"post.{post_id}"


def announce_comment(comment: Comment) -> None:
    """Once the transaction commits, send {"type": "comment.new"} to the post's group."""
    post_id, comment_id = comment.post_id, comment.pk

    def send() -> None:
        try:
            group_send(post_group(post_id), {"type": "comment.new", "id": comment_id})
        except Exception:  # the comment is saved; open pages catch up when they next poll
            logger.exception("Could not announce comment %s on post %s", comment_id, post_id)

    transaction.on_commit(send)
