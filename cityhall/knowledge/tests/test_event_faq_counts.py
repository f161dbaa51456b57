"""The FAQ links on a study session's page and its series' page count published entries only."""

from datetime import time

import pytest
from django.urls import reverse

from cityhall.events import faq
from cityhall.events.models import EventSeries, Organizer
from cityhall.knowledge.tests.conftest import days_ago, make_entry
from cityhall.knowledge.tests.test_sources import make_session

pytestmark = pytest.mark.django_db


def test_it_counts_published_entries_of_the_session_and_of_its_series(as_user, member, staff):
    series = EventSeries.objects.create(
        slug="vaccine", title="ワクチン接種 情報交換会", organizer=Organizer.STAFF,
        frequency="weekly", weekday=6, start_time=time(21), starts_on=days_ago(100),
    )  # fmt: skip
    first, second = make_session(1, series), make_session(2, series)
    make_entry(staff, source_event=first)
    make_entry(staff, source_event=first, status="draft")
    make_entry(staff, source_event=second)
    make_entry(staff)  # from no session
    assert faq.count_for_event(first) == 1
    assert faq.count_for_series(series) == 2
    client = as_user(member)
    detail = client.get(reverse("events:detail", args=[first.pk])).content.decode()
    assert "FAQ 1 件を見る" in detail
    page = client.get(reverse("events:series", args=[series.slug])).content.decode()
    assert "このシリーズのFAQ（2 件）" in page
