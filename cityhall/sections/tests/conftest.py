import pytest

from cityhall.sections.models import Section, SectionMembership


def make_section(name: str = "防災課", slug: str = "bousai", **fields) -> Section:
    fields.setdefault("kind", Section.Kind.WORK)
    fields.setdefault("purpose", "災害に備える知恵を持ち寄ります。")
    return Section.objects.create(name=name, slug=slug, **fields)


def add(section: Section, user, role: str = "member", status: str = "active") -> SectionMembership:
    return SectionMembership.objects.create(section=section, user=user, role=role, status=status)


@pytest.fixture
def section(db, leader):
    """An open section led by the `leader` persona."""
    section = make_section()
    add(section, leader, role="leader")
    return section


@pytest.fixture
def approval_section(db, leader):
    section = make_section("キャリア相談室", "career", joining_rule="approval", is_closed=True)
    add(section, leader, role="leader")
    return section
