"""What each member has read, kept small enough for 100,000 members and 1,000,000 posts.

Two records answer "is this post new to me?":

- `ReadMark`, at most one row per member: everything whose latest activity is older than
  `read_before` counts as read ("すべて既読にする" moves it to now).
- `PostRead`, one row per post the member opened *after* that mark: when, and how many comments
  the post had then.

A member who never opened anything has no rows at all. Rows older than the horizon
(`cityhall.feed.reads.HORIZON`) are pruned daily: nothing that old is ever shown as new.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadMark(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    read_before = models.DateTimeField()

    class Meta:
        verbose_name = _("既読の区切り")
        verbose_name_plural = _("既読の区切り")

    def __str__(self) -> str:
        return f"{self.user_id} < {self.read_before:%Y-%m-%d %H:%M}"


class PostRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)
    # Post.comment_count when the member last opened the post.
    comments_seen = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("既読の投稿")
        verbose_name_plural = _("既読の投稿")
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="feed_one_read_per_post"),
        ]
        indexes = [models.Index(fields=["seen_at"], name="feed_postread_seen_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.post_id}"
