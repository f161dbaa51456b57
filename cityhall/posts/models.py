"""Members' posts (投稿・質問・事例・お知らせ), their comments, revisions and reactions.

A post lives in the community-wide lobby (全体, `section=None`) or in a section. Feeds order by
`last_activity_at` then `id`, which a new comment bumps, and page with a cursor on both.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.sections.models import readable_condition


class PostQuerySet(models.QuerySet["Post"]):
    def alive(self) -> "PostQuerySet":
        return self.filter(deleted_at=None)

    def visible_to(self, user: User) -> "PostQuerySet":
        """Posts the viewer may read: staff read everything; members everything except closed
        sections they are not an active member of. Others read nothing."""
        if not user.is_member:
            return self.none()
        sections = readable_condition(user, via="section__")
        return self if sections is None else self.filter(Q(section=None) | sections)

    def for_list(self) -> "PostQuerySet":
        # Lists show titles only: leave the long texts in the database.
        return (
            self.select_related("author__profile__organization", "section")
            .defer("body", "case_what", "case_outcome")
            .order_by("-last_activity_at", "-id")
        )


class Post(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("話題")
        QUESTION = "question", _("質問")
        CASE_STUDY = "case_study", _("事例")
        ANNOUNCEMENT = "announcement", _("お知らせ")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    section = models.ForeignKey(
        "sections.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("投稿先"),
    )
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("タイトル"), max_length=120)
    body = models.TextField(_("本文"), max_length=20000)
    # Case studies (事例): what a member's organisation did, so others can copy it.
    case_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("実施した団体"),
    )
    case_period = models.CharField(_("実施時期"), max_length=100, blank=True)
    case_what = models.TextField(_("取り組んだこと"), max_length=4000, blank=True)
    case_cost = models.CharField(_("費用"), max_length=200, blank=True)
    case_outcome = models.TextField(_("成果"), max_length=4000, blank=True)
    case_contact = models.CharField(_("問い合わせ先"), max_length=200, blank=True)
    is_pinned = models.BooleanField(_("固定表示"), default=False)
    accepted_comment = models.ForeignKey(
        "Comment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_activity_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("投稿")
        verbose_name_plural = _("投稿")
        indexes = [
            # Lobby (section IS NULL) and section feeds, newest activity first.
            models.Index(fields=["section", "-last_activity_at", "-id"], name="posts_feed_idx"),
            models.Index(fields=["kind", "-last_activity_at", "-id"], name="posts_kind_feed_idx"),
            models.Index(fields=["author", "-created_at"], name="posts_author_idx"),
            # Pinned posts of a place: without these the database walks the whole feed to find
            # the one or two pinned rows (hundreds of milliseconds at a million posts).
            models.Index(
                fields=["section", "-last_activity_at", "-id"],
                condition=Q(is_pinned=True),
                name="posts_pinned_idx",
            ),
            models.Index(
                fields=["kind", "-last_activity_at", "-id"],
                condition=Q(is_pinned=True),
                name="posts_pinned_kind_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.accepted_comment_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostRevision(models.Model):
    """The version of a post before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=120)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("投稿の編集履歴")
        verbose_name_plural = _("投稿の編集履歴")
        indexes = [models.Index(fields=["post", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_comments"
    )
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("コメント"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("コメント")
        verbose_name_plural = _("コメント")
        indexes = [models.Index(fields=["post", "created_at", "id"])]

    def __str__(self) -> str:
        return f"{self.post_id}#{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("👍 参考になった")
        THANKS = "thanks", _("🙏 ありがとう")
        INSIGHT = "insight", _("💡 なるほど")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_reactions"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("リアクション")
        verbose_name_plural = _("リアクション")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment=None) | Q(post=None, comment__isnull=False),
                name="posts_reaction_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "post", "kind"],
                condition=Q(comment=None),
                name="posts_reaction_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["user", "comment", "kind"],
                condition=Q(post=None),
                name="posts_reaction_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"


class CommentRevision(models.Model):
    """The text of a comment before an edit."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("コメントの編集履歴")
        verbose_name_plural = _("コメントの編集履歴")
        indexes = [models.Index(fields=["comment", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.comment_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A generated name: what the uploader called the file never reaches the disk."""
    suffix = ".pdf" if instance.kind == Attachment.Kind.PDF else ".jpg"
    return f"posts/{instance.post_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to a post: an image (re-encoded as JPEG, with a thumbnail) or a PDF.

    Served only through posts:attachment, which checks that the viewer may read the post.
    """

    class Kind(models.TextChoices):
        IMAGE = "image", _("画像")
        PDF = "pdf", _("PDF")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(upload_to=attachment_path, max_length=200, blank=True)
    # The uploader's file name, cleaned, for display and downloads only.
    name = models.CharField(_("ファイル名"), max_length=120)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        indexes = [models.Index(fields=["post", "id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE
