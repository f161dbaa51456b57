"""Posts and comments count as a section's activity in the staff health table."""

from datetime import datetime

from django.db.models import Count, Max, Q

from cityhall.posts.models import Comment, Post


def section_activity(since: datetime) -> dict[int, tuple[datetime | None, int]]:
    """Latest post or comment per section, and how many there were since `since` (2 queries)."""
    result: dict[int, tuple[datetime | None, int]] = {}
    posts = (
        Post.objects.filter(section__isnull=False, deleted_at=None)
        .values("section_id")
        .annotate(latest=Max("created_at"), recent=Count("id", filter=Q(created_at__gte=since)))
        .order_by()
    )
    comments = (
        Comment.objects.filter(post__section__isnull=False, deleted_at=None)
        .values("post__section_id")
        .annotate(latest=Max("created_at"), recent=Count("id", filter=Q(created_at__gte=since)))
        .order_by()
    )
    for section_id, latest, recent in [
        *((r["section_id"], r["latest"], r["recent"]) for r in posts),
        *((r["post__section_id"], r["latest"], r["recent"]) for r in comments),
    ]:
        when, count = result.get(section_id, (None, 0))
        result[section_id] = (max(filter(None, (when, latest)), default=None), count + recent)
    return result
