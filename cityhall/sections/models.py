"""Sections (課): themed groups of members with leaders, deputies and a joining rule."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def cover_path(instance: "Section", filename: str) -> str:
    return f"sections/{instance.pk or 'new'}/{uuid.uuid4().hex}.jpg"


class SectionQuerySet(models.QuerySet["Section"]):
    def active(self) -> "SectionQuerySet":
        return self.filter(archived_at=None)


class Section(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", _("仕事")
        SKILLS = "skills", _("スキル")
        SOCIAL = "social", _("交流・趣味")

    class JoiningRule(models.TextChoices):
        OPEN = "open", _("だれでも参加できる")
        APPROVAL = "approval", _("課長の承認が必要")

    name = models.CharField(_("課の名前"), max_length=60, unique=True)
    slug = models.SlugField(_("URL用の名前"), max_length=60, unique=True, allow_unicode=False)
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    purpose = models.TextField(_("目的"), max_length=2000)
    cover = models.ImageField(_("カバー画像"), upload_to=cover_path, blank=True)
    joining_rule = models.CharField(
        _("参加方法"), max_length=16, choices=JoiningRule.choices, default=JoiningRule.OPEN
    )
    is_closed = models.BooleanField(
        _("非公開の課"),
        default=False,
        help_text=_(
            "非公開の課の投稿は、課のメンバーだけが読めます。課があること自体は全会員に見えます。"
        ),
    )
    archived_at = models.DateTimeField(_("アーカイブ日時"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("課")
        verbose_name_plural = _("課")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class SectionMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("メンバー")
        DEPUTY = "deputy", _("課長補佐")
        LEADER = "leader", _("課長")

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        ACTIVE = "active", _("参加中")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="section_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("課のメンバー")
        verbose_name_plural = _("課のメンバー")
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="sections_one_membership"),
        ]
        indexes = [
            models.Index(fields=["section", "status", "role"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.section} / {self.user}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def runs_section(self) -> bool:
        """Leaders and deputies decide join requests."""
        return self.is_active and self.role in {self.Role.LEADER, self.Role.DEPUTY}


def membership_of(user: Any, section: Section) -> SectionMembership | None:
    if not getattr(user, "pk", None):
        return None
    return SectionMembership.objects.filter(section=section, user=user).first()
