from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    """A member's request for their own data (APPI disclosure), built by the worker into a zip
    in the private media folder and kept `EXPORT_KEEP_FOR` (cityhall/interface/export_worker.py).

    One export per member is queued or building at a time (the constraint below); a new
    request replaces the member's finished ones."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("順番待ち")
        BUILDING = "building", _("作成中")
        READY = "ready", _("ダウンロードできます")
        FAILED = "failed", _("失敗")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    # When the export was last handed to the worker; the clock hands it on again when no
    # worker has taken it a lease later.
    queued_at = models.DateTimeField(default=timezone.now)
    # While building: until when the worker holds it. Also the worker's proof that the export
    # is still its own when it finishes (a sweep may have handed it to another worker).
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="exports/", max_length=200, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("データの書き出し")
        verbose_name_plural = _("データの書き出し")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "building"]),
                name="interface_one_running_export_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
