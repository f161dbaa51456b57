"""iCalendar (.ics) for one event and for a member's personal feed, with the icalendar library.

The venue URL goes into an entry only when the member's registration is confirmed (or they
manage the event); waitlisted places appear as TENTATIVE and cancelled events as CANCELLED, so
calendar apps update their copy (SEQUENCE grows with every move and cancellation).
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from cityhall.events.models import Event, Registration


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//events//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    return calendar


def _entry(event: Event, *, with_venue: bool, tentative: bool = False) -> VEvent:
    host = urlsplit(settings.SITE_URL).hostname or "cityhall"
    page = settings.SITE_URL + reverse("events:detail", args=[event.pk])
    entry = VEvent()
    entry.add("uid", f"event-{event.pk}@{host}")
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    if event.is_cancelled:
        entry.add("status", "CANCELLED")
    else:
        entry.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    lines = [page]
    if with_venue and event.venue_url and not event.is_cancelled:
        entry.add("location", event.venue_url)
        lines.insert(0, event.venue_url)
    entry.add("description", "\n".join(lines))
    entry.add("url", page)
    return entry


def event_calendar(event: Event, *, with_venue: bool) -> bytes:
    calendar = _calendar(event.title)
    calendar.add_component(_entry(event, with_venue=with_venue))
    return calendar.to_ical()


def feed_calendar(registrations: Iterable[Registration]) -> bytes:
    """A member's feed: their confirmed (with the venue) and waitlisted (without) places."""
    calendar = _calendar(settings.SITE_NAME)
    for registration in registrations:
        calendar.add_component(
            _entry(
                registration.event,
                with_venue=registration.is_confirmed,
                tentative=not registration.is_confirmed,
            )
        )
    return calendar.to_ical()
