"""Sections (課): themed groups of members with leaders, deputies and a joining rule."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User


def cover_path(instance: "Section", filename: str) -> str:
    return f"sections/{instance.pk or 'new'}/{uuid.uuid4().hex}.jpg"


class SectionQuerySet(models.QuerySet["Section"]):
    def active(self) -> "SectionQuerySet":
        return self.filter(archived_at=None)

    def readable_by(self, user: User | AnonymousUser) -> "SectionQuerySet":
        """Sections whose content (posts, comments, events, member list) `user` may read: the
        one rule, stated in `readable_condition`."""
        condition = readable_condition(user)
        return self if condition is None else self.filter(condition)

    def run_by(self, user: User | AnonymousUser) -> "SectionQuerySet":
        """Sections `user` runs: all of them for staff, for another member those they are an
        active leader or deputy of (the rule of `sections.access.can_run`); none for someone
        who is not a member of the community (a suspended leader keeps the row, not the say)."""
        if isinstance(user, AnonymousUser) or not user.is_member:
            return self.none()
        if user.is_staff_member:
            return self
        officers = SectionMembership.objects.of(user).active().officers()
        return self.filter(pk__in=officers.values("section_id"))

    def joined_by(self, user: User | AnonymousUser) -> "SectionQuerySet":
        """Sections `user` actively belongs to (a pending join request is not joining), staff
        included: only their own."""
        mine = SectionMembership.objects.of(user).active().values("section_id")
        return self.filter(pk__in=mine)

    def with_member_counts(self, *, pending: bool = False) -> "SectionQuerySet":
        """Annotates `member_count` (active members, officers included) and, with `pending`,
        `pending_count` (join requests), in the same query."""
        status = SectionMembership.Status
        counts = {"member_count": Count("memberships", filter=Q(memberships__status=status.ACTIVE))}
        if pending:
            counts["pending_count"] = Count(
                "memberships", filter=Q(memberships__status=status.PENDING)
            )
        return self.annotate(**counts)


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


class SectionMembershipQuerySet(models.QuerySet["SectionMembership"]):
    def active(self) -> "SectionMembershipQuerySet":
        """Memberships in force: a pending join request is not one."""
        return self.filter(status=SectionMembership.Status.ACTIVE)

    def pending(self) -> "SectionMembershipQuerySet":
        """Join requests waiting for an officer's decision."""
        return self.filter(status=SectionMembership.Status.PENDING)

    def officers(self) -> "SectionMembershipQuerySet":
        """Leaders and deputies (課長・課長補佐), whatever the status: chain `active()` for
        those who run the section."""
        return self.filter(role__in=SectionMembership.OFFICER_ROLES)

    def leaders(self) -> "SectionMembershipQuerySet":
        """Leaders (課長) only, whatever the status: a section must keep an active one, and
        join requests are mailed to them."""
        return self.filter(role=SectionMembership.Role.LEADER)

    def of(self, user: User | AnonymousUser) -> "SectionMembershipQuerySet":
        """The user's memberships; none for someone without an account."""
        return self.filter(user_id=user.pk) if user.pk is not None else self.none()


class SectionMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("メンバー")
        DEPUTY = "deputy", _("課長補佐")
        LEADER = "leader", _("課長")

    class Status(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        ACTIVE = "active", _("参加中")

    OFFICER_ROLES = (Role.LEADER, Role.DEPUTY)

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

    objects = SectionMembershipQuerySet.as_manager()

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
        """Active leaders and deputies run the section (decide join requests, moderate)."""
        return self.is_active and self.role in self.OFFICER_ROLES


def membership_of(user: User | AnonymousUser, section: Section) -> SectionMembership | None:
    """The user's membership of the section, active or pending."""
    if not user.pk:
        return None
    return SectionMembership.objects.of(user).filter(section=section).first()


def readable_condition(user: User | AnonymousUser, *, via: str = "") -> Q | None:
    """Who reads a section's content, as a condition on rows that reach Section through `via`
    (e.g. "section__" from a post; rows without a section are the caller's to add): staff
    read every section (None: no condition at all); other members open sections and closed
    ones they are an active member of; anyone else none. The object-level twin is
    `sections.access.can_read_posts`; `readers_condition` is the same rule seen from the
    section."""
    if isinstance(user, AnonymousUser) or not user.is_member:
        return Q(**{f"{via}pk__in": []})
    if user.is_staff_member:
        return None
    mine = SectionMembership.objects.of(user).active().values("section_id")
    return Q(**{f"{via}is_closed": False}) | Q(**{f"{via}pk__in": mine})


def readers_condition(section: Section) -> Q:
    """The rule of `readable_condition` for one section, as a condition on users: members, and
    for a closed section only its active members and staff (in SQL, User.is_staff_member)."""
    readers = Q(status=User.Status.MEMBER)
    if section.is_closed:
        members = SectionMembership.objects.active().filter(section=section).values("user_id")
        readers &= Q(role__in=[User.Role.STAFF, User.Role.ADMIN]) | Q(pk__in=members)
    return readers
