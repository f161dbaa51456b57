from django.urls import reverse
from icalendar import Calendar

from cityhall.audit.models import AuditEntry
from cityhall.events.models import CalendarFeed, Registration
from cityhall.events.tests.conftest import make_event

VENUE = "https://zoom.example.jp/j/123?pwd=secret"


def parse(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_it_gives_an_ics_with_the_venue_only_to_confirmed_registrants(as_user, member, event):
    url = reverse("events:ics", args=[event.pk])
    [entry] = parse(as_user(member).get(url))
    assert str(entry["summary"]) == event.title
    assert entry.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert "location" not in entry and VENUE not in str(entry["description"])
    Registration.objects.create(event=event, user=member, status="confirmed", position=1)
    [entry] = parse(as_user(member).get(url))
    assert str(entry["location"]) == VENUE


def test_it_feeds_a_members_registrations_at_a_secret_url(client, member, outsider, event):
    waiting = make_event(title="満席の回", capacity=0)
    other = make_event(title="他の人の回")
    Registration.objects.create(event=event, user=member, status="confirmed", position=1)
    Registration.objects.create(event=waiting, user=member, status="waitlisted", position=1)
    Registration.objects.create(event=other, user=outsider, status="confirmed", position=1)
    feed = CalendarFeed.objects.create(user=member)
    entries = parse(client.get(reverse("events:feed", args=[feed.token])))  # not signed in
    by_title = {str(e["summary"]): e for e in entries}
    assert set(by_title) == {event.title, "満席の回"}
    assert str(by_title[event.title]["location"]) == VENUE
    assert str(by_title["満席の回"]["status"]) == "TENTATIVE"
    assert "location" not in by_title["満席の回"]


def test_it_regenerates_and_revokes_the_feed_url(as_user, client, member):
    signed_in = as_user(member)
    signed_in.post(reverse("events:feed_regenerate"))
    first = CalendarFeed.objects.get(user=member).token
    assert first in signed_in.get(reverse("events:settings")).content.decode()
    signed_in.post(reverse("events:feed_regenerate"))
    second = CalendarFeed.objects.get(user=member).token
    assert second != first
    client.logout()
    assert client.get(reverse("events:feed", args=[first])).status_code == 404
    assert client.get(reverse("events:feed", args=[second])).status_code == 200
    as_user(member).post(reverse("events:feed_revoke"))
    client.logout()
    assert client.get(reverse("events:feed", args=[second])).status_code == 404
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "events.feed.regenerated", "events.feed.regenerated", "events.feed.revoked",
    ]  # fmt: skip


def test_it_closes_the_feed_of_a_suspended_member(client, suspended):
    feed = CalendarFeed.objects.create(user=suspended)
    assert client.get(reverse("events:feed", args=[feed.token])).status_code == 404
