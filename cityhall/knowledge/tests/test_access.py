import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cityhall.knowledge.access import can_write_faq
from cityhall.knowledge.actions import do_create_faq
from cityhall.knowledge.tests.conftest import entry_data, make_entry
from cityhall.sections.models import Section, SectionMembership


def test_it_lets_staff_and_section_leaders_write(staff, writer, member):
    assert can_write_faq(staff)
    assert can_write_faq(writer)
    assert not can_write_faq(member)


def test_it_counts_deputies_but_not_plain_or_pending_section_members(member, outsider):
    section = Section.objects.create(name="防災課", slug="bousai", kind="work", purpose="防災")
    SectionMembership.objects.create(section=section, user=member, role="deputy")
    SectionMembership.objects.create(
        section=section, user=outsider, role="leader", status="pending"
    )
    assert can_write_faq(member)
    assert not can_write_faq(outsider)


def test_it_refuses_people_who_are_not_members(applicant, suspended, rejected):
    for person in (applicant, suspended, rejected):
        assert not can_write_faq(person)
        with pytest.raises(PermissionDenied):
            do_create_faq(data=entry_data(), actor=person)


def test_it_refuses_a_plain_member_writing(member):
    with pytest.raises(PermissionDenied):
        do_create_faq(data=entry_data(), actor=member)


def test_it_shows_published_entries_to_members_and_hides_drafts(as_user, staff, member, writer):
    published = make_entry(staff)
    draft = make_entry(staff, question="下書きの質問", status="draft")
    client = as_user(member)
    assert client.get(reverse("knowledge:detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("knowledge:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("knowledge:history", args=[draft.pk])).status_code == 404
    assert "下書きの質問" not in client.get(reverse("knowledge:list")).content.decode()
    assert as_user(writer).get(reverse("knowledge:detail", args=[draft.pk])).status_code == 200


def test_it_keeps_the_writing_pages_from_plain_members(as_user, staff, member):
    entry = make_entry(staff)
    client = as_user(member)
    assert client.get(reverse("knowledge:new")).status_code == 404
    assert client.get(reverse("knowledge:edit", args=[entry.pk])).status_code == 404
    response = client.post(reverse("knowledge:edit", args=[entry.pk]), {"question": "x"})
    assert response.status_code == 404


def test_it_sends_visitors_and_applicants_away(client, as_user, staff, applicant):
    entry = make_entry(staff)
    for name, args in [("list", []), ("detail", [entry.pk]), ("document_pdf", [])]:
        url = reverse(f"knowledge:{name}", args=args)
        assert client.get(url).status_code == 302  # to the login page
    client = as_user(applicant)
    assert client.get(reverse("knowledge:list")).url == reverse("members:status")


def test_it_answers_an_unknown_entry_with_404(as_user, member):
    assert as_user(member).get(reverse("knowledge:detail", args=[999999])).status_code == 404
