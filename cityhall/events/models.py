"""Study sessions (勉強会) and events.

- ``EventSeries``: a recurring study session (e.g. the Friday 説明会). Its recurrence rule
  (weekly / every other week / monthly on the nth weekday, at a JST time, for a duration)
  generates ``Event`` rows ahead of time; the defaults (capacity, venue, description) are copied
  into each generated session, which hosts may then change one by one.
- ``Event``: one session. A one-off event has ``series=None``. ``occurrence_date`` remembers
  which slot of the recurrence a generated session fills, so moving or cancelling it never makes
  the generator create it again.
- Organised by staff, by a section (its leaders and deputies manage it) or by named host members
  (``EventHost``). Hosts named on a series host every session of it.
- ``Registration``: one member's place at one session: confirmed, waitlisted or cancelled.
  ``position`` orders the queue (the waitlist is promoted in that order). One row per member and
  session; cancelling and registering again reuses it at the end of the queue.
- ``RegistrationQuestion`` / ``RegistrationAnswer``: what hosts ask when members register; a
  question on a series is asked for every session.
- ``CalendarFeed``: the secret token of a member's personal calendar feed.
- ``AgendaItem`` / ``AgendaVote``: the needs-based agenda — questions and topics members ask a
  session to cover before it, with one vote per member; hosts mark them planned, answered or out
  of scope, and turn answered ones into FAQ entries afterwards (agenda.py).
- ``Attendance``: who attended a session — self check-in in the session window, hosts' marks,
  or a video meeting's participants report (attendance.py, zoom_report.py). Figures per series
  (figures.py) count attendances, distinct participants, organisations and municipalities.

Times are stored in UTC and shown in JST (cityhall/core/jst.py). The online venue URL is secret:
only confirmed registrants and the people who manage the event ever see it (see access.py).
"""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organizer(models.TextChoices):
    STAFF = "staff", _("運営事務局")
    SECTION = "section", _("課")
    HOSTS = "hosts", _("会員（主催者）")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("毎週")
    BIWEEKLY = "biweekly", _("隔週")
    MONTHLY = "monthly", _("毎月（第n曜日）")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("月曜日")
    TUESDAY = 1, _("火曜日")
    WEDNESDAY = 2, _("水曜日")
    THURSDAY = 3, _("木曜日")
    FRIDAY = 4, _("金曜日")
    SATURDAY = 5, _("土曜日")
    SUNDAY = 6, _("日曜日")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("第1")
    SECOND = 2, _("第2")
    THIRD = 3, _("第3")
    FOURTH = 4, _("第4")
    LAST = 5, _("最終")


class EventSeriesQuerySet(models.QuerySet["EventSeries"]):
    def active(self) -> "EventSeriesQuerySet":
        return self.filter(is_active=True)


