"""Lasting knowledge: FAQ entries (質問と回答) kept up to date, with every version kept.

An entry records when its information was true (`as_of`, 情報の時点) and the national notice
(国の通知) it reflects, because rules such as vaccination procedures change often and a reader
must be able to tell how fresh an answer is.
"""

import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.core.jst import now_jst

# After this long an answer is shown with a warning that it may be out of date.
STALE_AFTER = timedelta(days=365)


def tag_name(text: str) -> str:
    """How a tag is stored: NFKC (full/half width unified), spaces collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


class Tag(models.Model):
    name = models.CharField(_("タグ"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FaqQuerySet(models.QuerySet["FaqEntry"]):
    def published(self) -> "FaqQuerySet":
        return self.filter(status=FaqEntry.Status.PUBLISHED)

    def for_list(self) -> "FaqQuerySet":
        # Lists and documents show every entry's duties and tags: two queries, not one per row.
        return self.prefetch_related("duties", "tags").order_by("-updated_at", "-id")


class FaqEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開")

    question = models.CharField(_("質問"), max_length=200)
    answer = models.TextField(_("回答"), max_length=20000)
    duties = models.ManyToManyField(
        "members.Duty", blank=True, related_name="faq_entries", verbose_name=_("担当業務")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries", verbose_name=_("タグ"))
    as_of = models.DateField(_("情報の時点"))
    notice_title = models.CharField(_("通知の件名"), max_length=200, blank=True)
    notice_issuer = models.CharField(_("発出元"), max_length=100, blank=True)
    notice_date = models.DateField(_("通知の日付"), null=True, blank=True)
    notice_url = models.URLField(_("通知のURL"), max_length=500, blank=True)
    # The session the entry came from; its series is the event's. `source_note` names sources
    # that are not events here (a national Q&A, a session held before the site existed).
    source_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faq_entries",
        verbose_name=_("元になった勉強会"),
    )
    source_note = models.CharField(_("出典"), max_length=200, blank=True)
    status = models.CharField(
        _("公開状態"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="faq_entries"
    )
    editors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Optimistic locking: an edit names the version it started from and is refused if another
    # edit was saved in between, so nobody silently overwrites a colleague's answer.
    version = models.PositiveIntegerField(default=1)
    # normalize() of question, answer and tags, for the text filter (width and kana folded).
    search_text = models.TextField(default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = FaqQuerySet.as_manager()

    class Meta:
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQ")
        indexes = [models.Index(fields=["status", "-updated_at", "-id"], name="knowledge_list_idx")]

    def __str__(self) -> str:
        return self.question

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def has_notice(self) -> bool:
        return bool(self.notice_title or self.notice_url)

    def is_stale(self, today: date | None = None) -> bool:
        return self.as_of < (today or now_jst().date()) - STALE_AFTER


class FaqRevision(models.Model):
    """One saved version of an entry: the first is written when it is created, one more on
    every edit, so the history shows each version and who made it."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    question = models.CharField(max_length=200)
    answer = models.TextField()
    as_of = models.DateField()
    notice = models.JSONField(default=dict, blank=True)  # title, issuer, date, url
    tags = models.CharField(max_length=400, blank=True)
    duties = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=FaqEntry.Status.choices)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("FAQの版")
        verbose_name_plural = _("FAQの版")
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="knowledge_one_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.version}"
