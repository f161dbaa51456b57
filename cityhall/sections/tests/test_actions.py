import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cityhall import testing
from cityhall.audit.models import AuditEntry
from cityhall.sections.actions import (
    do_archive_section,
    do_create_section,
    do_decide_membership,
    do_join_section,
    do_leave_section,
    do_set_section_role,
    do_update_section,
)
from cityhall.sections.models import Section, SectionMembership
from cityhall.sections.tests.conftest import add

pytestmark = pytest.mark.django_db

DATA = {
    "name": "写真部",
    "slug": "photo",
    "kind": "social",
    "purpose": "写真を見せ合います。",
    "joining_rule": "open",
    "is_closed": False,
}


def codes() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_it_lets_staff_create_update_and_archive_sections(staff):
    section = do_create_section(data=DATA, actor=staff)
    do_update_section(section, data={**DATA, "purpose": "撮影のコツも。"}, actor=staff)
    do_archive_section(section, actor=staff)
    section.refresh_from_db()
    assert section.purpose == "撮影のコツも。"
    assert section.is_archived
    assert codes() == [
        "sections.section.created",
        "sections.section.updated",
        "sections.section.archived",
    ]


def test_it_refuses_section_changes_by_members(member):
    with pytest.raises(PermissionDenied):
        do_create_section(data=DATA, actor=member)


def test_it_lets_a_member_join_an_open_section_at_once(section, member):
    membership = do_join_section(section, actor=member)
    assert membership.status == "active"
    assert codes() == ["sections.member.joined"]


def test_it_turns_joining_an_approval_section_into_a_request_mailed_to_leaders(
    approval_section, member, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = do_join_section(approval_section, actor=member)
    assert membership.status == "pending"
    assert codes() == ["sections.member.requested"]
    assert [m.to for m in mail.outbox] == [[leader.email]]
    assert "キャリア相談室" in mail.outbox[0].subject


def test_it_refuses_joining_an_archived_section(section, member, staff):
    do_archive_section(section, actor=staff)
    with pytest.raises(ValidationError):
        do_join_section(section, actor=member)


def test_it_lets_a_member_leave(section, member):
    do_join_section(section, actor=member)
    do_leave_section(section, actor=member)
    assert not SectionMembership.objects.filter(user=member).exists()
    assert codes()[-1] == "sections.member.left"


def test_it_keeps_the_sole_leader_until_they_hand_over(section, leader, member):
    with pytest.raises(ValidationError, match="課長はあなただけ"):
        do_leave_section(section, actor=leader)
    add(section, member)
    do_set_section_role(section, member, role="leader", actor=leader)
    do_leave_section(section, actor=leader)
    assert not section.memberships.filter(user=leader).exists()


@pytest.mark.parametrize("role", ["leader", "deputy"])
def test_it_lets_leaders_and_deputies_decide_requests(
    approval_section, member, outsider, role, django_capture_on_commit_callbacks
):
    decider = testing.make_user("deputy@example.lg.jp")
    if role == "deputy":
        add(approval_section, decider, role="deputy")
    else:
        add(approval_section, decider, role="leader")
    first = do_join_section(approval_section, actor=member)
    second = do_join_section(approval_section, actor=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        do_decide_membership(first, approve=True, actor=decider)
        do_decide_membership(second, approve=False, actor=decider)
    first.refresh_from_db()
    assert first.status == "active" and first.decided_by == decider
    assert not SectionMembership.objects.filter(pk=second.pk).exists()
    assert codes()[-2:] == ["sections.member.approved", "sections.member.declined"]
    assert {m.to[0] for m in mail.outbox} >= {member.email, outsider.email}


def test_it_lets_staff_decide_requests(approval_section, member, staff):
    request = do_join_section(approval_section, actor=member)
    do_decide_membership(request, approve=True, actor=staff)
    assert SectionMembership.objects.get(pk=request.pk).status == "active"


def test_it_refuses_decisions_by_plain_members(approval_section, member, outsider):
    request = do_join_section(approval_section, actor=member)
    add(approval_section, outsider)
    with pytest.raises(PermissionDenied):
        do_decide_membership(request, approve=True, actor=outsider)


def test_it_refuses_deciding_a_request_twice(approval_section, member, leader):
    request = do_join_section(approval_section, actor=member)
    do_decide_membership(request, approve=True, actor=leader)
    with pytest.raises(ValidationError):
        do_decide_membership(request, approve=True, actor=leader)


def test_it_lets_staff_appoint_any_member_as_leader(section, staff, member):
    membership = do_set_section_role(section, member, role="leader", actor=staff)
    assert membership.status == "active" and membership.role == "leader"
    entry = AuditEntry.objects.get(action="sections.member.role_changed")
    assert entry.data == {"old": "", "new": "leader"}


def test_it_lets_leaders_change_roles_of_their_members_only(section, leader, member, outsider):
    add(section, member)
    do_set_section_role(section, member, role="deputy", actor=leader)
    assert section.memberships.get(user=member).role == "deputy"
    with pytest.raises(ValidationError):
        do_set_section_role(section, outsider, role="deputy", actor=leader)


def test_it_refuses_role_changes_by_deputies_and_members(section, member, outsider):
    add(section, member, role="deputy")
    add(section, outsider)
    with pytest.raises(PermissionDenied):
        do_set_section_role(section, outsider, role="leader", actor=member)


def test_it_never_leaves_a_section_without_a_leader(section, leader, staff):
    with pytest.raises(ValidationError):
        do_set_section_role(section, leader, role="member", actor=staff)


def test_it_refuses_roles_for_people_who_are_not_members(section, staff, suspended):
    with pytest.raises(ValidationError):
        do_set_section_role(section, suspended, role="member", actor=staff)


def test_it_keeps_one_membership_per_person(section, member):
    do_join_section(section, actor=member)
    do_join_section(section, actor=member)
    assert Section.objects.get().memberships.filter(user=member).count() == 1
