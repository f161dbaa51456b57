from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cityhall.events.tests.conftest import make_event, make_series
from cityhall.knowledge.models import FaqEntry

LIST = reverse("events:list")


def test_it_offers_the_create_buttons_only_to_those_who_can_create(
    as_user, member, leader, staff, section
):
    html = as_user(member).get(LIST).content.decode()
    assert "勉強会を作成" not in html and "シリーズを作成" not in html
    for user in (leader, staff):
        html = as_user(user).get(LIST).content.decode()
        assert reverse("events:new") in html and reverse("events:series_new") in html


def faq(event, author, status="published"):
    return FaqEntry.objects.create(
        question="接種券を再発行するには", answer="住所地で再発行します。",
        as_of=timezone.now().date(), source_event=event, status=status, author=author,
    )  # fmt: skip


def test_it_links_a_session_and_its_series_to_their_faq(as_user, member):
    series = make_series()
    event = make_event(series=series, starts_in=-timedelta(days=7))
    detail = reverse("events:detail", args=[event.pk])
    series_url = reverse("events:series", args=["vaccine"])
    assert "この回のFAQ" not in as_user(member).get(detail).content.decode()
    faq(event, member, status="draft")
    assert "この回のFAQ" not in as_user(member).get(detail).content.decode()
    faq(event, member)
    html = as_user(member).get(detail).content.decode()
    assert f"{reverse('knowledge:list')}?event={event.pk}" in html
    assert f"{reverse('knowledge:document')}?event={event.pk}" in html
    html = as_user(member).get(series_url).content.decode()
    assert f"{reverse('knowledge:list')}?series=vaccine" in html
    assert f"{reverse('knowledge:document')}?series=vaccine" in html


def test_hosts_add_the_recording_and_members_find_it_on_the_page(as_user, member, staff):
    event = make_event(starts_in=-timedelta(days=1))
    data = {
        "title": event.title, "description": "", "capacity": "", "venue_url": "",
        "materials": "", "recording_url": "https://video.example.jp/rec/42", "hosts": "",
        "registration_opens_at": "", "registration_closes_at": "",
    }  # fmt: skip
    response = as_user(staff).post(reverse("events:edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = as_user(member).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "録画を見る" in html and "https://video.example.jp/rec/42" in html
