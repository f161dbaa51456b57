"""A small Japanese community to search: realistic posts, comments, sections and members.

Each test file states what it expects to find in it (`corpus.py` holds the data and the shared
expectations, run on SQLite and on PostgreSQL alike).
"""

from datetime import datetime
from typing import Any

import pytest

from cityhall.lib.jst import JST
from cityhall.posts.models import Comment, Post
from cityhall.search.tests.corpus import COMMENTS, POSTS
from cityhall.sections.models import Section, SectionMembership


def at(day: int) -> datetime:
    return datetime(2026, 10, day, 12, 0, tzinfo=JST)


@pytest.fixture
def corpus(db, member, leader, outsider, staff, suspended) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Posts keyed p1…, comments c1…, sections, and the people who wrote them."""
    bousai = Section.objects.create(
        name="防災課",
        slug="bousai",
        kind="work",
        purpose="災害対応や防災訓練の知恵を持ち寄ります。",
    )
    jinji = Section.objects.create(
        name="人事の相談室",
        slug="jinji",
        kind="work",
        purpose="人事評価や採用について相談します。",
        is_closed=True,
        joining_rule="approval",
    )
    for section in (bousai, jinji):
        SectionMembership.objects.create(section=section, user=leader, role="leader")
    authors = {"member": member, "leader": leader, "outsider": outsider, "staff": staff}
    sections = {"bousai": bousai, "jinji": jinji, None: None}
    objects: dict[str, Any] = {"bousai": bousai, "jinji": jinji}
    for key, spec in POSTS.items():
        objects[key] = Post.objects.create(
            author=authors[spec.get("author", "member")],
            section=sections[spec.get("section")],
            kind=spec.get("kind", Post.Kind.DISCUSSION),
            title=spec["title"],
            body=spec["body"],
            created_at=at(spec["day"]),
            last_activity_at=at(spec["day"]),
            deleted_at=at(spec["day"]) if spec.get("deleted") else None,
        )
    for key, spec in COMMENTS.items():
        objects[key] = Comment.objects.create(
            post=objects[spec["post"]],
            author=authors[spec.get("author", "leader")],
            body=spec["body"],
            created_at=at(spec["day"]),
        )
    return objects
