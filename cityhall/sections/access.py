"""Fetching sections and deciding what a viewer may do in them.

Every member sees every section, including closed ones (their name and purpose, so people can
ask to join) and archived ones (read-only). What a closed section hides is its content: posts,
when they arrive, must be fetched through `can_read_posts()`.
"""

from typing import Any

from django.http import Http404

from cityhall.sections.models import Section, SectionMembership


def access_section(user: Any, slug_or_id: str | int) -> Section:
    """The section for members and staff, or 404 (for applicants, rejected, suspended people)."""
    if not getattr(user, "is_member", False):
        raise Http404
    sections = Section.objects.all()
    key = str(slug_or_id)
    section = (
        sections.filter(pk=int(key)).first() if key.isdigit() else sections.filter(slug=key).first()
    )
    if section is None:
        raise Http404
    return section


def active_membership(user: Any, section: Section) -> SectionMembership | None:
    if not getattr(user, "pk", None):
        return None
    return SectionMembership.objects.filter(
        section=section, user=user, status=SectionMembership.Status.ACTIVE
    ).first()


def can_read_posts(user: Any, section: Section, membership: SectionMembership | None) -> bool:
    """Posts of a closed section are for its members (and staff, who moderate) only."""
    if user.is_staff_member:
        return True
    return not section.is_closed or (membership is not None and membership.is_active)


def can_run(user: Any, membership: SectionMembership | None) -> bool:
    """Staff, or an active leader or deputy of the section: decides join requests."""
    return bool(user.is_staff_member) or (membership is not None and membership.runs_section)


def can_set_roles(user: Any, membership: SectionMembership | None) -> bool:
    """Staff, or an active leader of the section."""
    return bool(user.is_staff_member) or (
        membership is not None
        and membership.is_active
        and membership.role == SectionMembership.Role.LEADER
    )
