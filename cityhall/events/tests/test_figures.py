from datetime import timedelta
from time import perf_counter

from django.core.management import call_command
from django.urls import reverse

from cityhall import testing
from cityhall.events.figures import figures_of, series_figures
from cityhall.events.models import Attendance, EventSeries, Registration
from cityhall.events.tests.conftest import make_event, make_series
from cityhall.organizations.models import Organization


def national() -> Organization:
    org, _created = Organization.objects.get_or_create(
        slug="mhlw",
        defaults={"kind": "national", "name": "厚生労働省", "kana": "コウセイロウドウショウ",
                  "sort_key": "z-mhlw"},
    )  # fmt: skip
    return org


def attend(event, *users, register=True):
    for user in users:
        if register:
            Registration.objects.create(event=event, user=user, status="confirmed", position=1)
        Attendance.objects.create(event=event, user=user, source="host")


def test_it_counts_sessions_registrations_attendances_people_and_places(member, outsider, leader):
    series = make_series()
    first = make_event(series=series, starts_in=-timedelta(days=14))
    second = make_event(series=series, starts_in=-timedelta(days=7))
    make_event(series=series, starts_in=-timedelta(days=3), status="cancelled")
    upcoming = make_event(series=series, starts_in=timedelta(days=1))
    official = testing.make_user("kokka@mhlw.go.jp", org=national())
    attend(first, member, outsider, official)
    attend(second, member, leader)  # leader and member both from 猿払村
    Registration.objects.create(event=second, user=official, status="cancelled", position=9)
    Registration.objects.create(event=upcoming, user=official, status="confirmed", position=1)
    figures = figures_of(series)
    assert (figures.sessions, figures.registrations, figures.attendances) == (2, 5, 5)
    # 4 people; 猿払村, 横浜市 and the ministry; only the two local governments count as places.
    assert (figures.participants, figures.organizations, figures.municipalities) == (4, 3, 2)


def test_it_aggregates_every_series_in_a_fixed_number_of_queries(member, django_assert_num_queries):
    for i in range(5):
        series = make_series(slug=f"s{i}", title=f"シリーズ{i}")
        attend(make_event(series=series, starts_in=-timedelta(days=i + 1)), member)
    with django_assert_num_queries(3):
        rows = series_figures()
    assert [r.attendances for r in rows if r.slug.startswith("s")] == [1] * 5


def test_it_shows_the_figures_on_the_series_page(as_user, member, outsider):
    series = make_series()
    attend(make_event(series=series, starts_in=-timedelta(days=7)), member, outsider)
    html = as_user(member).get(reverse("events:series", args=["vaccine"])).content.decode()
    assert "これまでの実績" in html and "2 自治体" in html
    assert reverse("events:figures") not in html  # the staff page is for staff


def test_it_lists_every_series_for_staff_with_downloads(as_user, member, staff):
    series = make_series()
    attend(make_event(series=series, starts_in=-timedelta(days=7)), member)
    url = reverse("events:figures")
    assert as_user(member).get(url).status_code == 403
    html = as_user(staff).get(url).content.decode()
    assert "ワクチン接種 情報交換会" in html and "<svg" in html
    export = reverse("staff_insights:export", args=["event_series", "csv"])
    assert export in html
    csv = as_user(staff).get(export).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("シリーズ,開催回数,申込,出席（延べ）")
    assert "ワクチン接種 情報交換会,1,1,1,1,1,1" in csv
    xlsx = as_user(staff).get(reverse("staff_insights:export", args=["event_series", "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_adds_an_attendance_panel_to_the_staff_dashboard(as_user, staff, member):
    series = make_series()
    attend(make_event(series=series, starts_in=-timedelta(days=7)), member)
    html = as_user(staff).get(reverse("staff_insights:dashboard")).content.decode()
    assert 'id="event-attendance"' in html and "chart-attendance-" in html


def test_it_gives_the_demo_vaccine_series_figures_close_to_the_story(db, staff, settings):
    settings.DEBUG = True
    started = perf_counter()
    call_command("load_demo_events", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert perf_counter() - started < 15
    call_command("load_demo_events", stdout=open("/dev/null", "w"))  # noqa: SIM115
    figures = figures_of(EventSeries.objects.get(slug="vaccine"))
    assert figures.sessions == 11
    assert figures.attendances >= 3000
    assert 450 <= figures.municipalities <= 520
    assert figures.participants <= 620
