from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cityhall.events.models import Event, EventSeries, Organizer
from cityhall.sections.models import Section, SectionMembership


def make_section(name: str = "防災課", slug: str = "bousai", **fields: Any) -> Section:
    fields.setdefault("kind", Section.Kind.WORK)
    fields.setdefault("purpose", "災害に備える知恵を持ち寄ります。")
    return Section.objects.create(name=name, slug=slug, **fields)


def join(section: Section, user: Any, role: str = "member") -> SectionMembership:
    return SectionMembership.objects.create(section=section, user=user, role=role)


def make_event(starts_in: timedelta = timedelta(days=3), **fields: Any) -> Event:
    starts = fields.pop("starts_at", None) or timezone.now() + starts_in
    fields.setdefault("title", "窓口DX勉強会")
    fields.setdefault("organizer", Organizer.STAFF)
    fields.setdefault("venue_url", "https://zoom.example.jp/j/123?pwd=secret")
    return Event.objects.create(starts_at=starts, ends_at=starts + timedelta(hours=1), **fields)


def make_series(**fields: Any) -> EventSeries:
    fields.setdefault("slug", "vaccine")
    fields.setdefault("title", "ワクチン接種 情報交換会")
    fields.setdefault("organizer", Organizer.STAFF)
    fields.setdefault("frequency", "weekly")
    fields.setdefault("weekday", 6)
    fields.setdefault("start_time", time(21, 0))
    fields.setdefault("starts_on", datetime(2026, 11, 1).date())
    return EventSeries.objects.create(**fields)


@pytest.fixture
def section(db, leader):
    """An open section led by the `leader` persona."""
    section = make_section()
    join(section, leader, role="leader")
    return section


@pytest.fixture
def closed_section(db, leader):
    section = make_section("人事の相談室", "jinji", is_closed=True, joining_rule="approval")
    join(section, leader, role="leader")
    return section


@pytest.fixture
def event(db):
    return make_event(capacity=3)
