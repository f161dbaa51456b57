from typing import Any

import pytest

from cityhall.posts.models import Comment, Post
from cityhall.sections.models import Section, SectionMembership


def make_section(name: str, slug: str, **fields: Any) -> Section:
    fields.setdefault("kind", Section.Kind.WORK)
    fields.setdefault("purpose", "知恵を持ち寄ります。")
    return Section.objects.create(name=name, slug=slug, **fields)


def join(section: Section, user: Any, role: str = "member", status: str = "active") -> None:
    SectionMembership.objects.create(section=section, user=user, role=role, status=status)


def make_post(author: Any, section: Section | None = None, **fields: Any) -> Post:
    fields.setdefault("kind", Post.Kind.DISCUSSION)
    fields.setdefault("title", "窓口のキャッシュレス化")
    fields.setdefault("body", "どのように進めましたか。")
    return Post.objects.create(author=author, section=section, **fields)


def make_comment(post: Post, author: Any, parent: Comment | None = None, **fields: Any) -> Comment:
    fields.setdefault("body", "うちではこうしました。")
    return Comment.objects.create(post=post, author=author, parent=parent, **fields)


@pytest.fixture
def section(db, leader):
    """An open section led by the `leader` persona."""
    section = make_section("防災課", "bousai")
    join(section, leader, role="leader")
    return section


@pytest.fixture
def closed_section(db, leader):
    """A closed section led by the `leader` persona."""
    section = make_section("人事の相談室", "jinji", is_closed=True, joining_rule="approval")
    join(section, leader, role="leader")
    return section