class Organized(models.Model):
    """What a series and its sessions share: the description, who organises it, the seats and
    the venue (a series' values are the defaults copied into each generated session)."""

    description = models.TextField(_("説明（Markdown）"), max_length=20000, blank=True)
    organizer = models.CharField(_("主催"), max_length=16, choices=Organizer.choices)
    capacity = models.PositiveIntegerField(
        _("定員"), null=True, blank=True, help_text=_("空欄なら定員なし")
    )
    venue_url = models.URLField(
        _("オンライン会場のURL"),
        max_length=500,
        blank=True,
        help_text=_("参加が確定した人と主催者にだけ表示されます。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EventSeries(Organized):
    """A recurring study session and the rule that generates its sessions."""

    slug = models.SlugField(_("URL用の名前"), max_length=60, unique=True)
    title = models.CharField(_("名前"), max_length=120)
    section = models.ForeignKey(
        "sections.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_series",
        verbose_name=_("主催の課"),
    )
    # The recurrence, in Japan time.
    frequency = models.CharField(_("繰り返し"), max_length=16, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    week_of_month = models.PositiveSmallIntegerField(
        _("第何週（毎月の場合）"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    start_time = models.TimeField(_("開始時刻"))
    duration_minutes = models.PositiveSmallIntegerField(_("所要時間（分）"), default=60)
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    is_active = models.BooleanField(
        _("開催回を自動で作る"), default=True, help_text=_("オフにすると新しい回は作られません。")
    )
    skip_holidays = models.BooleanField(
        _("祝日は休みにする"),
        default=True,
        help_text=_("オンにすると、祝日（元日や振替休日を含む）に当たる回は作られません。"),
    )

    objects = EventSeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("勉強会シリーズ")
        verbose_name_plural = _("勉強会シリーズ")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organizer="section") | Q(section__isnull=False),
                name="events_series_section_organizer_has_section",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class EventQuerySet(models.QuerySet["Event"]):
    def upcoming(self, now: Any = None) -> "EventQuerySet":
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "id")

    def past(self, now: Any = None) -> "EventQuerySet":
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-id")

    def scheduled(self) -> "EventQuerySet":
        return self.filter(status=Event.Status.SCHEDULED)

    def with_counts(self) -> "EventQuerySet":
        """Confirmed and waitlisted counts in the same query (for lists and seats left)."""
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            ),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
        )


class Event(Organized):
    """One session of a series, or a one-off event."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("開催予定")
        CANCELLED = "cancelled", _("中止")

    series = models.ForeignKey(
        EventSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("シリーズ"),
    )
    occurrence_date = models.DateField(null=True, blank=True, editable=False)
    title = models.CharField(_("タイトル"), max_length=120)
    section = models.ForeignKey(
        "sections.Section",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("主催の課"),
    )
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    waitlist_enabled = models.BooleanField(
        _("満席のときはキャンセル待ちを受け付ける"), default=True
    )
    walk_ins = models.BooleanField(
        _("申し込みなしの当日参加を受け付ける"),
        default=False,
        help_text=_(
            "オンにすると、申し込んでいない会員も当日に出席登録でき、登録後に会場URLが表示されます"
            "（定員のある回は空席があるときだけ）。"
        ),
    )
    materials = models.TextField(
        _("資料のリンク"),
        max_length=4000,
        blank=True,
        help_text=_("1行に1つ、「資料名 URL」の形で書きます（例: 当日のスライド https://…）。"),
    )
    recording_url = models.URLField(
        _("録画のURL"),
        max_length=500,
        blank=True,
        help_text=_("終わったあとに会員へ公開する録画（限定公開の動画など）。"),
    )
    registration_opens_at = models.DateTimeField(
        _("申込開始日時"), null=True, blank=True, help_text=_("空欄ならすぐに受け付けます。")
    )
    registration_closes_at = models.DateTimeField(
        _("申込締切日時"), null=True, blank=True, help_text=_("空欄なら開始時刻まで受け付けます。")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("中止の理由"), max_length=1000, blank=True)
    # Bumped on every move or cancellation, so calendar apps replace their copy (iCalendar).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("勉強会・イベント")
        verbose_name_plural = _("勉強会・イベント")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=Q(occurrence_date__isnull=False),
                name="events_one_session_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="events_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(organizer="section") | Q(section__isnull=False),
                name="events_event_section_organizer_has_section",
            ),
        ]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="events_event_time_idx"),
            models.Index(fields=["series", "starts_at"], name="events_event_series_idx"),
            models.Index(fields=["section", "starts_at"], name="events_event_section_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def duration_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_ended(self, now: Any = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    def has_started(self, now: Any = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    @property
    def closes_at(self) -> Any:
        """Registration closes at the given time, or when the session starts."""
        return self.registration_closes_at or self.starts_at

    def seats_left(self, confirmed: int | None = None) -> int | None:
        """None when there is no capacity. Pass the count when the list annotated it."""
        if self.capacity is None:
            return None
        if confirmed is None:
            confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)

    def material_links(self) -> list[tuple[str, str]]:
        """(label, url) for each line "label URL"; a bare URL is its own label."""
        links = []
        for line in self.materials.splitlines():
            label, _sep, url = line.strip().rpartition(" ")
            if url.startswith(("https://", "http://")):
                links.append((label.strip() or url, url))
        return links


class EventHost(models.Model):
    """A member named as host of one session, or of a series (then of all its sessions)."""

    series = models.ForeignKey(
        EventSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="hosts"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="hosts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosting"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("主催者")
        verbose_name_plural = _("主催者")
        constraints = [
            models.CheckConstraint(
                condition=Q(series__isnull=True, event__isnull=False)
                | Q(series__isnull=False, event__isnull=True),
                name="events_host_of_series_or_event",
            ),
            models.UniqueConstraint(fields=["series", "user"], name="events_one_series_host"),
            models.UniqueConstraint(fields=["event", "user"], name="events_one_event_host"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Registration(models.Model):
    """A member's place at a session. Capacity counts confirmed rows only."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("参加確定")
        WAITLISTED = "waitlisted", _("キャンセル待ち")
        CANCELLED = "cancelled", _("キャンセル済み")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # Order of arrival within the event; the waitlist is promoted lowest first.
    position = models.PositiveIntegerField()
    registered_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Each reminder goes once; moving the event clears them so they go again for the new time.
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("参加申込")
        verbose_name_plural = _("参加申込")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_one_registration"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "position"], name="events_reg_queue_idx"),
            models.Index(fields=["user", "status"], name="events_reg_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.user} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


class RegistrationQuestion(models.Model):
    """A question on the registration form of one session, or of every session of a series."""

    class Kind(models.TextChoices):
        SHORT = "short", _("短い文章")
        LONG = "long", _("長い文章")
        CHOICE = "choice", _("選択肢から1つ")

    series = models.ForeignKey(
        EventSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    label = models.CharField(_("質問"), max_length=200)
    help_text = models.CharField(_("補足"), max_length=300, blank=True)
    kind = models.CharField(
        _("回答の形式"), max_length=16, choices=Kind.choices, default=Kind.SHORT
    )
    choices = models.TextField(
        _("選択肢"), max_length=2000, blank=True, help_text=_("1行に1つ（選択肢の形式のとき）")
    )
    required = models.BooleanField(_("回答必須"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("申込時の質問")
        verbose_name_plural = _("申込時の質問")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(series__isnull=True, event__isnull=False)
                | Q(series__isnull=False, event__isnull=True),
                name="events_question_of_series_or_event",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RegistrationAnswer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    answer = models.TextField(max_length=4000, blank=True)

    class Meta:
        verbose_name = _("質問への回答")
        verbose_name_plural = _("質問への回答")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="events_one_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.question} / {self.answer[:40]}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret that opens a member's personal calendar feed. Regenerating replaces it;
    revoking deletes the row, so the old URL answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("カレンダー配信")
        verbose_name_plural = _("カレンダー配信")

    def __str__(self) -> str:
        return str(self.user)


class AgendaItem(models.Model):
    """A question or topic a member wants a session to cover (needs-based agenda). Members vote;
    hosts mark it planned, answered or out of scope, with an optional note."""

    class Status(models.TextChoices):
        OPEN = "open", _("受付中")
        PLANNED = "planned", _("取り上げる予定")
        ANSWERED = "answered", _("回答済み")
        OUT_OF_SCOPE = "out_of_scope", _("今回は対象外")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_items"
    )
    title = models.CharField(_("聞きたいこと・取り上げてほしいテーマ"), max_length=120)
    detail = models.TextField(_("補足"), max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    host_note = models.CharField(_("主催者からのひとこと"), max_length=500, blank=True)
    # Kept by the vote action (F() updates) so the agenda sorts without counting rows.
    vote_count = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("議題の希望")
        verbose_name_plural = _("議題の希望")
        ordering = ["-vote_count", "created_at", "id"]
        indexes = [
            models.Index(fields=["event", "status", "-vote_count"], name="events_agenda_idx"),
            models.Index(fields=["author", "created_at"], name="events_agenda_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaVote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_votes"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("議題への投票")
        verbose_name_plural = _("議題への投票")
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="events_one_agenda_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} / {self.user_id}"


class Attendance(models.Model):
    """A member attended a session: checked in themselves, marked by a host, or found in the
    video meeting's participants report. One row per member and session."""

    class Source(models.TextChoices):
        SELF = "self", _("本人の出席登録")
        HOST = "host", _("主催者の記録")
        REPORT = "report", _("参加者レポート")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_attendances"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)
    minutes = models.PositiveIntegerField(null=True, blank=True)  # from the report, if any
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="events_one_attendance"),
        ]
        indexes = [models.Index(fields=["user", "event"], name="events_attendance_user_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} / {self.user_id}"
