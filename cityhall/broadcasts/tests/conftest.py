from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cityhall.broadcasts.models import Episode, Programme


def make_programme(title: str = "日曜写真部ラジオ", slug: str = "photo", **fields) -> Programme:
    fields.setdefault("description", "会員が撮った写真を紹介します。")
    fields.setdefault("slot_weekdays", "6")
    fields.setdefault("slot_start", time(10, 0))
    return Programme.objects.create(title=title, slug=slug, **fields)


def make_episode(
    programme: Programme, starts: datetime | None = None, minutes: int = 30, **fields
) -> Episode:
    starts = starts or timezone.now() - timedelta(minutes=5)
    fields.setdefault("title", "秋の紅葉特集")
    fields.setdefault("stream_url", "https://www.youtube.com/watch?v=abc123")
    return Episode.objects.create(
        programme=programme, starts_at=starts, ends_at=starts + timedelta(minutes=minutes), **fields
    )


@pytest.fixture
def programme(db, leader):
    """A programme whose personality is the `leader` persona."""
    programme = make_programme()
    programme.personalities.add(leader)
    return programme
