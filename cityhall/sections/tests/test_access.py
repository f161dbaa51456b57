import pytest
from django.http import Http404

from cityhall.sections.access import access_section, can_read_posts
from cityhall.sections.actions import do_archive_section
from cityhall.sections.tests.conftest import add

pytestmark = pytest.mark.django_db


def test_it_finds_sections_by_slug_or_id_for_members(section, member):
    assert access_section(member, "bousai") == section
    assert access_section(member, section.pk) == section


@pytest.mark.parametrize("persona", ["applicant", "rejected", "suspended"])
def test_it_hides_sections_from_people_who_are_not_members(section, persona, request):
    with pytest.raises(Http404):
        access_section(request.getfixturevalue(persona), "bousai")


def test_it_answers_404_for_unknown_sections(member):
    with pytest.raises(Http404):
        access_section(member, "no-such-section")


def test_it_keeps_archived_sections_readable(section, member, staff):
    do_archive_section(section, actor=staff)
    assert access_section(member, "bousai").is_archived


def test_it_shows_closed_sections_but_keeps_their_posts_for_members(
    approval_section, member, outsider, staff
):
    assert access_section(outsider, "career") == approval_section
    mine = add(approval_section, member)
    assert can_read_posts(member, approval_section, mine)
    assert not can_read_posts(outsider, approval_section, None)
    assert can_read_posts(staff, approval_section, None)
    pending = add(approval_section, outsider, status="pending")
    assert not can_read_posts(outsider, approval_section, pending)
