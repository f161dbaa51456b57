"""The public landing page: what the community is, live figures, and no one's name."""

import re

import pytest
from django.urls import reverse
from django.utils import formats

from cityhall.core import figures
from cityhall.events.briefing import next_briefing_time
from cityhall.insights.tests import community

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def figure_values(html: str) -> list[str]:
    return re.findall(r'<span class="figures__value">([^<]+)</span>', html)


def test_it_shows_the_live_figures(client):
    community.build()
    html = client.get(HOME).content.decode()
    assert "全国から仲間が参加しています" in html
    # members, organisations, local governments (of 1,788), prefectures (of 47)
    assert figure_values(html)[:4] == ["7", "6", "5", "2"]  # features registered follow
    assert "/ 1,788" in html
    assert "/ 47" in html
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 時点", html)


def test_it_names_no_member_and_no_organisation(client):
    known = community.build()
    html = client.get(HOME).content.decode()
    people = [*known.members.values(), known.applicant, known.rejected, known.suspended]
    for person in people:
        assert person.full_name not in html, person.full_name
        assert person.given_name not in html, person.given_name
        assert person.email not in html
    for organization in (
        "札幌市",
        "猿払村",
        "横浜市",
        "葉山町",
        "デジタル庁",
        "北海道",
        "神奈川県",
    ):
        assert organization not in html, organization
    assert reverse("insights:coverage") not in html


def test_it_keeps_search_engines_away(client):
    response = client.get(HOME)
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]


def test_it_promises_and_explains_how_to_join(client):
    html = client.get(HOME).content.decode()
    assert "あなたの経験が地域の力になる" in html
    assert "参加の3ステップ" in html
    assert html.count(f'href="{reverse("members:apply")}"') >= 2  # header, hero and the end


def test_it_shows_the_next_orientation(client):
    times = next_briefing_time()
    assert times is not None
    start, end = times
    html = client.get(HOME).content.decode()
    assert "次回の説明会" in html
    assert formats.date_format(start, "Y年n月j日") in html
    assert f"{start:%H:%M}〜{end:%H:%M}" in html


def test_it_hides_the_figures_until_someone_has_joined(client):
    html = client.get(HOME).content.decode()
    assert "全国から仲間が参加しています" not in html
    assert figure_values(html) == []


def test_it_shows_figures_that_later_features_register(client, monkeypatch):
    community.build()
    monkeypatch.setattr(figures, "_FEATURE_COUNTS", {})
    figures.register_count("sections", "活動中の課", lambda: 52)
    html = client.get(HOME).content.decode()
    assert "活動中の課" in html
    assert figure_values(html)[-1] == "52"


def test_it_reads_the_figures_from_the_cache(client, django_assert_num_queries):
    community.build()
    client.get(HOME)
    with django_assert_num_queries(0):
        assert client.get(HOME).status_code == 200


def test_it_shows_members_their_start_page_instead(as_user, member):
    html = as_user(member).get(HOME).content.decode()
    assert "全国から仲間が参加しています" not in html


def test_it_counts_the_study_sessions_held_and_shows_the_next_briefing(client):
    from datetime import timedelta

    from cityhall.events.models import Event
    from cityhall.events.tests.conftest import make_event

    community.build()
    make_event(starts_in=-timedelta(days=7))
    make_event(starts_in=-timedelta(days=14), status=Event.Status.CANCELLED)
    make_event(starts_in=timedelta(days=3))
    html = client.get(HOME).content.decode()
    shown = re.search(r"開催した勉強会</dt>\s*<dd><span class=\"figures__value\">([^<]+)<", html)
    assert shown is not None and shown.group(1) == "1"
    assert "次回の説明会" in html and "21:00〜22:00" in html
