"""Fetching events and series, and deciding what a viewer may do with them.

Every member sees every event, except those organised by a closed section: those exist only for
the section's active members, their hosts and staff (anyone else gets a 404, as for an event that
never existed); the same goes for their agenda, votes and attendance. Managing an event —
editing, questions, moving, cancelling, seeing who registered, recording attendance — is for
staff, the organising section's leaders and deputies, and the named hosts of the event or of
its series. The online venue URL is shown only to confirmed registrants (and walk-ins who
checked in) and to those who manage the event.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404

from cityhall.events.models import (
    Attendance,
    Event,
    EventHost,
    EventQuerySet,
    EventSeries,
    Organizer,
    Registration,
)
from cityhall.sections.access import is_officer
from cityhall.sections.models import Section, readable_condition


def _hosted(user: Any) -> tuple[Any, Any]:
    hosts = EventHost.objects.filter(user=user)
    return (
        hosts.filter(event__isnull=False).values("event_id"),
        hosts.filter(series__isnull=False).values("series_id"),
    )


def visible_events(user: Any) -> EventQuerySet:
    if not getattr(user, "is_member", False):
        return Event.objects.none()
    sections = readable_condition(user, via="section__")
    if sections is None:
        return Event.objects.all()
    events, series = _hosted(user)
    return Event.objects.filter(
        Q(section=None) | sections | Q(pk__in=events) | Q(series_id__in=series)
    )


def can_see_event(user: Any, event: Event) -> bool:
    """visible_events for one event already fetched."""
    if not getattr(user, "is_member", False):
        return False
    if user.is_staff_member or event.section_id is None:
        return True
    return visible_events(user).filter(pk=event.pk).exists()


def visible_series(user: Any) -> Any:
    if not getattr(user, "is_member", False):
        return EventSeries.objects.none()
    sections = readable_condition(user, via="section__")
    if sections is None:
        return EventSeries.objects.all()
    _events, series = _hosted(user)
    return EventSeries.objects.filter(Q(section=None) | sections | Q(pk__in=series))


def can_manage_series(user: Any, series: EventSeries) -> bool:
    if not getattr(user, "is_member", False):
        return False
    if user.is_staff_member:
        return True
    if series.organizer == Organizer.SECTION and is_officer(user, series.section):
        return True
    return EventHost.objects.filter(series=series, user=user).exists()


def can_manage_event(user: Any, event: Event) -> bool:
    if not getattr(user, "is_member", False):
        return False
    if user.is_staff_member:
        return True
    if event.organizer == Organizer.SECTION and is_officer(user, event.section):
        return True
    return EventHost.objects.filter(
        Q(event=event) | Q(series_id=event.series_id, series__isnull=False), user=user
    ).exists()


def organizing_sections(user: Any) -> list[Section]:
    """Sections in whose name the user may create events: staff any, leaders and deputies
    their own."""
    return list(Section.objects.active().run_by(user).order_by("kind", "name"))


def can_create(user: Any) -> bool:
    """Staff, and the leaders and deputies of a section, create series and events."""
    return bool(getattr(user, "is_member", False)) and (
        user.is_staff_member or bool(organizing_sections(user))
    )


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_event(user: Any, event_id: int | str) -> Event:
    """An event the viewer may see, or 404."""
    event = (
        visible_events(user).select_related("series", "section").filter(pk=_pk(event_id)).first()
    )
    if event is None:
        raise Http404
    return event


def access_managed_event(user: Any, event_id: int | str) -> Event:
    """An event the viewer may manage, or 404 (nothing is revealed to others)."""
    event = access_event(user, event_id)
    if not can_manage_event(user, event):
        raise Http404
    return event


def access_series(user: Any, slug: str) -> EventSeries:
    series = visible_series(user).select_related("section").filter(slug=slug).first()
    if series is None:
        raise Http404
    return series


def access_managed_series(user: Any, slug: str) -> EventSeries:
    series = access_series(user, slug)
    if not can_manage_series(user, series):
        raise Http404
    return series


def registration_of(user: Any, event: Event) -> Registration | None:
    if not getattr(user, "pk", None):
        return None
    return Registration.objects.filter(event=event, user=user).first()


def sees_venue(user: Any, event: Event, registration: Registration | None) -> bool:
    """The venue URL: confirmed registrants, walk-ins who checked in, and those who manage the
    event, never anyone else."""
    if registration is not None and registration.is_confirmed and not event.is_cancelled:
        return True
    walk_in = event.walk_ins and not event.is_cancelled and getattr(user, "pk", None)
    if walk_in and Attendance.objects.filter(event=event, user=user).exists():
        return True
    return can_manage_event(user, event)
