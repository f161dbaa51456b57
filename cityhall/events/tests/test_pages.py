from datetime import timedelta

from django.http.response import HttpResponseRedirectBase
from django.urls import reverse

from cityhall import testing
from cityhall.events.models import EventHost, Registration
from cityhall.events.tests.conftest import join, make_event, make_series

LIST = reverse("events:list")


def test_it_lists_upcoming_events_first_and_past_ones_on_request(as_user, member):
    make_event(title="来週の会", starts_in=timedelta(days=7))
    make_event(title="明日の会", starts_in=timedelta(days=1))
    make_event(title="先週の会", starts_in=-timedelta(days=7))
    html = as_user(member).get(LIST).content.decode()
    assert html.index("明日の会") < html.index("来週の会")
    assert "先週の会" not in html
    past = as_user(member).get(LIST + "?when=past").content.decode()
    assert "先週の会" in past and "明日の会" not in past


def test_it_filters_by_series_and_section(as_user, member, section):
    series = make_series()
    make_event(title="シリーズの回", series=series)
    make_event(title="課の回", organizer="section", section=section)
    by_series = as_user(member).get(LIST + "?series=vaccine").content.decode()
    assert "シリーズの回" in by_series and "課の回" not in by_series
    by_section = as_user(member).get(LIST + "?section=bousai").content.decode()
    assert "課の回" in by_section and "シリーズの回" not in by_section


def test_it_lists_without_a_query_per_event(as_user, member, django_assert_max_num_queries):
    for i in range(25):
        event = make_event(title=f"回{i}", starts_in=timedelta(days=i + 1), capacity=10)
        Registration.objects.create(event=event, user=member, status="confirmed", position=1)
    client = as_user(member)
    client.get(LIST)  # warm up the session
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    html = response.content.decode()
    assert html.count('class="event-item"') == 20
    assert "1 / 2 ページ" in html and "申込済み" in html
    assert "zoom.example.jp" not in html  # never in lists
    assert "回24" in client.get(LIST + "?page=2").content.decode()


def test_it_hides_closed_section_events_from_outsiders(
    as_user, member, outsider, leader, closed_section
):
    event = make_event(title="人事の内緒の会", organizer="section", section=closed_section)
    join(closed_section, member)
    detail = reverse("events:detail", args=[event.pk])
    assert as_user(outsider).get(detail).status_code == 404
    assert "人事の内緒の会" not in as_user(outsider).get(LIST).content.decode()
    assert as_user(outsider).get(reverse("events:ics", args=[event.pk])).status_code == 404
    assert as_user(member).get(detail).status_code == 200
    assert as_user(leader).get(detail).status_code == 200
    EventHost.objects.create(event=event, user=outsider)  # a guest host sees it
    assert as_user(outsider).get(detail).status_code == 200


def test_it_shows_a_series_with_its_sessions(as_user, member):
    series = make_series(description="**毎週**の情報交換")
    make_event(title=series.title, series=series, starts_in=timedelta(days=2))
    make_event(title="第1回", series=series, starts_in=-timedelta(days=5))
    html = as_user(member).get(reverse("events:series", args=["vaccine"])).content.decode()
    assert "<strong>毎週</strong>" in html
    assert "これまでの回（1回）" in html and "第1回" in html
    assert "シリーズを編集" not in html


def test_it_renders_the_description_as_safe_markdown(as_user, member):
    event = make_event(description="# 内容\n<script>alert(1)</script>")
    html = as_user(member).get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "<h1>内容</h1>" in html and "<script>alert" not in html


def test_it_keeps_everything_from_people_who_are_not_members(client, applicant, event):
    detail = reverse("events:detail", args=[event.pk])
    assert client.get(detail).url.startswith(reverse("accounts:login"))
    response = testing.sign_in(client, applicant).get(detail)
    assert isinstance(response, HttpResponseRedirectBase)
    assert response.url == reverse("members:status")
