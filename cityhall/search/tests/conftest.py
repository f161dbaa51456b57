"""A small Japanese community to search: realistic posts, comments, sections and members.

Each test file states what it expects to find in it (`corpus.py` holds the data and the shared
expectations, run on SQLite and on PostgreSQL alike).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from cityhall.broadcasts.models import Episode, Programme
from cityhall.core.jst import JST
from cityhall.events.models import Event, EventSeries
from cityhall.knowledge.models import FaqEntry, Tag
from cityhall.posts.models import Comment, Post
from cityhall.search.tests.corpus import (
    COMMENTS,
    EPISODES,
    EVENTS,
    FAQS,
    POSTS,
    PROGRAMMES,
    SERIES,
)
from cityhall.sections.models import Section, SectionMembership


def at(day: int) -> datetime:
    return datetime(2026, 10, day, 12, 0, tzinfo=JST)


@pytest.fixture
def corpus(db, member, leader, outsider, staff, suspended) -> dict[str, Any]:
    """Posts keyed p1…, comments c1…, sections, series s1…, sessions e1…, FAQ entries f1…,
    programmes g1… and episodes ep1…, as corpus.py describes them."""
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
    add_activities(objects, staff)
    return objects


def add_activities(objects: dict[str, Any], staff: Any) -> None:
    """Series, sessions, FAQ entries, programmes and episodes (saved one by one, so the
    signals index them as the apps' own writes do)."""
    for key, spec in SERIES.items():
        section = objects[spec["section"]] if spec.get("section") else None
        objects[key] = EventSeries.objects.create(
            slug=key,
            title=spec["title"],
            description=spec["description"],
            organizer="section" if section else "staff",
            section=section,
            frequency="monthly",
            weekday=2,
            week_of_month=2,
            start_time=time(19, 0),
            starts_on=date(2026, 10, spec["day"]),
            venue_url=f"https://zoom.example/j/secret-{key}",
        )
    for key, spec in EVENTS.items():
        section = objects[spec["section"]] if spec.get("section") else None
        starts = datetime(2026, 10, spec["day"], 19, 0, tzinfo=JST)
        objects[key] = Event.objects.create(
            series=objects[spec["series"]] if spec.get("series") else None,
            title=spec["title"],
            description=spec["description"],
            organizer="section" if section else "staff",
            section=section,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            venue_url=f"https://zoom.example/j/secret-{key}",
            status="cancelled" if spec.get("cancelled") else "scheduled",
            cancel_reason=spec.get("cancelled", ""),
        )
    for key, spec in FAQS.items():
        entry = FaqEntry.objects.create(
            question=spec["question"],
            answer=spec["answer"],
            as_of=date(2026, 10, spec["day"]),
            notice_title=spec.get("notice_title", ""),
            notice_issuer=spec.get("notice_issuer", ""),
            notice_url="https://www.soumu.example.jp/secret" if "notice_title" in spec else "",
            source_event=objects[spec["source"]] if spec.get("source") else None,
            status=spec.get("status", "published"),
            author=staff,
        )
        entry.tags.set([Tag.objects.get_or_create(name=n)[0] for n in spec.get("tags", [])])
        objects[key] = entry
    for key, spec in PROGRAMMES.items():
        objects[key] = Programme.objects.create(
            title=spec["title"],
            slug=spec["slug"],
            description=spec["description"],
            stream_key=f"secret{key}",
            archived_at=at(1) if spec.get("archived") else None,
        )
    for key, spec in EPISODES.items():
        starts = datetime(2026, 10, spec["day"], 7, 30, tzinfo=JST)
        objects[key] = Episode.objects.create(
            programme=objects[spec["programme"]],
            title=spec["title"],
            description=spec["description"],
            guests=spec.get("guests", ""),
            chapters=spec.get("chapters", ""),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            stream_url=f"https://stream.example.jp/secret-{key}",
            archive_url=f"https://stream.example.jp/secret-archive-{key}",
            cancelled_at=at(1) if spec.get("cancelled") else None,
        )
