"""Members' reports of posts and comments, and the staff's decision on them.

Reports about one post or comment gather in one open `Case` until a staff member decides; a
later report on the same content opens a new case. A member has at most one report per case.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("住民の個人情報・非公開の情報")
    HARASSMENT = "harassment", _("誹謗中傷・ハラスメント")
    SPAM = "spam", _("宣伝・勧誘・スパム")
    OTHER = "other", _("その他")


class Decision(models.TextChoices):
    HIDE = "hide", _("非表示にする")
    RESTORE = "restore", _("元に戻す")
    DISMISS = "dismiss", _("対応しない")
    WARN = "warn", _("投稿者に注意する")
    SUSPEND = "suspend", _("投稿者を利用停止にする")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> "CaseQuerySet":
        return self.filter(status=Case.Status.OPEN)

    def for_queue(self) -> "CaseQuerySet":
        return self.select_related(
            "author__profile__organization",
            "post__section",
            "comment__post__section",
            "decided_by",
        )


class Case(models.Model):
    """The reports on one post or comment while they wait for, and after, a staff decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("未対応")
        RESOLVED = "resolved", _("対応済み")

    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "posts.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The content's author, kept here so a member's history with the moderators is one query.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_cases"
    )
    # The text when it was first reported: an author may edit the evidence away afterwards.
    snapshot = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    note = models.TextField(_("記録用のメモ"), max_length=2000, blank=True)
    message = models.TextField(_("投稿者へのメッセージ"), max_length=2000, blank=True)
    content_hidden = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("報告への対応")
        verbose_name_plural = _("報告への対応")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment=None) | Q(post=None, comment__isnull=False),
                name="moderation_case_one_target",
            ),
            # One open case per post and per comment: new reports join it.
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status="open", comment=None),
                name="moderation_case_open_post",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(status="open", post=None),
                name="moderation_case_open_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "opened_at", "id"], name="moderation_queue_idx"),
            models.Index(fields=["status", "-decided_at", "-id"], name="moderation_resolved_idx"),
            models.Index(fields=["author", "-opened_at"], name="moderation_author_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.target_kind} {self.post_id or self.comment_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def target(self) -> Any:
        return self.post if self.post_id else self.comment

    @property
    def target_kind(self) -> str:
        return "post" if self.post_id else "comment"

    @property
    def thread(self) -> Any:
        """The post the content belongs to."""
        if self.post is not None:
            return self.post
        assert self.comment is not None  # one target, by constraint
        return self.comment.post


class Report(models.Model):
    """One member's report: why the content should not be here."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_reports"
    )
    reason = models.CharField(_("理由"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("補足"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("報告")
        verbose_name_plural = _("報告")
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="moderation_report_once"),
        ]
        indexes = [models.Index(fields=["reporter", "-created_at"], name="moderation_rate_idx")]

    def __str__(self) -> str:
        return f"{self.reason} on {self.case_id}"
