"""Every write to the read markers. None is audited: they are a member's own reading state."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.feed.models import PostRead, ReadMark
from cityhall.feed.reads import HORIZON
from cityhall.posts.access import can_read_post
from cityhall.posts.models import Post


def do_mark_post_read(post: Post, *, actor: User) -> None:
    """Every member who opens a post they may read (the post page's posts.signals.post_viewed,
    see on_post_viewed). One upsert; nothing at all for a post whose last activity is beyond
    the horizon (never shown as new). Anyone else writes nothing, quietly: it runs as a side
    effect of opening a page, which it must never break."""
    if post.is_deleted or not can_read_post(actor, post):
        return
    now = timezone.now()
    if post.last_activity_at <= now - HORIZON:
        return
    PostRead.objects.bulk_create(
        [PostRead(user=actor, post=post, seen_at=now, comments_seen=post.comment_count)],
        update_conflicts=True,
        unique_fields=["user", "post"],
        update_fields=["seen_at", "comments_seen"],
    )


def on_post_viewed(sender: Any, *, post: Post, user: User, **kwargs: Any) -> None:
    """posts.signals.post_viewed."""
    do_mark_post_read(post, actor=user)


@transaction.atomic
def do_mark_all_read(*, actor: User) -> datetime:
    """Any member, for themself ("すべて既読にする"): moves their watermark to now and drops the
    per-post rows it makes redundant. No rule beyond that: it touches only the actor's own
    reading state."""
    now = timezone.now()
    ReadMark.objects.update_or_create(user=actor, defaults={"read_before": now})
    PostRead.objects.filter(user=actor, seen_at__lte=now).delete()
    return now


@transaction.atomic
def do_prune_reads(*, now: datetime) -> int:
    """The daily clean-up: rows older than the horizon no longer change any answer."""
    cutoff = now - HORIZON
    deleted, _ = PostRead.objects.filter(seen_at__lt=cutoff).delete()
    ReadMark.objects.filter(read_before__lt=cutoff).delete()
    return deleted
