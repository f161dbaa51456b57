from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.broadcasts.models import Episode
from cityhall.posts.models import Post


class Kind(models.TextChoices):
    POST_REPLY = "post_reply", _("自分の投稿へのコメント")
    COMMENT_REPLY = "comment_reply", _("自分のコメントへの返信")
    MENTION = "mention", _("自分へのメンション")
    ANSWER_ACCEPTED = "answer_accepted", _("自分の回答が解決策に選ばれたとき")
    SECTION_POST = "section_post", _("フォローしている課の新しい投稿")
    PROGRAMME_ON_AIR = "programme_on_air", _("フォローしている番組の放送開始")
    APPLICATION_PENDING = "application_pending", _("審査を待つ新しい参加申請（運営事務局）")


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("サイト内のみ")
    EMAIL = "email", _("すぐにメール")
    DIGEST = "digest", _("まとめメールに含める")


# A broadcast is news only while it is on air: no digest hours later.
LIVE_DELIVERY = [
    (Delivery.IN_APP.value, Delivery.IN_APP.label),
    (Delivery.EMAIL.value, Delivery.EMAIL.label),
]


class Frequency(models.TextChoices):
    DAILY = "daily", _("毎日")
    WEEKLY = "weekly", _("毎週金曜日")
    NONE = "none", _("送らない")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_recipient(self, user: User) -> "NotificationQuerySet":
        """The user's notifications whose post or episode still exists and which they may
        still read (someone who left a closed section no longer sees its titles; an archived
        programme's episodes are for staff only)."""
        # EXISTS per notification walks a primary key: cheap for one member's notifications,
        # whatever the number of posts. The rules are the posts and broadcasts apps' own.
        readable = Post.objects.visible_to(user).alive().filter(pk=OuterRef("post_id"))
        episodes = Episode.objects.filter(pk=OuterRef("episode_id"))
        if not user.is_staff_member:
            episodes = episodes.filter(programme__archived_at=None)
            return self.filter(recipient=user).filter(Exists(readable) | Exists(episodes))
        # Staff also hear of applications; an application is never shown to anyone else.
        return self.filter(recipient=user).filter(
            Exists(readable) | Exists(episodes) | Q(application__isnull=False)
        )

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at=None)


class Notification(models.Model):
    """Something that happened that one member should hear about."""

    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What it is about: a post (and maybe one of its comments), or a broadcast episode.
    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "posts.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    episode = models.ForeignKey(
        "broadcasts.Episode", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Staff only: a verified application waiting for review.
    application = models.ForeignKey(
        "members.MembershipApplication",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_idx"),
            # The bell: unread rows only, so the count stays small however old the account.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at=None),
                name="notif_unread_idx",
            ),
        ]
        # One notification per member and target (a post, a comment or an episode): an edit
        # that re-adds a mention, or an answer accepted twice, does not notify again.
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, episode=None, application=None)
                | Q(post=None, comment=None, episode__isnull=False, application=None)
                | Q(post=None, comment=None, episode=None, application__isnull=False),
                name="notif_one_target",
            ),
            models.UniqueConstraint(
                fields=["recipient", "post"],
                condition=Q(comment=None),
                name="notif_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(comment__isnull=False),
                name="notif_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "episode"],
                condition=Q(episode__isnull=False),
                name="notif_once_per_episode",
            ),
            models.UniqueConstraint(
                fields=["recipient", "application"],
                condition=Q(application__isnull=False),
                name="notif_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How a member wants to hear about each kind, and their digest's rhythm.

    A member without a row has the defaults. `next_digest_at` is set when something for the
    digest is waiting and cleared after each digest, so the digest job only reads the members
    who have something due.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    post_reply = models.CharField(
        Kind.POST_REPLY.label, max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )
    comment_reply = models.CharField(
        Kind.COMMENT_REPLY.label, max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    mention = models.CharField(
        Kind.MENTION.label, max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )
    answer_accepted = models.CharField(
        Kind.ANSWER_ACCEPTED.label,
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.DIGEST,
    )
    section_post = models.CharField(
        Kind.SECTION_POST.label, max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    programme_on_air = models.CharField(
        Kind.PROGRAMME_ON_AIR.label, max_length=10, choices=LIVE_DELIVERY, default=Delivery.EMAIL
    )
    application_pending = models.CharField(
        Kind.APPLICATION_PENDING.label,
        max_length=10,
        choices=LIVE_DELIVERY,
        default=Delivery.EMAIL,
    )
    digest_frequency = models.CharField(
        _("まとめメール"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    digest_hour = models.PositiveSmallIntegerField(_("まとめメールの時刻"), default=18)
    # The digest's content starts after the last one; its period (the JST date of the evening
    # it was for) makes sure no day, or week, gets two.
    last_digest_at = models.DateTimeField(null=True, blank=True)
    last_digest_period = models.DateField(null=True, blank=True)
    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("通知の設定")
        verbose_name_plural = _("通知の設定")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__gte=0, digest_hour__lte=23),
                name="notif_pref_digest_hour_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user_id)

    def delivery(self, kind: str) -> str:
        return str(getattr(self, kind))

    def kinds_by(self, delivery: str) -> list[str]:
        return [kind for kind in Kind.values if self.delivery(kind) == delivery]


class SectionMute(models.Model):
    """A section member who does not want to hear about its new posts. Every active
    membership follows its section unless a row here says otherwise."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("sections.Section", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("通知しない課")
        verbose_name_plural = _("通知しない課")
        constraints = [
            models.UniqueConstraint(fields=["user", "section"], name="notif_one_mute"),
        ]
        indexes = [models.Index(fields=["section", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.section_id}"
