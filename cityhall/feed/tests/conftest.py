from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cityhall.posts.models import Comment, Post
from cityhall.sections.models import Section, SectionMembership


def make_section(name: str, slug: str, **fields: Any) -> Section:
    fields.setdefault("kind", Section.Kind.WORK)
    fields.setdefault("purpose", "知恵を持ち寄ります。")
    return Section.objects.create(name=name, slug=slug, **fields)


def join(section: Section, user: Any, role: str = "member", status: str = "active") -> None:
    SectionMembership.objects.create(section=section, user=user, role=role, status=status)


def make_post(author: Any, section: Section | None = None, **fields: Any) -> Post:
    """A post written `ago` (default: a minute ago), its last activity then too."""
    when = timezone.now() - fields.pop("ago", timedelta(minutes=1))
    fields.setdefault("kind", Post.Kind.DISCUSSION)
    fields.setdefault("title", "窓口のキャッシュレス化")
    fields.setdefault("body", "どのように進めましたか。")
    fields.setdefault("created_at", when)
    fields.setdefault("last_activity_at", when)
    return Post.objects.create(author=author, section=section, **fields)


def comment_on(post: Post, author: Any, when: datetime | None = None) -> Comment:
    """A comment, as the posts app records one: it bumps the count and the activity."""
    when = when or timezone.now()
    comment = Comment.objects.create(post=post, author=author, body="うちでは。", created_at=when)
    post.comment_count += 1
    post.last_activity_at = when
    post.save(update_fields=["comment_count", "last_activity_at"])
    return comment


@pytest.fixture
def long_ago(db, member, leader, outsider, staff):
    """The personas became members a year ago: nothing recent is older than their joining."""
    from cityhall.accounts.models import User

    User.objects.filter(pk__in=[member.pk, leader.pk, outsider.pk, staff.pk]).update(
        approved_at=timezone.now() - timedelta(days=365)
    )
    for user in (member, leader, outsider, staff):
        user.refresh_from_db()


@pytest.fixture
def section(db, leader):
    section = make_section("防災課", "bousai")
    join(section, leader, role="leader")
    return section


@pytest.fixture
def closed_section(db, leader):
    section = make_section("人事の相談室", "jinji", is_closed=True, joining_rule="approval")
    join(section, leader, role="leader")
    return section
