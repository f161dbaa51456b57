import pytest
from django.core.management import call_command

from cityhall.core import figures
from cityhall.members.onboarding import checklist_for
from cityhall.sections.actions import do_archive_section
from cityhall.sections.models import Section, SectionMembership
from cityhall.sections.tests.conftest import add, make_section

pytestmark = pytest.mark.django_db


def _sections_row(user):
    return next(row for row in checklist_for(user) if row.key == "sections")


def test_it_marks_the_checklist_item_done_once_the_member_belongs_to_a_section(member, section):
    assert _sections_row(member).state == "todo"
    assert _sections_row(member).url == "/sections/"
    add(section, member, status="pending")
    assert _sections_row(member).state == "todo"
    SectionMembership.objects.filter(user=member).update(status="active")
    assert _sections_row(member).state == "done"


def test_it_counts_active_sections_in_the_insights(section, staff):
    make_section("写真部", "photo", kind="social")
    do_archive_section(section, actor=staff)
    counts = {c.key: c.value for c in figures.feature_counts(fresh=True)}
    assert counts["sections"] == 1


def test_it_loads_the_demo_sections_once(member, outsider, settings):
    settings.DEBUG = True
    call_command("load_demo_sections")
    total = Section.objects.count()
    memberships = SectionMembership.objects.count()
    assert total >= 50
    assert Section.objects.filter(kind="skills").exists()
    assert Section.objects.filter(memberships__role="leader").distinct().count() == total
    call_command("load_demo_sections")
    assert Section.objects.count() == total
    assert SectionMembership.objects.count() == memberships
