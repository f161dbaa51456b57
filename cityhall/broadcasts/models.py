"""Daily broadcasts (庁内放送): programmes (番組) run by personalities, and their episodes (放送回).

A programme has a regular slot in Japan time (weekdays, start, length) that suggests the next
episode's time; the episode itself carries its real start and end. An episode is on air while
the clock is between them, unless it was cancelled.
"""

import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAYS = (
    _("月"),
    _("火"),
    _("水"),
    _("木"),
    _("金"),
    _("土"),
    _("日"),
)


def cover_path(instance: "Programme", filename: str) -> str:
    return f"broadcasts/{uuid.uuid4().hex}.jpg"


def new_stream_key() -> str:
    return secrets.token_urlsafe(24)


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def active(self) -> "ProgrammeQuerySet":
        return self.filter(archived_at=None)


class Programme(models.Model):
    title = models.CharField(_("番組名"), max_length=60, unique=True)
    slug = models.SlugField(_("URL用の名前"), max_length=60, unique=True)
    description = models.TextField(_("番組の紹介"), max_length=2000)
    cover = models.ImageField(_("カバー画像"), upload_to=cover_path, blank=True)
    personalities = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="programmes",
        blank=True,
        verbose_name=_("パーソナリティ"),
    )
    # The regular slot, in Japan time: weekday digits (月=0 … 日=6), e.g. "6" or "01234".
    slot_weekdays = models.CharField(_("放送する曜日"), max_length=7, blank=True)
    slot_start = models.TimeField(_("開始時刻"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("放送時間（分）"), default=30)
    # Checked by the RTMP server when a personality starts streaming (self-hosted episodes).
    stream_key = models.CharField(max_length=64, default=new_stream_key, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("番組")
        verbose_name_plural = _("番組")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def slot_label(self) -> str:
        if not self.slot_weekdays or self.slot_start is None:
            return ""
        days = "・".join(str(WEEKDAYS[int(d)]) for d in self.slot_weekdays)
        if self.slot_weekdays == "0123456":
            days = str(_("毎日"))
        return f"{days} {self.slot_start:%H:%M}〜（{self.slot_minutes}{_('分')}）"


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def scheduled(self) -> "EpisodeQuerySet":
        return self.filter(cancelled_at=None)

    def on_air(self, now: datetime | None = None) -> "EpisodeQuerySet":
        now = now or timezone.now()
        return self.scheduled().filter(starts_at__lte=now, ends_at__gt=now)

    def between(self, start: datetime, end: datetime) -> "EpisodeQuerySet":
        return self.filter(Q(starts_at__lt=end) & Q(ends_at__gt=start))


class ArchiveStatus(models.TextChoices):
    NONE = "none", _("なし")
    PROCESSING = "processing", _("アーカイブを作成中")
    READY = "ready", _("アーカイブあり")
    FAILED = "failed", _("アーカイブの作成に失敗")


class Episode(models.Model):
    class Source(models.TextChoices):
        EXTERNAL = "external", _("外部の配信サービス")
        SELF_HOSTED = "self_hosted", _("このサイトで配信（RTMP）")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="episodes")
    title = models.CharField(_("タイトル"), max_length=100)
    description = models.TextField(_("内容"), max_length=4000, blank=True)
    guests = models.CharField(_("ゲスト"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    source = models.CharField(
        _("配信方法"), max_length=16, choices=Source.choices, default=Source.EXTERNAL
    )
    stream_url = models.URLField(
        _("配信ページのURL"),
        blank=True,
        help_text=_("限定公開の動画やウェビナーのURL。会員だけが見られるページに表示します。"),
    )
    archive_url = models.URLField(_("アーカイブのURL"), blank=True)
    chapters = models.TextField(
        _("チャプター"),
        max_length=4000,
        blank=True,
        help_text=_("1行に1つ、「0:00 オープニング」「12:30 ゲストの話」のように書きます。"),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Self-hosted: when the personality's software connected and disconnected, and the
    # recording made into an archive (cityhall/broadcasts/streaming.py).
    stream_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    stream_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    archive_file = models.FileField(upload_to="broadcasts/archives/", blank=True, editable=False)
    # The sound alone (AAC in MP4), for listening like the radio on a phone's data plan.
    archive_audio = models.FileField(upload_to="broadcasts/archives/", blank=True, editable=False)
    archive_status = models.CharField(
        max_length=12, choices=ArchiveStatus.choices, default=ArchiveStatus.NONE, editable=False
    )
    archive_error = models.TextField(blank=True, editable=False)
    live_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The most viewers connected at once (the live page's socket), for the staff figures.
    peak_viewers = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("放送回")
        verbose_name_plural = _("放送回")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="broadcasts_episode_ends_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_on_air(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and self.starts_at <= now < self.ends_at

    @property
    def stream_name(self) -> str:
        """The HLS name nginx publishes a self-hosted episode under: its programme's slug."""
        return self.programme.slug

    @property
    def chapter_list(self) -> list[tuple[int, str, str]]:
        """(seconds, "12:30", title) for each well-formed line of `chapters`; others are skipped."""
        found = []
        for line in self.chapters.splitlines():
            stamp, _sep, title = line.strip().partition(" ")
            parts = stamp.split(":")
            if not title.strip() or not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
                continue
            seconds = 0
            for part in parts:
                seconds = seconds * 60 + int(part)
            found.append((seconds, stamp, title.strip()))
        return sorted(found)

    @property
    def has_archive(self) -> bool:
        return bool(self.archive_url) or self.archive_status == ArchiveStatus.READY

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ProgrammeFollow(models.Model):
    """A member who wants to hear when the programme goes on air."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_follows"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="broadcasts_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.programme_id}"


class LiveComment(models.Model):
    """A comment posted during an episode; replayed in step with the archive."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_comments"
    )
    body = models.CharField(_("コメント"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ライブコメント")
        verbose_name_plural = _("ライブコメント")
        indexes = [models.Index(fields=["episode", "id"])]

    def __str__(self) -> str:
        return f"{self.episode_id}#{self.pk}"


class EpisodeMute(models.Model):
    """A member who may not comment for the rest of an episode."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "user"], name="broadcasts_mute_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} muted on {self.episode_id}"


class ArchivePlay(models.Model):
    """A member who played an episode's archive (counted once per member and episode)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plays")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "user"], name="broadcasts_play_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} played {self.episode_id}"
