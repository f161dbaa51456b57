"""Finding the members of a section; a closed section's members are seen by its members only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.directory.queries import Filters, search
from cityhall.directory.tests.helpers import names, person
from cityhall.sections.models import Section, SectionMembership

URL = reverse("directory:search")


def _section(name: str, slug: str, **fields) -> Section:
    return Section.objects.create(name=name, slug=slug, kind="work", purpose="目的", **fields)


def _join(section: Section, user, status: str = "active") -> None:
    SectionMembership.objects.create(section=section, user=user, status=status)


@pytest.fixture
def bousai(db):
    section = _section("防災課", "bousai")
    _join(section, person("sato@a.lg.jp", "佐藤", "花子", "サトウ", "ハナコ"))
    _join(section, person("ito@a.lg.jp", "伊藤", "佐和", "イトウ", "サワ", code="141003"))
    _join(section, person("abe@a.lg.jp", "阿部", "待子", "アベ", "マチコ"), status="pending")
    person("suzuki@a.lg.jp", "鈴木", "一郎", "スズキ", "イチロウ")
    return section


@pytest.fixture
def jinji(db):
    section = _section("人事の相談室", "jinji", is_closed=True, joining_rule="approval")
    _join(section, person("secret@a.lg.jp", "秘密", "次郎", "ヒミツ", "ジロウ"))
    return section


def test_it_lists_the_active_members_of_a_section_by_kana(as_user, member, bousai):
    response = as_user(member).get(URL, {"section": bousai.pk})
    assert names(response) == ["伊藤 佐和", "佐藤 花子"]


def test_it_combines_the_section_with_other_filters(as_user, member, bousai):
    org = testing.organization("141003")
    response = as_user(member).get(
        URL, {"section": bousai.pk, "organization": org.pk, "organization_text": org.display_name}
    )
    assert names(response) == ["伊藤 佐和"]
    assert names(as_user(member).get(URL, {"section": bousai.pk, "q": "さとう"})) == ["佐藤 花子"]


def test_it_keeps_the_section_in_the_page_links(as_user, member, bousai):
    for i in range(31):
        _join(bousai, person(f"p{i}@a.lg.jp", "相田", f"{i:02d}", "アイダ", f"ア{i:02d}"))
    response = as_user(member).get(URL, {"section": bousai.pk})
    assert len(response.context["page_obj"].object_list) == 30
    assert f"section={bousai.pk}&amp;page=2" in response.content.decode()
    second = as_user(member).get(URL, {"section": bousai.pk, "page": 2})
    assert names(second) == ["相田 30", "伊藤 佐和", "佐藤 花子"]


def test_a_closed_section_is_not_offered_to_outsiders(as_user, member, bousai, jinji):
    response = as_user(member).get(URL, {"section": jinji.pk})
    assert response.context["page_obj"] is None  # refused like an unknown choice
    assert "秘密 次郎" not in response.content.decode()
    options = response.context["form"].fields["section"].queryset
    assert list(options) == [bousai]


def test_its_members_find_each_other(as_user, member, jinji):
    _join(jinji, member)
    response = as_user(member).get(URL, {"section": jinji.pk})
    assert names(response) == ["秘密 次郎", "新家 一郎"]


def test_a_pending_member_of_a_closed_section_does_not(as_user, member, jinji):
    _join(jinji, member, status="pending")
    assert as_user(member).get(URL, {"section": jinji.pk}).context["page_obj"] is None


def test_staff_find_the_members_of_any_section(as_user, staff, jinji):
    assert names(as_user(staff).get(URL, {"section": jinji.pk})) == ["秘密 次郎"]


def test_the_query_itself_hides_a_closed_section_from_outsiders(member, jinji):
    assert list(search(member, Filters(section=jinji))) == []


def test_archived_sections_are_not_offered(as_user, member, bousai):
    Section.objects.filter(pk=bousai.pk).update(archived_at=timezone.now())
    assert as_user(member).get(URL, {"section": bousai.pk}).context["page_obj"] is None
