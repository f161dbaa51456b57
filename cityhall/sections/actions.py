"""Every write to sections and their memberships."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.mail import queue_email
from cityhall.sections.access import can_run, can_set_roles
from cityhall.sections.models import Section, SectionMembership, membership_of

Role = SectionMembership.Role
Status = SectionMembership.Status
SECTION_FIELDS = ("name", "slug", "kind", "purpose", "joining_rule", "is_closed")


def _require_staff(actor: User) -> None:
    if not actor.is_staff_member:
        raise PermissionDenied(_("課の作成や変更は運営事務局だけが行えます。"))


def _require_member(actor: User) -> None:
    # Suspended people keep their membership rows, but act in no section.
    if not actor.is_member:
        raise PermissionDenied(_("課への参加や退出は会員だけが行えます。"))


def _save_cover(section: Section, cover: ContentFile | bool | None) -> list[str]:
    """A clean JPEG replaces the cover, False removes it, None keeps it."""
    if cover is None:
        return []
    if section.cover:
        section.cover.delete(save=False)
    if cover is not False:
        section.cover.save("cover.jpg", cover, save=False)
    else:
        section.cover = ""
    return ["cover"]


@transaction.atomic
def do_create_section(
    *, data: dict[str, Any], cover: ContentFile | None = None, actor: User
) -> Section:
    """Staff only. Emits sections.section.created."""
    _require_staff(actor)
    section = Section.objects.create(**{f: data[f] for f in SECTION_FIELDS})
    if _save_cover(section, cover):
        section.save(update_fields=["cover"])
    record("sections.section.created", actor=actor, target=section, name=section.name)
    return section


@transaction.atomic
def do_update_section(
    section: Section,
    *,
    data: dict[str, Any],
    cover: ContentFile | bool | None = None,
    actor: User,
) -> Section:
    """Staff only. Emits sections.section.updated with the names of the changed fields."""
    _require_staff(actor)
    changed = [f for f in SECTION_FIELDS if f in data and getattr(section, f) != data[f]]
    for f in changed:
        setattr(section, f, data[f])
    changed += _save_cover(section, cover)
    if changed:
        section.save(update_fields=[*changed, "updated_at"])
        record("sections.section.updated", actor=actor, target=section, fields=changed)
    return section


@transaction.atomic
def do_archive_section(section: Section, *, actor: User) -> Section:
    """Staff only. Archived sections stay readable; nobody joins or leaves them any more."""
    _require_staff(actor)
    if section.archived_at is None:
        section.archived_at = timezone.now()
        section.save(update_fields=["archived_at", "updated_at"])
        record("sections.section.archived", actor=actor, target=section, name=section.name)
    return section


def _refuse_if_archived(section: Section) -> None:
    if section.is_archived:
        raise ValidationError(_("この課はアーカイブされているため、変更できません。"))


@transaction.atomic
def do_join_section(section: Section, *, actor: User) -> SectionMembership:
    """Any member, for themself. An open section lets them in (sections.member.joined); one
    that needs approval records a request (sections.member.requested) and mails its leaders."""
    _require_member(actor)
    _refuse_if_archived(section)
    existing = membership_of(actor, section)
    if existing is not None:
        return existing
    if section.joining_rule == Section.JoiningRule.OPEN:
        membership = SectionMembership.objects.create(section=section, user=actor)
        record("sections.member.joined", actor=actor, target=section, subject_user=actor)
        return membership
    membership = SectionMembership.objects.create(
        section=section, user=actor, status=Status.PENDING
    )
    record("sections.member.requested", actor=actor, target=section, subject_user=actor)
    leaders = section.memberships.active().leaders().select_related("user")
    for leader in leaders:
        queue_email(
            leader.user.email,
            "sections/email/join_requested",
            {
                "leader": leader.user,
                "applicant": actor,
                "section": section,
                "url": reverse("sections:detail", args=[section.slug]),
            },
        )
    return membership


@transaction.atomic
def do_leave_section(section: Section, *, actor: User) -> None:
    """A member leaves (or withdraws a pending request). The only leader must hand over first.
    Emits sections.member.left."""
    _require_member(actor)
    _refuse_if_archived(section)
    membership = (
        SectionMembership.objects.of(actor).select_for_update().filter(section=section).first()
    )
    if membership is None:
        return
    if membership.is_active and membership.role == Role.LEADER:
        leaders = section.memberships.active().leaders().count()
        if leaders <= 1:
            raise ValidationError(
                _("この課の課長はあなただけです。ほかのメンバーを課長にしてから退出してください。")
            )
    membership.delete()
    record("sections.member.left", actor=actor, target=section, subject_user=actor)


@transaction.atomic
def do_decide_membership(
    membership: SectionMembership, *, approve: bool, actor: User
) -> SectionMembership | None:
    """Leaders and deputies of the section, or staff. Approving activates the membership
    (sections.member.approved); declining deletes the request (sections.member.declined).
    The applicant is told by mail either way."""
    section = membership.section
    if not can_run(actor, membership_of(actor, section)):
        raise PermissionDenied(
            _("参加申請を判断できるのは、この課の課長・副課長と運営事務局だけです。")
        )
    _refuse_if_archived(section)
    if membership.status != Status.PENDING:
        raise ValidationError(_("この参加申請はすでに処理されています。"))
    context = {"person": membership.user, "section": section, "approved": approve}
    context["url"] = reverse("sections:detail", args=[section.slug])
    queue_email(membership.user.email, "sections/email/join_decided", context)
    if approve:
        membership.status = Status.ACTIVE
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            "sections.member.approved", actor=actor, target=section, subject_user=membership.user
        )
        return membership
    record("sections.member.declined", actor=actor, target=section, subject_user=membership.user)
    membership.delete()
    return None


@transaction.atomic
def do_set_section_role(
    section: Section, user: User, *, role: str, actor: User
) -> SectionMembership:
    """Staff, or a leader of the section. Staff may appoint anyone who is a member of the
    community (making them a section member if needed); leaders only people already in the
    section. Refuses to leave the section without a leader. Emits sections.member.role_changed."""
    if not can_set_roles(actor, membership_of(actor, section)):
        raise PermissionDenied(_("役割を設定できるのは、この課の課長と運営事務局だけです。"))
    if role not in Role.values:
        raise ValidationError(_("役割を選んでください。"))
    _refuse_if_archived(section)
    if not user.is_member:
        raise ValidationError(_("会員ではない人に役割は設定できません。"))
    membership = membership_of(user, section)
    if membership is None or not membership.is_active:
        if not actor.is_staff_member:
            raise ValidationError(_("この課のメンバーにだけ役割を設定できます。"))
        membership = membership or SectionMembership(section=section, user=user)
        membership.status = Status.ACTIVE
    old = membership.role if membership.pk else ""
    if old == Role.LEADER and role != Role.LEADER:
        leaders = section.memberships.active().leaders().count()
        if leaders <= 1:
            raise ValidationError(
                _("課長がいなくなってしまいます。先にほかの人を課長にしてください。")
            )
    membership.role = role
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save()
    record(
        "sections.member.role_changed",
        actor=actor,
        target=section,
        subject_user=user,
        old=old,
        new=role,
    )
    return membership
