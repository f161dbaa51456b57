"""Fetching sections and deciding what a viewer may do in them.

Every member sees every section, including closed ones (their name and purpose, so people can
ask to join) and archived ones (read-only). What a closed section hides is its content: posts,
when they arrive, must be fetched through `can_read_posts()`.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cityhall.accounts.models import User
from cityhall.sections.models import Section, SectionMembership


def access_section(user: User, slug_or_id: str | int) -> Section:
    """The section for members and staff, or 404 (for applicants, rejected, suspended people)."""
    if not user.is_member:
        raise Http404
    sections = Section.objects.all()
    key = str(slug_or_id)
    section = (
        sections.filter(pk=int(key)).first() if key.isdigit() else sections.filter(slug=key).first()
    )
    if section is None:
        raise Http404
    return section


def active_membership(user: User, section: Section) -> SectionMembership | None:
    if not user.pk:
        return None
    return SectionMembership.objects.of(user).active().filter(section=section).first()


def can_read_posts(user: User, section: Section, membership: SectionMembership | None) -> bool:
    """Posts of a closed section are for its members (and staff, who moderate) only: the rule
    of `Section.objects.readable_by` for one section whose page the viewer already reached
    (access_section turned away non-members)."""
    if user.is_staff_member:
        return True
    return not section.is_closed or (membership is not None and membership.is_active)


def reads_section(user: User, section: Section) -> bool:
    """`can_read_posts`, fetching the membership only when it matters."""
    if user.is_staff_member or not section.is_closed:
        return can_read_posts(user, section, None)
    return can_read_posts(user, section, active_membership(user, section))


def can_run(user: User, membership: SectionMembership | None) -> bool:
    """Staff, or an active leader or deputy of the section: decides join requests. A suspended
    leader keeps the membership row but not the say."""
    if not user.is_member:
        return False
    return user.is_staff_member or (membership is not None and membership.runs_section)


def runs_section(user: User, section: Section | None) -> bool:
    """`can_run`, fetching the membership only when it matters; the lobby (None) is run by
    staff only."""
    if user.is_staff_member or section is None:
        return can_run(user, None)
    return can_run(user, active_membership(user, section))


def is_officer(user: User | AnonymousUser, section: Section | None) -> bool:
    """An active leader or deputy of the section who is still a member of the community (as
    for `can_run`). Staff are not officers: callers that let staff in too say so themselves
    (or use `runs_section`)."""
    if section is None or isinstance(user, AnonymousUser) or not user.is_member:
        return False
    return SectionMembership.objects.of(user).active().officers().filter(section=section).exists()


def can_set_roles(user: User, membership: SectionMembership | None) -> bool:
    """Staff, or an active leader of the section (who is still a member of the community)."""
    if not user.is_member:
        return False
    return user.is_staff_member or (
        membership is not None
        and membership.is_active
        and membership.role == SectionMembership.Role.LEADER
    )
