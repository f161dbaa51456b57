import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyQuerySet(models.QuerySet["Duty"]):
    def active(self) -> "DutyQuerySet":
        return self.filter(is_active=True)


class Duty(models.Model):
    """A municipal duty members handle (児童手当, 防災, 住民記録 …), curated by staff."""

    name = models.CharField(_("担当業務"), max_length=60, unique=True)
    kana = models.CharField(_("よみ"), max_length=120, blank=True)
    category = models.CharField(_("分野"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("選択肢に表示"), default=True)

    objects = DutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("担当業務")
        verbose_name_plural = _("担当業務")
        ordering = ["sort_order", "kana", "name"]

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    MEMBERS = "members", _("会員に公開")
    STAFF = "staff", _("運営事務局のみ")


# Optional profile fields a member may hide from other members (staff always see them).
OPTIONAL_PROFILE_FIELDS = ("department", "title", "duties", "interests", "bio", "photo")


def photo_path(instance: "Profile", filename: str) -> str:
    return f"photos/{instance.user_id}/{uuid.uuid4().hex}.jpg"


class Profile(models.Model):
    """What a member shows the community; one per user, created with the application."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="profiles",
        verbose_name=_("所属団体"),
    )
    department = models.CharField(_("所属部署"), max_length=100, blank=True)
    title = models.CharField(_("役職"), max_length=60, blank=True)
    duties = models.ManyToManyField(
        Duty, blank=True, related_name="profiles", verbose_name=_("担当業務")
    )
    interests = models.TextField(_("関心のあること"), max_length=1000, blank=True)
    bio = models.TextField(_("自己紹介"), max_length=2000, blank=True)
    photo = models.ImageField(_("写真"), upload_to=photo_path, blank=True)
    visibility = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("プロフィール")
        verbose_name_plural = _("プロフィール")

    def __str__(self) -> str:
        return str(self.user)

    def visibility_of(self, field: str) -> str:
        return self.visibility.get(field, Visibility.MEMBERS)


class ApplicationQuerySet(models.QuerySet["MembershipApplication"]):
    def awaiting_review(self) -> "ApplicationQuerySet":
        return self.filter(status=MembershipApplication.Status.PENDING)


class MembershipApplication(models.Model):
    """The joining survey and its review. The answers are kept as submitted and re-readable."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("メール確認待ち")
        PENDING = "pending", _("審査待ち")
        NEEDS_INFO = "needs_info", _("追加情報の依頼中")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("不承認")
        WITHDRAWN = "withdrawn", _("取り下げ")

    class Referral(models.TextChoices):
        COLLEAGUE = "colleague", _("職場の同僚・知人から")
        MEMBER = "member", _("会員からの紹介")
        SOCIAL = "social", _("SNS（Facebook・X など）")
        ARTICLE = "article", _("記事・ブログ（note など）")
        EVENT = "event", _("イベント・勉強会・説明会")
        MEDIA = "media", _("報道")
        SEARCH = "search", _("ウェブ検索")
        OTHER = "other", _("その他")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNVERIFIED)
    submission_key = models.UUIDField(
        unique=True, default=uuid.uuid4, help_text=_("二重送信を見分けるための値")
    )
    # The survey answers, as the applicant gave them.
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("姓（カナ）"), max_length=50)
    given_name_kana = models.CharField(_("名（カナ）"), max_length=50)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("所属団体"),
    )
    department = models.CharField(_("所属部署"), max_length=100)
    title = models.CharField(_("役職"), max_length=60, blank=True)
    duties = models.ManyToManyField(
        Duty, blank=True, related_name="applications", verbose_name=_("担当業務")
    )
    email = models.EmailField(_("職場のメールアドレス"))
    referral = models.CharField(
        _("オンライン市役所を知ったきっかけ"), max_length=16, choices=Referral.choices
    )
    referral_detail = models.CharField(_("きっかけの詳細"), max_length=200, blank=True)
    interests = models.TextField(_("興味のある課・活動"), max_length=1000, blank=True)
    introduction = models.TextField(_("自己紹介"), max_length=2000)
    policy_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    # Review.
    submitted_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_message = models.TextField(
        _("申請者へのメッセージ"), blank=True, help_text=_("不承認の理由、または追加で伺いたいこと")
    )
    applicant_reply = models.TextField(_("申請者からの回答"), blank=True)
    # Normalised forms of the email and the name, set by the actions, for finding duplicates.
    email_key = models.CharField(max_length=254, blank=True, editable=False)
    name_key = models.CharField(max_length=100, blank=True, editable=False)
    government_domain = models.BooleanField(default=False, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("参加申請")
        verbose_name_plural = _("参加申請")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["status", "decided_at"], name="members_app_decided_idx"),
            models.Index(fields=["email_key"], name="members_app_email_key_idx"),
            models.Index(fields=["organization", "name_key"], name="members_app_name_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"
