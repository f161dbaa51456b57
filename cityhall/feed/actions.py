"""Every write to the read markers. None is audited: they are a member's own reading state."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.feed.models import PostRead, ReadMark
from cityhall.feed.reads import HORIZON
from cityhall.posts.models import Post


def do_mark_post_read(post: Post, *, actor: Any) -> None:
    """The post page calls it for every member who opens a post they may read. One upsert;
    nothing at all for a post whose last activity is beyond the horizon (never shown as new)."""
    if not getattr(actor, "is_member", False) or post.is_deleted:
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


@transaction.atomic
def do_mark_all_read(*, actor: Any) -> datetime:
    """Any member, for themself ("すべて既読にする"): moves their watermark to now and drops the
    per-post rows it makes redundant."""
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
