"""A section's page lists its regular meetings with the next session."""

from datetime import timedelta

import pytest

from cityhall.events.models import Organizer
from cityhall.events.tests.conftest import make_event, make_series

pytestmark = pytest.mark.django_db


def test_the_section_page_shows_its_regular_meetings_and_next_session(as_user, member, section):
    series = make_series(
        slug="bousai-zemi", title="防災ゼミ", organizer=Organizer.SECTION, section=section
    )
    next_one = make_event(
        starts_in=timedelta(days=2), series=series, section=section, organizer=Organizer.SECTION
    )
    make_event(
        starts_in=timedelta(days=5), title="避難所見学会", section=section,
        organizer=Organizer.SECTION,
    )  # fmt: skip
    html = as_user(member).get(f"/sections/{section.slug}/").content.decode()
    assert "定例の勉強会" in html and "防災ゼミ" in html and "避難所見学会" in html
    assert f"/events/{next_one.pk}/" in html


def test_a_closed_sections_meetings_stay_with_its_members(as_user, member, leader, closed_section):
    make_series(
        slug="jinji-soudan", title="人事の相談会", organizer=Organizer.SECTION,
        section=closed_section,
    )  # fmt: skip
    url = f"/sections/{closed_section.slug}/"
    assert "人事の相談会" not in as_user(member).get(url).content.decode()
    assert "人事の相談会" in as_user(leader).get(url).content.decode()
