"""Which posts are new to a member, and which have comments they have not seen.

The rule, for a post whose latest activity is after the member's watermark (`read_before`):

- opened since the watermark (a PostRead row): "新しいコメント N件" for the comments added since;
- never opened and written after the watermark by someone else: "新着";
- otherwise (written before the watermark): the comments added after the watermark.

The watermark is the member's "すべて既読にする" time, else the time they became a member,
and never older than HORIZON: nothing older than that is shown as new, which lets the daily
clean-up drop older PostRead rows without changing any answer.
"""

from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.feed.models import PostRead, ReadMark
from cityhall.posts.models import Comment, Post

HORIZON = timedelta(days=30)


def read_before(user: User, now: datetime | None = None) -> datetime:
    """The member's watermark: activity up to this moment counts as read."""
    now = now or timezone.now()
    mark = ReadMark.objects.filter(user_id=user.pk).values_list("read_before", flat=True).first()
    base = mark or user.approved_at or user.date_joined
    return max(base, now - HORIZON)


def mark_unread(user: User, posts: list[Post]) -> None:
    """Set `is_new` and `new_comments` on each post: at most three queries for any number."""
    for post in posts:
        post.is_new = False  # type: ignore[attr-defined]
        post.new_comments = 0  # type: ignore[attr-defined]
    if not posts:
        return
    watermark = read_before(user)
    active = [post for post in posts if post.last_activity_at > watermark]
    if not active:
        return
    seen = dict(
        PostRead.objects.filter(
            user_id=user.pk, post_id__in=[post.pk for post in active], seen_at__gt=watermark
        ).values_list("post_id", "comments_seen")
    )
    count_since_watermark = []
    for post in active:
        if post.pk in seen:
            post.new_comments = max(0, post.comment_count - seen[post.pk])  # type: ignore[attr-defined]
        elif post.created_at > watermark and post.author_id != user.pk:
            post.is_new = True  # type: ignore[attr-defined]
        else:
            count_since_watermark.append(post)
    if count_since_watermark:
        counts = dict(
            Comment.objects.filter(
                post_id__in=[post.pk for post in count_since_watermark],
                created_at__gt=watermark,
                deleted_at=None,
            )
            .exclude(author_id=user.pk)
            .values("post_id")
            .annotate(n=Count("id"))
            .values_list("post_id", "n")
            .order_by()
        )
        for post in count_since_watermark:
            post.new_comments = counts.get(post.pk, 0)  # type: ignore[attr-defined]
