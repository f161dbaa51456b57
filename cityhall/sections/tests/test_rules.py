"""The sections' rules, once per persona: who reads a closed section's content (queryset,
condition and single-object forms) and who runs a section (leaders and deputies, and staff)."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.sections.access import (
    active_membership,
    can_read_posts,
    can_run,
    can_set_roles,
    is_officer,
    reads_section,
    runs_section,
)
from cityhall.sections.models import (
    Section,
    SectionMembership,
    membership_of,
    readable_condition,
    readers_condition,
)
from cityhall.sections.tests.conftest import add, make_section

pytestmark = pytest.mark.django_db


@dataclass
class World:
    open: Section
    closed: Section
    people: dict[str, Any]


@pytest.fixture
def world(member, leader, outsider, staff, applicant) -> World:
    """A closed section with a leader, a deputy, an active and a pending member; an open
    section nobody here belongs to; an outsider and staff with no membership at all."""
    closed = make_section("キャリア相談室", "career", joining_rule="approval", is_closed=True)
    open_ = make_section()
    deputy = testing.make_user("deputy@city.example.lg.jp", family_name="補佐", given_name="七郎")
    pending = testing.make_user("pending@town.example.lg.jp", family_name="待機", given_name="八子")
    add(closed, leader, role="leader")
    add(closed, deputy, role="deputy")
    add(closed, member)
    add(closed, pending, status="pending")
    people = {
        "member": member,
        "pending": pending,
        "outsider": outsider,
        "staff": staff,
        "leader": leader,
        "deputy": deputy,
        "applicant": applicant,
    }
    return World(open=open_, closed=closed, people=people)


# persona: (reads the closed section, runs it, is one of its officers)
RULES = {
    "member": (True, False, False),
    "pending": (False, False, False),
    "outsider": (False, False, False),
    "staff": (True, True, False),
    "leader": (True, True, True),
    "deputy": (True, True, True),
}
PERSONAS = list(RULES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_readable_by_gives_open_sections_and_closed_ones_to_their_active_members_and_staff(
    world, persona
):
    reads, _runs, _officer = RULES[persona]
    user = world.people[persona]
    expected = {world.open, world.closed} if reads else {world.open}
    assert set(Section.objects.readable_by(user)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_readable_condition_reaches_sections_from_another_model(world, persona):
    reads, _runs, _officer = RULES[persona]
    user = world.people[persona]
    condition = readable_condition(user, via="section__")
    rows = SectionMembership.objects.all()
    if condition is not None:
        rows = rows.filter(condition)
    assert {m.section for m in rows} == ({world.closed} if reads else set())
    # Staff, and only staff, read every section with no condition at all.
    assert (condition is None) == (persona == "staff")


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_read_posts_says_the_same_for_one_section(world, persona):
    reads, _runs, _officer = RULES[persona]
    user = world.people[persona]
    assert can_read_posts(user, world.closed, membership_of(user, world.closed)) is reads
    assert can_read_posts(user, world.open, membership_of(user, world.open))
    assert reads_section(user, world.closed) is reads
    assert reads_section(user, world.open)


def test_readers_condition_says_the_same_from_the_section(world):
    readers = set(User.objects.filter(readers_condition(world.closed)))
    assert readers == {world.people[p] for p, (reads, _r, _o) in RULES.items() if reads}
    everyone = {world.people[p] for p in PERSONAS}
    assert set(User.objects.filter(readers_condition(world.open))) == everyone


def test_people_who_are_not_members_read_no_section(world):
    applicant = world.people["applicant"]
    assert not Section.objects.readable_by(applicant).exists()
    assert not Section.objects.readable_by(AnonymousUser()).exists()
    assert applicant not in set(User.objects.filter(readers_condition(world.open)))


@pytest.mark.parametrize("persona", PERSONAS)
def test_runs_section_and_can_run_give_officers_and_staff(world, persona):
    _reads, runs, _officer = RULES[persona]
    user = world.people[persona]
    assert runs_section(user, world.closed) is runs
    assert can_run(user, membership_of(user, world.closed)) is runs
    # The lobby has no officers: staff run it alone.
    assert runs_section(user, None) is (persona == "staff")


@pytest.mark.parametrize("persona", PERSONAS)
def test_run_by_lists_the_sections_a_person_runs(world, persona):
    _reads, runs, _officer = RULES[persona]
    user = world.people[persona]
    expected = {world.closed} if runs else set()
    if persona == "staff":
        expected = {world.open, world.closed}
    assert set(Section.objects.run_by(user)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_is_officer_gives_active_leaders_and_deputies_only(world, persona):
    _reads, _runs, officer = RULES[persona]
    user = world.people[persona]
    assert is_officer(user, world.closed) is officer
    assert not is_officer(user, world.open)
    assert not is_officer(user, None)


def test_membership_querysets_name_the_rules(world):
    people = world.people
    closed = SectionMembership.objects.filter(section=world.closed)
    assert {m.user for m in closed.active()} == {
        people["member"],
        people["leader"],
        people["deputy"],
    }
    assert {m.user for m in closed.active().officers()} == {people["leader"], people["deputy"]}
    assert [m.user for m in SectionMembership.objects.of(people["pending"])] == [people["pending"]]
    assert not SectionMembership.objects.of(people["outsider"]).exists()
    assert not SectionMembership.objects.of(AnonymousUser()).exists()
    assert active_membership(people["pending"], world.closed) is None
    assert membership_of(people["pending"], world.closed) is not None


def test_a_pending_officer_does_not_run_the_section(world):
    pending = world.people["pending"]
    SectionMembership.objects.filter(user=pending).update(role=SectionMembership.Role.DEPUTY)
    membership = membership_of(pending, world.closed)
    assert membership is not None and not membership.runs_section
    assert not runs_section(pending, world.closed)
    assert not is_officer(pending, world.closed)
    assert not Section.objects.run_by(pending).exists()
    assert not can_read_posts(pending, world.closed, membership)
    # Only `officers()` alone, which is about the role, still counts them.
    assert SectionMembership.objects.of(pending).officers().exists()


@pytest.mark.parametrize("officer", ["leader", "deputy"])
@pytest.mark.parametrize("status", [User.Status.SUSPENDED, User.Status.DELETED])
def test_an_officer_who_is_no_longer_a_member_runs_nothing_through_any_rule(world, officer, status):
    user = world.people[officer]
    user.status = status
    user.save(update_fields=["status"])
    membership = membership_of(user, world.closed)
    # The row stays (a suspension can be lifted); the say goes with the membership of the
    # community, whichever rule is asked.
    assert membership is not None and membership.runs_section
    assert not can_run(user, membership)
    assert not can_set_roles(user, membership)
    assert not runs_section(user, world.closed)
    assert not is_officer(user, world.closed)
    assert not Section.objects.run_by(user).exists()


def test_suspended_staff_run_nothing(world):
    staff = world.people["staff"]
    staff.status = User.Status.SUSPENDED
    staff.save(update_fields=["status"])
    assert not runs_section(staff, world.closed) and not runs_section(staff, None)
    assert not Section.objects.run_by(staff).exists()
    assert not Section.objects.run_by(AnonymousUser()).exists()
    assert not is_officer(AnonymousUser(), world.closed)


def test_joined_by_gives_the_sections_a_person_actively_belongs_to(world):
    people = world.people
    for persona in ("member", "leader", "deputy"):
        assert set(Section.objects.joined_by(people[persona])) == {world.closed}
    # A join request is not joining, and staff belong only where they joined.
    for persona in ("pending", "outsider", "staff"):
        assert not Section.objects.joined_by(people[persona]).exists()
    assert not Section.objects.joined_by(AnonymousUser()).exists()


def test_member_counts_count_active_members_and_join_requests(world):
    counts = {
        s.pk: (s.member_count, s.pending_count)  # type: ignore[attr-defined]
        for s in Section.objects.with_member_counts(pending=True)
    }
    # The leader, the deputy and the member; the pending request apart.
    assert counts == {world.closed.pk: (3, 1), world.open.pk: (0, 0)}
    leaders = SectionMembership.objects.filter(section=world.closed).active().leaders()
    assert [m.user for m in leaders] == [world.people["leader"]]
    pending = SectionMembership.objects.filter(section=world.closed).pending()
    assert [m.user for m in pending] == [world.people["pending"]]


def test_readable_by_is_one_query_and_nests_as_a_subquery(world, django_assert_num_queries):
    member = world.people["member"]
    expected = set(SectionMembership.objects.all())
    with django_assert_num_queries(1):
        rows = SectionMembership.objects.filter(section__in=Section.objects.readable_by(member))
        assert set(rows) == expected
