from typing import Any

import pytest

from cityhall import testing
from cityhall.posts.models import Post
from cityhall.sections.models import Section, SectionMembership


def make_section(name: str, slug: str, **fields: Any) -> Section:
    fields.setdefault("kind", Section.Kind.WORK)
    fields.setdefault("purpose", "知恵を持ち寄ります。")
    return Section.objects.create(name=name, slug=slug, **fields)


def join(section: Section, user: Any, role: str = "member", status: str = "active") -> None:
    SectionMembership.objects.create(section=section, user=user, role=role, status=status)


def mention(user: Any) -> str:
    return f"@{user.family_name}{user.given_name}#{user.pk}"


@pytest.fixture
def section(db, leader, member):
    """An open section led by `leader`, with `member` in it."""
    section = make_section("防災課", "bousai")
    join(section, leader, role="leader")
    join(section, member)
    return section


@pytest.fixture
def closed_section(db, leader):
    """A closed section led by `leader`."""
    section = make_section("人事の相談室", "jinji", is_closed=True, joining_rule="approval")
    join(section, leader, role="leader")
    return section


@pytest.fixture
def colleague(db):
    return testing.make_user("colleague@city.example.lg.jp", family_name="同僚", given_name="七海")


@pytest.fixture
def question(db, member):
    """A lobby question by `member`."""
    return Post.objects.create(
        author=member,
        kind=Post.Kind.QUESTION,
        title="窓口のキャッシュレス化",
        body="どうしましたか。",
    )
