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
