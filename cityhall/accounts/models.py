from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(
            status=User.Status.MEMBER,
            role=User.Role.ADMIN,
            is_superuser=True,
            email_verified=True,
        )
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: an applicant until approved, then a member.

    `status` says where they stand in the community; `role` what they may do once a member.
    Names are stored family name first, with separate kana readings (katakana).
    """

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("申請中")
        MEMBER = "member", _("会員")
        REJECTED = "rejected", _("不承認")
        SUSPENDED = "suspended", _("利用停止")
        DELETED = "deleted", _("退会済み")

    class Role(models.TextChoices):
        MEMBER = "member", _("会員")
        STAFF = "staff", _("運営事務局")
        ADMIN = "admin", _("管理者")

    email = models.EmailField(_("メールアドレス"), max_length=254)
    email_verified = models.BooleanField(default=False)
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("姓（カナ）"), max_length=50)
    given_name_kana = models.CharField(_("名（カナ）"), max_length=50)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLICANT)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    # Mirrors "has a confirmed TOTP device", so the gate knows without a query per request.
    two_factor_enabled = models.BooleanField(default=False)
    # Changes with every email change request; a link carrying an older value is superseded.
    email_change_nonce = models.CharField(max_length=32, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["family_name", "given_name"]

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "family_name_kana", "given_name_kana"]),
            models.Index(fields=["family_name", "given_name"], name="accounts_user_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER

    @property
    def is_staff_member(self) -> bool:
        """Staff or admin in the community (not Django's is_staff flag)."""
        return self.is_member and self.role in {self.Role.STAFF, self.Role.ADMIN}

    @property
    def is_admin(self) -> bool:
        return self.is_member and self.role == self.Role.ADMIN

    @property
    def is_staff(self) -> bool:  # Django admin access
        return self.is_staff_member

    # Django admin permissions follow the community role: admins see everything; staff see the
    # raw data but not the audit log (admins read it).
    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        if self.is_admin:
            return True
        if self.is_staff_member:
            return not perm.startswith("audit.")
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_admin:
            return True
        if self.is_staff_member:
            return app_label != "audit"
        return super().has_module_perms(app_label)


class UserSession(AbstractBaseSession):
    """Django's session row, plus who owns it, so members can see and end their sessions."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        # The store imports this module for its model, so it is found when first asked for.
        from cityhall.accounts.session_store import SessionStore

        return SessionStore


class AccountDeletion(models.Model):
    """A request to delete an account: anonymised by the clock once `due_at` has passed,
    unless the person signs in before then (cityhall/accounts/deletion.py)."""

    class State(models.TextChoices):
        PENDING = "pending", _("退会手続き中")
        CANCELLED = "cancelled", _("取り消し")
        DONE = "done", _("削除済み")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="deletions")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # Also delete the member's posts and comments (otherwise they stay under 「退会した会員」).
    delete_content = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("退会の申し出")
        verbose_name_plural = _("退会の申し出")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="pending"),
                name="accounts_one_pending_deletion",
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="accounts_deletion_due_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.state} {self.due_at:%Y-%m-%d}"
