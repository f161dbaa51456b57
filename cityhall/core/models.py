from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A write sent with a one-time key, and what it created (cityhall.core.submissions).

    Sending the same key again returns that result instead of writing twice. Keys belong to
    the member who sent them and are forgotten after a couple of days.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    # What the write created: the model's label ("posts.post") and the row's id. The id is
    # empty only inside the write's own transaction, before the write has made the row.
    kind = models.CharField(max_length=64)
    result_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("送信キー")
        verbose_name_plural = _("送信キー")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_submission_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.result_id} ({self.key})"


class OutboundEmail(models.Model):
    """A mail waiting to go out. Written in the same transaction as the change it reports,
    so a mail server that is down loses nothing: the worker retries until it is sent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set while one worker is talking to the mail server about this row; a worker that died
    # mid-send leaves it in the past, and the sweep hands the row to another (cityhall/
    # core/mail.py).
    claimed_until = models.DateTimeField(null=True, blank=True)
    # The mail holds a link that acts for its recipient (sign in, set a password, confirm an
    # address): set when it is queued, and the secret is masked once the mail has gone out.
    carries_secret = models.BooleanField(_("秘密のリンクを含む"), default=False, editable=False)

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        db_table = "notifications_outboundemail"  # the table predates the core app

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class PeriodicRun(models.Model):
    """When a periodic job (cityhall/core/periodic.py) last ran successfully."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    class Meta:
        verbose_name = _("定期処理の実行")
        verbose_name_plural = _("定期処理の実行")
        db_table = "notifications_periodicrun"  # the table predates the core app

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M}"
